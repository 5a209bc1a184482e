//! The one error type of the crate.

use std::fmt;
use std::io;
use std::sync::Arc;

/// Everything that can go wrong in `cascade-core`.
///
/// An error says what is wrong and where, in one lowercase sentence: the line of a CSV file,
/// the rating of a document, the domain of a framework. Callers that know the file name
/// prefix it, as the `cascade` CLI does. The wording of messages may improve from release to
/// release; match on [`kind`](Error::kind) and read [`line`](Error::line),
/// [`column`](Error::column) and [`domain`](Error::domain) instead of parsing the text.
///
/// ```
/// use cascade_core::{tidy, ErrorKind, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,ana,education,clarty,2\n";
/// let err = tidy::read(csv.as_bytes(), &Framework::cascade()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnknownDomain);
/// assert_eq!(err.line(), Some(2));
/// assert_eq!(err.domain(), Some("clarty"));
/// assert_eq!(
///     err.to_string(),
///     "line 2: unknown domain \"clarty\"; expected one of clarity, contact, structures, \
///      outcomes, learning, integration, evidence"
/// );
/// ```
///
/// Errors are cheap to move (one pointer) and to clone. Two errors are equal when they are of
/// the same kind, at the same place, and say the same thing.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    what: What,
    line: Option<u64>,
    column: Option<u64>,
    domain: Option<Box<str>>,
    message: String,
    source: Option<Arc<io::Error>>,
}

/// Which document a message is about, shown before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// No prefix: CSV files, comparisons.
    Input,
    /// "framework: ".
    Framework,
    /// "assessment: ".
    Assessment,
}

/// The cause of an [`Error`], to match on.
///
/// New kinds may be added in minor releases, so a `match` needs a `_` arm.
///
/// ```
/// use cascade_core::{tidy, ErrorKind, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,education,clarity,2
/// Vale,baseline,ana,education,clarity,3
/// ";
/// let err = tidy::read(csv.as_bytes(), &Framework::cascade()).unwrap_err();
/// let answer = match err.kind() {
///     ErrorKind::DuplicateRating => "a respondent rated a domain twice",
///     ErrorKind::UnknownDomain | ErrorKind::UnknownGroup => "a name is misspelt",
///     _ => "the file is not valid",
/// };
/// assert_eq!(answer, "a respondent rated a domain twice");
/// assert_eq!((err.line(), err.domain()), (Some(3), Some("clarity")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading the input failed; [`source`](std::error::Error::source) is the [`io::Error`].
    Io,
    /// Text is not JSON, or not JSON of the right shape: bad syntax, an unknown or missing
    /// field, a value of the wrong type. [`line`](Error::line) and [`column`](Error::column)
    /// say where.
    Json,
    /// A document's `schema_version` is missing, or is not one this release reads.
    SchemaVersion,
    /// A framework breaks one of its rules (see [`Framework::validate`](crate::Framework::validate)).
    InvalidFramework,
    /// An assessment was scored on another framework than the one given, or two datasets on
    /// different frameworks were merged.
    FrameworkMismatch,
    /// A CSV file is empty: it has no header row.
    EmptyFile,
    /// A CSV header names an unknown column, names one twice, or lacks one.
    Header,
    /// A CSV row has more fields than the header, too few, or a value in a column without a name.
    FieldCount,
    /// Text is not valid UTF-8.
    NotUtf8,
    /// A quoted CSV field is never closed: its quote runs to the end of the file.
    UnclosedQuote,
    /// A value that must be given is empty: an area, a round, an id, an action.
    Empty,
    /// A name or id has spaces at the start or end.
    Padded,
    /// An id or text is reserved (such as `__proto__`), holds an invisible or direction
    /// control character, or is longer than its limit.
    InvalidText,
    /// A group is not one of [`Group::ALL`](crate::Group::ALL).
    UnknownGroup,
    /// A domain is not one of the framework's.
    UnknownDomain,
    /// A round is not one of the document's, or no area has it.
    UnknownRound,
    /// A respondent is not one of the document's.
    UnknownRespondent,
    /// An action is not in the plan.
    UnknownAction,
    /// A level is missing, not a whole number, or not on the framework's scale.
    Level,
    /// A date is not a calendar day written `YYYY-MM-DD`.
    Date,
    /// A respondent rated the same domain twice in one round.
    DuplicateRating,
    /// Something else is recorded twice: an id, a tally, an agreed level, a target, an area.
    Duplicate,
    /// A rating's group is not its respondent's, or one respondent's rows name two groups.
    GroupMismatch,
    /// A tally has a count for each level of another scale, or more votes than
    /// [`MAX_VOTES`](crate::MAX_VOTES).
    Tally,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::of(kind, message.into())
    }

    /// One copy of the constructor for every caller, which keeps the WebAssembly module small.
    #[inline(never)]
    fn of(kind: ErrorKind, message: String) -> Error {
        Error(Box::new(Inner { kind, what: What::Input, line: None, column: None, domain: None, message, source: None }))
    }

    /// An error in the rules of a framework.
    pub(crate) fn framework(message: String) -> Error {
        Error::new(ErrorKind::InvalidFramework, message).about(What::Framework)
    }

    /// An error in an assessment document.
    pub(crate) fn assessment(kind: ErrorKind, message: String) -> Error {
        Error::new(kind, message).about(What::Assessment)
    }

    pub(crate) fn io(e: io::Error) -> Error {
        let mut err = Error::new(ErrorKind::Io, format!("cannot read input: {e}"));
        err.0.source = Some(Arc::new(e));
        err
    }

    pub(crate) fn about(mut self, what: What) -> Error {
        self.0.what = what;
        self
    }

    pub(crate) fn at_line(mut self, line: u64) -> Error {
        self.0.line = Some(line);
        self
    }

    pub(crate) fn in_domain(mut self, domain: &str) -> Error {
        self.0.domain = Some(domain.into());
        self
    }

    /// What went wrong, to match on.
    ///
    /// ```
    /// use cascade_core::{ErrorKind, Group};
    ///
    /// let err = "teacher".parse::<Group>().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownGroup);
    /// ```
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The line of the input the error is on, counting from 1, where there is one: the line a
    /// CSV row starts on, or where JSON text goes wrong.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\n\nVale,baseline,,,clarity,9\n";
    /// let err = tidy::read(csv.as_bytes(), &Framework::cascade()).unwrap_err();
    /// assert_eq!((err.line(), err.column()), (Some(3), None));
    /// ```
    #[must_use]
    pub fn line(&self) -> Option<u64> {
        self.0.line
    }

    /// The column of JSON text the error is at, counting from 1, where there is one.
    /// CSV errors name a line only.
    ///
    /// ```
    /// # #[cfg(feature = "json")] {
    /// use cascade_core::Assessment;
    ///
    /// let err = Assessment::from_json("{\n  \"schema_version\": 1,\n  \"colour\": 3\n}").unwrap_err();
    /// assert_eq!((err.line(), err.column()), (Some(3), Some(10)));
    /// # }
    /// ```
    #[must_use]
    pub fn column(&self) -> Option<u64> {
        self.0.column
    }

    /// The domain the error is about, where there is one: as given, for an unknown domain.
    ///
    /// ```
    /// use cascade_core::{ErrorKind, Framework};
    ///
    /// let mut fw = Framework::cascade();
    /// fw.domains[2].title.clear();
    /// let err = fw.validate().unwrap_err();
    /// assert_eq!((err.kind(), err.domain()), (ErrorKind::InvalidFramework, Some("structures")));
    /// ```
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        self.0.domain.as_deref()
    }

    /// A `serde_json` error as "line L, column C: what", the order every other message uses.
    #[cfg(feature = "json")]
    pub(crate) fn json(what: What, e: &serde_json::Error) -> Error {
        let text = e.to_string();
        let mut err = match text.rfind(" at line ") {
            Some(i) if e.line() > 0 => Error::new(ErrorKind::Json, &text[..i]),
            _ => Error::new(ErrorKind::Json, text),
        };
        if e.line() > 0 {
            err.0.line = Some(e.line() as u64);
            err.0.column = Some(e.column() as u64);
        }
        err.about(what)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &*self.0;
        match e.what {
            What::Input => {}
            What::Framework => f.write_str("framework: ")?,
            What::Assessment => f.write_str("assessment: ")?,
        }
        // JSON errors name line and column; CSV errors the line.
        match (e.line, e.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        f.write_str(&e.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &*self.0;
        let mut d = f.debug_struct("Error");
        d.field("kind", &e.kind).field("message", &self.to_string());
        if let Some(source) = &e.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        let (a, b) = (&*self.0, &*other.0);
        a.kind == b.kind
            && a.what == b.what
            && a.line == b.line
            && a.column == b.column
            && a.domain == b.domain
            && a.message == b.message
            && a.source.as_ref().map(|s| s.kind()) == b.source.as_ref().map(|s| s.kind())
    }
}

impl Eq for Error {}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.source {
            Some(e) => Some(&**e),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_small_and_thread_safe() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn keeps_the_io_error() {
        let err = Error::io(io::Error::new(io::ErrorKind::TimedOut, "the disk slept"));
        assert_eq!(err.to_string(), "cannot read input: the disk slept");
        let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(source.map(io::Error::kind), Some(io::ErrorKind::TimedOut));
    }
}
