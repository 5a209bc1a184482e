//! Scoring for the CASCADE framework of the Link Programme.
//!
//! In England's Link Programme, schools and colleges meet children and young people's
//! mental health services at two workshops about six weeks apart, and rate their joint
//! working on the seven CASCADE domains. This crate holds the model and the arithmetic that
//! every front end of the project shares: the framework, assessment documents, tidy CSV,
//! per-domain statistics and the baseline to follow-up comparison, exactly as the project's
//! scoring contract defines them.
//!
//! The crate is pure: it opens no files, makes no requests and keeps no global state.
//! Callers hand it text or a reader and get values back.
//!
//! # Example
//!
//! ```
//! use cascade_core::{tidy, Direction, Framework};
//!
//! let csv = "area,round,respondent,group,domain,level
//! Example Vale,baseline,ana,education,clarity,2
//! Example Vale,baseline,ben,mental-health,clarity,3
//! Example Vale,followup,ana,education,clarity,3
//! Example Vale,followup,ben,mental-health,clarity,3
//! ";
//! let fw = Framework::cascade();
//! let data = tidy::read(csv.as_bytes(), &fw)?;
//!
//! let summary = data.summary();
//! let baseline = &summary.areas[0].rounds[0];
//! assert_eq!(baseline.domains[0].median, Some(2.5));
//! assert_eq!(baseline.coverage, 1); // one domain of seven has ratings
//! assert_eq!(baseline.overall, None); // so there is no overall score yet
//!
//! let change = data.compare("baseline", "followup")?;
//! let clarity = &change.areas[0].domains[0];
//! assert_eq!(clarity.delta, Some(0.5));
//! assert_eq!(clarity.direction, Direction::Improved);
//! # Ok::<(), cascade_core::Error>(())
//! ```
//!
//! # Features
//!
//! - `json` (default): reading and writing documents as JSON text with `serde_json`.
//!   Without it the types still implement serde's traits, for callers with their own
//!   JSON (the WebAssembly build uses the browser's).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod assessment;
pub mod chart;
mod compare;
mod dataset;
mod error;
mod framework;
mod group;
pub mod ids;
mod perception;
mod quote;
mod records;
mod rollup;
mod session;
mod summary;
pub mod tidy;

pub use assessment::{Action, Agreed, Assessment, Note, Rating, Respondent, Round, Score, Tally, Target, MAX_VOTES, SCHEMA_VERSION};
pub use compare::{sign_test, AreaComparison, Comparison, Direction, DomainComparison, OverallChange, Paired, Point};
pub use dataset::Dataset;
pub use error::Error;
pub use framework::{Domain, Framework, FrameworkRef, Level, MAX_LEVELS, MIN_LEVELS};
pub use group::Group;
pub use perception::{perception_gaps, GapChange, PerceptionGap};
pub use quote::Quoted;
pub use rollup::{RollupChange, DomainRollup, RollupGap, RollupGaps, Rollup};
pub use session::{Edit, Session, UNDO_LIMIT};
pub use summary::{AreaSummary, DomainSummary, GroupSummary, RoundSummary, Summary};
