//! Stakeholder groups: who a respondent speaks for.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The stakeholder group a respondent belongs to.
///
/// Education and mental health are the two sides the Link Programme brings together;
/// the others attend as partners. An empty group in a CSV file means [`Group::Other`].
///
/// ```
/// use cascade_core::Group;
///
/// assert_eq!(Group::parse("mental-health"), Some(Group::MentalHealth));
/// assert_eq!(Group::parse(""), Some(Group::Other));
/// assert_eq!(Group::parse("teacher"), None);
/// assert_eq!(Group::Education.to_string(), "education");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    pub const ALL: [Group; 6] = [
        Group::Education,
        Group::MentalHealth,
        Group::Commissioner,
        Group::LocalAuthority,
        Group::VoluntarySector,
        Group::Other,
    ];

    /// The id used in files.
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

    /// Reads a group id; the empty string is [`Group::Other`].
    pub fn parse(text: &str) -> Option<Group> {
        Group::parse_bytes(text.as_bytes())
    }

    pub(crate) fn parse_bytes(text: &[u8]) -> Option<Group> {
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
        let ids: Vec<&str> = Group::ALL.iter().map(|g| g.as_str()).collect();
        ids.join(", ")
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
