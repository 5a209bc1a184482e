//! Scoring for the CASCADE framework of the Link Programme.
//!
//! In England's Link Programme, schools and colleges meet children and young people's
//! mental health services at two workshops about six weeks apart, and rate their joint
//! working on the seven CASCADE domains. This crate holds the model and the arithmetic that
//! every front end of the project shares, exactly as the project's scoring contract defines
//! them.
//!
//! The crate is pure: it opens no files, makes no requests and keeps no global state.
//! Callers hand it text or a reader and get values back.
//!
//! # Where to start
//!
//! - **One area's workshop**: an [`Assessment`] document, made with [`Assessment::new`],
//!   read with [`Assessment::from_json`], checked with [`Assessment::validate`], scored with
//!   [`Assessment::summary`] and [`Assessment::compare`]. A [`Session`] edits one live, a
//!   change ([`Edit`]) at a time, with undo.
//! - **Many areas**: a [`Dataset`] from tidy CSV ([`tidy::read`]) or from documents
//!   ([`Dataset::push_assessment`]); its [`summary`](Dataset::summary) and
//!   [`compare`](Dataset::compare), written as flat CSV by [`flat`].
//! - **Results**: [`Summary`] → [`AreaSummary`] → [`RoundSummary`] → [`DomainSummary`], and
//!   [`Comparison`] → [`AreaComparison`] → [`DomainComparison`], each with lookups by id
//!   (`summary.area("Vale")`, `area.round("baseline")`, `round.domain("clarity")`); as JSON
//!   through serde, in the shape the contract gives.
//! - **The framework**: [`Framework::cascade`], or a framework file read with
//!   [`Framework::from_json`].
//! - **Charts**: SVG text from [`chart`].
//! - **Errors**: one [`Error`], whose [`kind`](Error::kind) says what went wrong and whose
//!   [`line`](Error::line), [`column`](Error::column) and [`domain`](Error::domain) say where.
//!
//! Round ids are what files and functions use (`baseline`, `followup`); labels ("Baseline",
//! "Follow-up") are for people. In JSON a rating's [`score`](Rating::score) is written
//! `"level"`.
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
//! let baseline = summary.area("Example Vale").and_then(|a| a.round("baseline")).unwrap();
//! assert_eq!(baseline.domain("clarity").and_then(|d| d.median), Some(2.5));
//! assert_eq!(baseline.coverage, 1); // one domain of seven has ratings
//! assert_eq!(baseline.overall, None); // so there is no overall score yet
//!
//! let change = data.compare("baseline", "followup")?;
//! let clarity = change.areas[0].domain("clarity").unwrap();
//! assert_eq!(clarity.delta, Some(0.5));
//! assert_eq!(clarity.direction, Direction::Improved);
//! # Ok::<(), cascade_core::Error>(())
//! ```
//!
//! # Features
//!
//! - `json` (default): reading and writing documents and framework files as JSON text with
//!   `serde_json` ([`Assessment::from_json`], [`Assessment::to_json`],
//!   [`Framework::from_json`], [`Framework::to_json`]). Without it the types still implement
//!   serde's traits, for callers with their own JSON (the WebAssembly build uses the
//!   browser's).
//!
//! # Stability
//!
//! Results and enums are `#[non_exhaustive]`, so minor releases may add fields and variants.
//! [`Assessment`], [`Framework`] and their parts have exactly the fields of their JSON
//! schema, and build with struct literals; a new field would be a new schema version and a
//! new major release. Messages may be reworded in any release; [`ErrorKind`]s keep their
//! meaning.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// `cargo clippy -- -W clippy::pedantic` was read through; these remain, each for a reason.
#![allow(
    clippy::cast_precision_loss,
    reason = "counts and levels become f64 for statistics; they are far below 2^52"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "levels are 1 to 10 and rounded chart coordinates are small; each cast is bounded where it is made"
)]
#![allow(clippy::many_single_char_names, reason = "the statistics and chart geometry use the formulas' own letters")]
#![allow(clippy::too_many_lines, reason = "validation and chart drawing read best as one pass in order")]
#![allow(clippy::float_cmp, reason = "an exact tie of two means is what the chart text says")]
#![allow(clippy::naive_bytecount, reason = "one header line is counted; a dependency for that is not worth it")]
#![allow(clippy::single_match_else, reason = "the chart's gap handling reads better as a match")]
#![allow(clippy::doc_markdown, reason = "product names in the docs (LibreOffice) are words, not code")]

mod assessment;
pub mod chart;
mod compare;
mod dataset;
mod error;
pub mod flat;
mod framework;
mod group;
pub mod ids;
mod numbering;
mod perception;
mod quote;
mod records;
mod respondents;
mod rollup;
mod session;
mod summary;
pub mod tidy;

pub use assessment::{Action, Agreed, Assessment, Note, Rating, Respondent, Round, Score, Tally, Target, MAX_VOTES, SCHEMA_VERSION};
pub use compare::{sign_test, AreaComparison, Comparison, Direction, DomainComparison, OverallChange, Paired, Point};
pub use dataset::Dataset;
pub use error::{Error, ErrorKind};
pub use framework::{Domain, Framework, FrameworkRef, Level, MAX_LEVELS, MIN_LEVELS};
pub use group::Group;
pub use perception::{perception_gaps, GapChange, PerceptionGap};
pub use rollup::{RollupChange, DomainRollup, RollupGap, RollupGaps, Rollup};
pub use session::{Edit, Session, UNDO_LIMIT};
pub use summary::{AreaSummary, DomainSummary, GroupSummaries, GroupSummary, RoundSummary, Summary};

/// The README's examples, run as doctests so that they stay true; they use the default
/// features.
#[cfg(all(doctest, feature = "json"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// What the project's WebAssembly bindings share with the core. Not part of the API: it may
/// change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::assessment::check_schema_version;
    pub use crate::quote::{joined_by, Quoted};
    pub use crate::tidy::{read_assessments_bytes, read_bytes};
}
