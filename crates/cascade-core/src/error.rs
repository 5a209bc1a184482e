//! The one error type of the crate.

use crate::quote::Quoted;

/// Everything that can go wrong in `cascade-core`.
///
/// Every message is lowercase, says what is wrong, and says where: the line of a CSV file,
/// the rating of a document, the domain of a framework. Callers that know the file name
/// prefix it, as the `cascade` CLI does.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,ana,education,clarty,2\n";
/// let err = tidy::read(csv.as_bytes(), &Framework::cascade()).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "line 2: unknown domain \"clarty\"; expected one of clarity, contact, structures, \
///      outcomes, learning, integration, evidence"
/// );
/// assert_eq!(err.line(), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A framework breaks a rule (see [`Framework::validate`](crate::Framework::validate)).
    #[error("framework: {message}")]
    Framework {
        /// What is wrong, and in which domain or level.
        message: String,
    },
    /// A JSON document could not be read: bad syntax, an unknown field, a wrong type.
    #[error("{what}: {message}")]
    Json {
        /// Which kind of document: `framework` or `assessment`.
        what: &'static str,
        /// What is wrong, with line and column.
        message: String,
    },
    /// An assessment document is well-formed JSON but breaks a rule.
    #[error("assessment: {message}")]
    Assessment {
        /// What is wrong and where (which rating, round or domain).
        message: String,
    },
    /// The header row of a tidy CSV file is wrong.
    #[error("line {line}: {message}")]
    Header {
        /// The line of the header, 1 unless blank lines come first.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A data row of a tidy CSV file is wrong.
    #[error("line {line}: {message}")]
    Row {
        /// The line the row starts on, counting from 1.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// The input is empty or has no header row.
    #[error("the file is empty; expected a header row: area,round,respondent,group,domain,level")]
    Empty,
    /// Reading the input failed.
    #[error("cannot read input: {message}")]
    Read {
        /// The underlying reason.
        message: String,
    },
    /// A comparison named a round that no area has.
    #[error("no area has a round {}; rounds present: {present}", Quoted(.round))]
    UnknownRound {
        /// The round asked for.
        round: String,
        /// The rounds the data has, comma-separated.
        present: String,
    },
    /// An assessment was scored on a different framework from the one given.
    #[error(
        "the assessment was scored on framework {} version {}, but {} version {} is in use",
        Quoted(.found), Quoted(.found_version), Quoted(.expected), Quoted(.expected_version)
    )]
    FrameworkMismatch {
        /// Framework id in the document.
        found: String,
        /// Framework version in the document.
        found_version: String,
        /// Framework id in use.
        expected: String,
        /// Framework version in use.
        expected_version: String,
    },
}

impl Error {
    /// The line of the input the error is on, where there is one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::Header { line, .. } | Error::Row { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl Error {
    /// A serde_json error as "line L, column C: what", the order every other message uses.
    #[cfg(feature = "json")]
    pub(crate) fn json(what: &'static str, e: &serde_json::Error) -> Error {
        let text = e.to_string();
        let what_went_wrong = match text.rfind(" at line ") {
            Some(i) if e.line() > 0 => &text[..i],
            _ => &text,
        };
        let message = if e.line() > 0 {
            format!("line {}, column {}: {what_went_wrong}", e.line(), e.column())
        } else {
            what_went_wrong.to_owned()
        };
        Error::Json { what, message }
    }
}
