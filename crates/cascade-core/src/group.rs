//! Stakeholder groups: who a respondent speaks for.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::quote::Quoted;

/// The stakeholder group a respondent belongs to.
///
/// Education and mental health are the two sides the Link Programme brings together;
/// the others attend as partners. In files a group is written by its id, such as
/// `mental-health` (see [`as_str`](Group::as_str)); an empty group in a CSV file means
/// [`Group::Other`].
///
/// ```
/// use cascade_core::Group;
///
/// assert_eq!(Group::parse("mental-health"), Some(Group::MentalHealth));
/// assert_eq!(Group::parse("Mental health"), Some(Group::MentalHealth));
/// assert_eq!(Group::parse(""), Some(Group::Other));
/// assert_eq!(Group::parse("teacher"), None);
/// assert_eq!(Group::Education.to_string(), "education");
/// assert_eq!(Group::MentalHealth.label(), "Mental health");
/// ```
///
/// More groups may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Group {
    /// School and college staff.
    Education,
    /// Children and young people's mental health services.
    MentalHealth,
    /// Commissioners (CCG or ICB).
    Commissioner,
    /// Local authority staff.
    LocalAuthority,
    /// Voluntary and community sector organisations.
    VoluntarySector,
    /// Anyone else, and anyone whose group was not recorded.
    #[default]
    Other,
}

impl Group {
    /// Every group, in reporting order.
    ///
    /// ```
    /// use cascade_core::Group;
    ///
    /// let ids: Vec<&str> = Group::ALL.iter().map(|g| g.as_str()).collect();
    /// assert_eq!(ids, ["education", "mental-health", "commissioner", "local-authority", "voluntary-sector", "other"]);
    /// ```
    pub const ALL: [Group; 6] = [
        Group::Education,
        Group::MentalHealth,
        Group::Commissioner,
        Group::LocalAuthority,
        Group::VoluntarySector,
        Group::Other,
    ];

    /// The id used in files, such as `mental-health`; also what `Display` writes.
    ///
    /// ```
    /// use cascade_core::Group;
    ///
    /// assert_eq!(Group::LocalAuthority.as_str(), "local-authority");
    /// assert_eq!(format!("{}", Group::LocalAuthority), "local-authority");
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Education => "education",
            Group::MentalHealth => "mental-health",
            Group::Commissioner => "commissioner",
            Group::LocalAuthority => "local-authority",
            Group::VoluntarySector => "voluntary-sector",
            Group::Other => "other",
        }
    }

    /// A label for people, such as "Mental health".
    ///
    /// ```
    /// use cascade_core::Group;
    ///
    /// assert_eq!(Group::VoluntarySector.label(), "Voluntary sector");
    /// ```
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Group::Education => "Education",
            Group::MentalHealth => "Mental health",
            Group::Commissioner => "Commissioner",
            Group::LocalAuthority => "Local authority",
            Group::VoluntarySector => "Voluntary sector",
            Group::Other => "Other",
        }
    }

    /// Reads a group from its id or its label, in any letter case and with spaces around it;
    /// empty text is [`Group::Other`]. [`str::parse`] does the same and says what went wrong.
    ///
    /// ```
    /// use cascade_core::Group;
    ///
    /// assert_eq!(Group::parse("local-authority"), Some(Group::LocalAuthority));
    /// assert_eq!(Group::parse(" LOCAL AUTHORITY "), Some(Group::LocalAuthority));
    /// assert_eq!(Group::parse("Education"), Some(Group::Education));
    /// assert_eq!(Group::parse("  "), Some(Group::Other));
    /// assert_eq!(Group::parse("mental_health"), None);
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Group> {
        let text = text.trim().as_bytes();
        if text.is_empty() {
            return Some(Group::Other);
        }
        Group::ALL
            .into_iter()
            .find(|g| g.as_str().as_bytes().eq_ignore_ascii_case(text) || g.label().as_bytes().eq_ignore_ascii_case(text))
    }

    /// Reads a group id exactly as the tidy CSV format writes it; empty is [`Group::Other`].
    pub(crate) fn from_id(text: &[u8]) -> Option<Group> {
        // A search of ALL rather than a `match` on byte strings: a fifth of the code.
        if text.is_empty() {
            return Some(Group::Other);
        }
        Group::ALL.into_iter().find(|g| g.as_str().as_bytes() == text)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn list() -> String {
        crate::quote::joined(Group::ALL.iter().map(|g| g.as_str()))
    }
}

/// Reads a group as [`Group::parse`] does.
///
/// ```
/// use cascade_core::{ErrorKind, Group};
///
/// assert_eq!("Mental health".parse::<Group>()?, Group::MentalHealth);
/// let err = "teacher".parse::<Group>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnknownGroup);
/// assert_eq!(
///     err.to_string(),
///     "unknown group \"teacher\"; expected one of education, mental-health, commissioner, \
///      local-authority, voluntary-sector, other"
/// );
/// # Ok::<(), cascade_core::Error>(())
/// ```
impl FromStr for Group {
    type Err = Error;

    fn from_str(text: &str) -> Result<Group, Error> {
        Group::parse(text).ok_or_else(|| {
            Error::new(ErrorKind::UnknownGroup, format!("unknown group {}; expected one of {}", Quoted(text), Group::list()))
        })
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
