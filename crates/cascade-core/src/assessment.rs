//! The assessment document: everything recorded about one area, serialized as JSON.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
#[cfg(feature = "json")]
use crate::error::What;
use crate::numbering::Numbering;
use crate::quote::Quoted;
use crate::framework::{Framework, FrameworkRef, MAX_LEVELS, MIN_LEVELS};
use crate::group::Group;
use crate::ids;

/// The schema version this crate reads and writes.
///
/// ```
/// use cascade_core::{Assessment, Framework, SCHEMA_VERSION};
///
/// assert_eq!(Assessment::new("Vale", &Framework::cascade()).schema_version, SCHEMA_VERSION);
/// ```
pub const SCHEMA_VERSION: u32 = 1;

/// The most votes one tally may hold for one level.
///
/// ```
/// use cascade_core::{Assessment, ErrorKind, Framework, Group, Tally, MAX_VOTES};
///
/// let fw = Framework::cascade();
/// let mut doc = Assessment::new("Vale", &fw);
/// doc.tallies.push(Tally {
///     round: "baseline".into(), domain: "clarity".into(), group: Group::Other,
///     counts: vec![MAX_VOTES + 1, 0, 0, 0, 0], unsure: 0,
/// });
/// assert_eq!(doc.validate(&fw).unwrap_err().kind(), ErrorKind::Tally);
/// ```
pub const MAX_VOTES: u32 = 100_000;

/// One rating: a level on the scale, or "don't know".
///
/// In JSON a level is a number and unsure is the string `"unsure"`; `Display` writes them as
/// tidy CSV does, `4` or `unsure`.
///
/// ```
/// use cascade_core::Score;
///
/// assert_eq!(Score::parse("4", 5), Some(Score::Level(4)));
/// assert_eq!(Score::parse("unsure", 5), Some(Score::Unsure));
/// assert_eq!(Score::parse("6", 5), None);
/// assert_eq!(Score::Unsure.to_string(), "unsure");
/// ```
///
/// More kinds of answer may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Score {
    /// A level, from 1 to the top of the scale.
    Level(u8),
    /// The respondent does not know; counted, but never in a statistic.
    Unsure,
}

impl Score {
    /// Reads a score as written in a CSV file: a whole number from 1 to `scale`, or `unsure`.
    /// Surrounding spaces, any letter case of `unsure`, and a spreadsheet's `3.0` are accepted.
    ///
    /// ```
    /// use cascade_core::Score;
    ///
    /// assert_eq!(Score::parse(" 3.0 ", 5), Some(Score::Level(3)));
    /// assert_eq!(Score::parse("Unsure", 5), Some(Score::Unsure));
    /// assert_eq!(Score::parse("2.5", 5), None);
    /// assert_eq!(Score::parse("0", 5), None);
    /// ```
    #[must_use]
    pub fn parse(text: &str, scale: u8) -> Option<Score> {
        Score::parse_bytes(text.trim().as_bytes(), scale)
    }

    pub(crate) fn parse_bytes(text: &[u8], scale: u8) -> Option<Score> {
        // The common case, one digit, first.
        if let [d @ b'1'..=b'9'] = text {
            let level = d - b'0';
            return (level <= scale).then_some(Score::Level(level));
        }
        if text.eq_ignore_ascii_case(b"unsure") {
            return Some(Score::Unsure);
        }
        let (int, frac) = match text.iter().position(|&b| b == b'.') {
            Some(dot) => (&text[..dot], &text[dot + 1..]),
            None => (text, &b""[..]),
        };
        if int.is_empty() || int.len() > 3 || !frac.iter().all(|&b| b == b'0') {
            return None;
        }
        let mut value: u16 = 0;
        for &b in int {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u16::from(b - b'0');
        }
        (1..=u16::from(scale)).contains(&value).then_some(Score::Level(value as u8))
    }

    /// The level, or `None` for unsure.
    ///
    /// ```
    /// use cascade_core::Score;
    ///
    /// assert_eq!(Score::Level(4).level(), Some(4));
    /// assert_eq!(Score::Unsure.level(), None);
    /// ```
    #[must_use]
    pub fn level(self) -> Option<u8> {
        match self {
            Score::Level(l) => Some(l),
            Score::Unsure => None,
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Score::Level(l) => write!(f, "{l}"),
            Score::Unsure => f.write_str("unsure"),
        }
    }
}

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Score::Level(l) => s.serialize_u8(*l),
            Score::Unsure => s.serialize_str("unsure"),
        }
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Score, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Score;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a level from 1 to 10 or \"unsure\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Score, E> {
                match u8::try_from(v) {
                    Ok(l @ 1..=10) => Ok(Score::Level(l)),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Score, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Score, E> {
                // JavaScript hands whole numbers over as floats.
                if v.fract() == 0.0 && (1.0..=10.0).contains(&v) {
                    Ok(Score::Level(v as u8))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Score, E> {
                if v == "unsure" {
                    Ok(Score::Unsure)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Everything recorded about one area's joint working: the JSON document the widget saves
/// and the CLI reads.
///
/// Build one with [`Assessment::new`] and fill in its lists, read one with
/// [`Assessment::from_json`] or [`tidy::read_assessments`](crate::tidy::read_assessments), or
/// edit one change at a time in a [`Session`](crate::Session). Reading one, serde's
/// `Deserialize` included, checks every rule that needs no framework; [`Assessment::validate`]
/// checks it against its framework, and every function that scores a document calls it.
///
/// Unknown fields are refused, and so is any `schema_version` but [`SCHEMA_VERSION`];
/// `docs/assessment.schema.json` in the repository is the JSON Schema. The fields are public
/// and this type and its parts are not `#[non_exhaustive]`: they are exactly the fields of
/// schema version 1, and a new field would be a new schema version and a new major release.
///
/// ```
/// use cascade_core::{Assessment, Framework, Group, Rating, Respondent, Score};
///
/// let fw = Framework::cascade();
/// let mut a = Assessment::new("Example Vale", &fw);
/// a.respondents.push(Respondent::new("ana", Group::Education));
/// a.ratings.push(Rating::new("baseline", Some("ana"), Group::Education, "clarity", Score::Level(2)));
/// a.validate(&fw)?;
/// let summary = a.summary(&fw)?;
/// assert_eq!(summary.round("baseline").and_then(|r| r.domain("clarity")).and_then(|d| d.median), Some(2.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "Unchecked")]
pub struct Assessment {
    /// Always [`SCHEMA_VERSION`] when written by this crate.
    pub schema_version: u32,
    /// The framework the area was scored on.
    pub framework: FrameworkRef,
    /// The area's name, such as a CCG, borough or cluster of schools.
    pub area: String,
    /// The rounds, in the order they were held.
    pub rounds: Vec<Round>,
    /// People taking part, with the group each speaks for.
    #[serde(default)]
    pub respondents: Vec<Respondent>,
    /// Individual ratings.
    #[serde(default)]
    pub ratings: Vec<Rating>,
    /// Counts of raised hands or dots per level.
    #[serde(default)]
    pub tallies: Vec<Tally>,
    /// The level the room agreed for a domain in a round.
    #[serde(default)]
    pub agreed: Vec<Agreed>,
    /// The level the area aims for in each domain.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Free notes per domain.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// The action plan.
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// One workshop or check-in.
///
/// A round made by a [`Session`](crate::Session) gets its id from its label; see
/// [`Session::create`](crate::Session::create).
///
/// ```
/// use cascade_core::Round;
///
/// let r = Round::new("checkin", "Check-in");
/// assert_eq!((r.id.as_str(), r.label.as_str(), r.date), ("checkin", "Check-in", None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// Id used in files, such as `baseline`.
    pub id: String,
    /// Label for people, such as "Baseline workshop".
    pub label: String,
    /// Date held, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A person taking part.
///
/// ```
/// use cascade_core::{Group, Respondent};
///
/// let r = Respondent::new("ana", Group::Education);
/// assert_eq!(r.id, "ana");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    /// An id or initials, unique in the assessment; used to pair ratings across rounds.
    pub id: String,
    /// Who they speak for.
    #[serde(default)]
    pub group: Group,
}

/// One person's rating of one domain in one round.
///
/// In JSON the field [`score`](Rating::score) is called `"level"`:
/// `{"round": "baseline", "respondent": "ana", "group": "education", "domain": "clarity", "level": 2}`.
/// A named rating's group must be its respondent's.
///
/// ```
/// use cascade_core::{Group, Rating, Score};
///
/// let r = Rating::new("baseline", Some("ana"), Group::Education, "clarity", Score::Level(2));
/// assert_eq!(r.respondent.as_deref(), Some("ana"));
/// let anonymous = Rating::new("baseline", None, Group::Other, "clarity", Score::Unsure);
/// assert_eq!(anonymous.score.level(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// Round id.
    pub round: String,
    /// Respondent id; `None` for an anonymous rating, which is never paired.
    #[serde(default)]
    pub respondent: Option<String>,
    /// The respondent's group; for a named rating, the group of that respondent.
    #[serde(default)]
    pub group: Group,
    /// Domain id.
    pub domain: String,
    /// The rating, written `"level"` in JSON.
    #[serde(rename = "level")]
    pub score: Score,
}

/// Votes counted per level for one domain in one round: each counts as an anonymous rating.
///
/// ```
/// use cascade_core::{Assessment, Framework, Group, Tally};
///
/// let fw = Framework::cascade();
/// let mut doc = Assessment::new("Vale", &fw);
/// doc.tallies.push(Tally {
///     round: "baseline".into(), domain: "contact".into(), group: Group::Other,
///     counts: vec![0, 2, 3, 0, 0], unsure: 1,
/// });
/// let contact = doc.summary(&fw)?.rounds[0].domains[1].clone();
/// assert_eq!((contact.n, contact.unsure, contact.median), (5, 1, Some(3.0)));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Round id.
    pub round: String,
    /// Domain id.
    pub domain: String,
    /// Whose votes these are; `other` when the room voted together.
    #[serde(default)]
    pub group: Group,
    /// Votes per level, from level 1 up; one entry per level of the scale.
    pub counts: Vec<u32>,
    /// Votes for "don't know".
    #[serde(default)]
    pub unsure: u32,
}

/// The level a room agreed for a domain in a round; it becomes that round's headline.
///
/// ```
/// use cascade_core::{Agreed, Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let mut doc = Assessment::new("Vale", &fw);
/// doc.agreed.push(Agreed { round: "baseline".into(), domain: "clarity".into(), level: 3 });
/// assert_eq!(doc.summary(&fw)?.rounds[0].domains[0].headline, Some(3.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreed {
    /// Round id.
    pub round: String,
    /// Domain id.
    pub domain: String,
    /// The agreed level.
    pub level: u8,
}

/// The level an area aims for in a domain.
///
/// ```
/// use cascade_core::{Agreed, Assessment, Framework, Target};
///
/// let fw = Framework::cascade();
/// let mut doc = Assessment::new("Vale", &fw);
/// doc.agreed.push(Agreed { round: "baseline".into(), domain: "clarity".into(), level: 2 });
/// doc.targets.push(Target { domain: "clarity".into(), level: 4 });
/// let clarity = &doc.summary(&fw)?.rounds[0].domains[0];
/// assert_eq!((clarity.target, clarity.gap), (Some(4), Some(2.0)));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Domain id.
    pub domain: String,
    /// The target level.
    pub level: u8,
}

/// A note about a domain.
///
/// ```
/// use cascade_core::Note;
///
/// let n = Note { domain: "clarity".into(), text: "Nobody knew who the school link was.".into() };
/// assert_eq!(n.domain, "clarity");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Domain id.
    pub domain: String,
    /// The note.
    pub text: String,
}

/// One line of the action plan.
///
/// ```
/// use cascade_core::{Action, Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let mut doc = Assessment::new("Vale", &fw);
/// doc.actions.push(Action {
///     domain: "contact".into(), action: "Share the list of named contacts".into(),
///     owner: "Mental health support team".into(), due: Some("2026-02-30".into()),
/// });
/// assert_eq!(
///     doc.validate(&fw).unwrap_err().to_string(),
///     "assessment: action 1: date \"2026-02-30\" is not a day of the calendar"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Domain id.
    pub domain: String,
    /// What will be done.
    pub action: String,
    /// Who will do it.
    #[serde(default)]
    pub owner: String,
    /// When by, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
}

impl Round {
    /// A round with no date.
    #[must_use]
    pub fn new(id: &str, label: &str) -> Round {
        Round { id: id.to_owned(), label: label.to_owned(), date: None }
    }
}

impl Respondent {
    /// A respondent with an id and a group.
    #[must_use]
    pub fn new(id: &str, group: Group) -> Respondent {
        Respondent { id: id.to_owned(), group }
    }
}

impl Rating {
    /// A rating; `respondent` is `None` for an anonymous one.
    #[must_use]
    pub fn new(round: &str, respondent: Option<&str>, group: Group, domain: &str, score: Score) -> Rating {
        Rating { round: round.to_owned(), respondent: respondent.map(str::to_owned), group, domain: domain.to_owned(), score }
    }
}

mod unchecked {
    use super::{Action, Agreed, Deserialize, FrameworkRef, Note, Rating, Respondent, Round, Tally, Target};

    /// An assessment as it is read, before its rules are checked: what serde fills in.
    // Named as the public type, which is what serde's messages name.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Assessment {
        pub(super) schema_version: u32,
        pub(super) framework: FrameworkRef,
        pub(super) area: String,
        pub(super) rounds: Vec<Round>,
        #[serde(default)]
        pub(super) respondents: Vec<Respondent>,
        #[serde(default)]
        pub(super) ratings: Vec<Rating>,
        #[serde(default)]
        pub(super) tallies: Vec<Tally>,
        #[serde(default)]
        pub(super) agreed: Vec<Agreed>,
        #[serde(default)]
        pub(super) targets: Vec<Target>,
        #[serde(default)]
        pub(super) notes: Vec<Note>,
        #[serde(default)]
        pub(super) actions: Vec<Action>,
    }
}

use unchecked::Assessment as Unchecked;

impl TryFrom<Unchecked> for Assessment {
    type Error = Error;

    fn try_from(u: Unchecked) -> Result<Assessment, Error> {
        let a = Assessment {
            schema_version: u.schema_version,
            framework: u.framework,
            area: u.area,
            rounds: u.rounds,
            respondents: u.respondents,
            ratings: u.ratings,
            tallies: u.tallies,
            agreed: u.agreed,
            targets: u.targets,
            notes: u.notes,
            actions: u.actions,
        };
        a.check(None, None)?;
        Ok(a)
    }
}

/// What is wrong with one item of a list, before the list and position are put in front.
type Fault = (ErrorKind, String);

impl Assessment {
    /// A new, empty assessment of `area` with two rounds: id `baseline` labelled "Baseline",
    /// and id `followup` labelled "Follow-up", the contract's round ids.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework};
    ///
    /// let doc = Assessment::new("Example Vale", &Framework::cascade());
    /// let rounds: Vec<(&str, &str)> = doc.rounds.iter().map(|r| (r.id.as_str(), r.label.as_str())).collect();
    /// assert_eq!(rounds, [("baseline", "Baseline"), ("followup", "Follow-up")]);
    /// assert!(doc.ratings.is_empty());
    /// ```
    #[must_use]
    pub fn new(area: &str, framework: &Framework) -> Assessment {
        Assessment {
            schema_version: SCHEMA_VERSION,
            framework: framework.reference(),
            area: area.to_owned(),
            rounds: vec![
                Round { id: "baseline".into(), label: "Baseline".into(), date: None },
                Round { id: "followup".into(), label: "Follow-up".into(), date: None },
            ],
            respondents: Vec::new(),
            ratings: Vec::new(),
            tallies: Vec::new(),
            agreed: Vec::new(),
            targets: Vec::new(),
            notes: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// Reads an assessment document and checks the rules it keeps on its own: the schema
    /// version, the area, rounds, respondents and dates, that every rating, tally and agreed
    /// level names one of its rounds and every named rating one of its respondents, in that
    /// respondent's group, and that nothing is recorded twice. serde's `Deserialize` makes the
    /// same checks.
    ///
    /// Domains and levels depend on the framework, so they are checked by
    /// [`validate`](Assessment::validate), which every function that scores a document
    /// ([`summary`](Assessment::summary), [`Dataset::push_assessment`](crate::Dataset::push_assessment),
    /// [`Session::new`](crate::Session::new)) calls first.
    ///
    /// The schema version is checked before anything else, so a document from a newer
    /// release gets a message about the version, not about a field.
    ///
    /// ```
    /// use cascade_core::{Assessment, ErrorKind, Framework};
    ///
    /// let fw = Framework::cascade();
    /// let text = Assessment::new("Vale", &fw).to_json();
    /// let doc = Assessment::from_json(&text)?;
    /// doc.validate(&fw)?;
    ///
    /// let err = Assessment::from_json(r#"{"schema_version": 2, "area": "Vale"}"#).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::SchemaVersion);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "assessment: schema_version 2 is not supported; this release reads version 1"
    /// );
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json), with line and column, for text that is not
    /// an assessment document; [`ErrorKind::SchemaVersion`](crate::ErrorKind::SchemaVersion)
    /// for another version; otherwise the kind of the first rule broken, as
    /// [`validate`](Assessment::validate) reports it.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json(text: &str) -> Result<Assessment, Error> {
        #[derive(Deserialize)]
        struct Probe {
            schema_version: Option<serde_json::Value>,
        }
        let json = |e: serde_json::Error| Error::json(What::Assessment, &e);
        // Not an object at all: the real type says so below, not the probe.
        if let Ok(probe) = serde_json::from_str::<Probe>(text) {
            check_schema_version(probe.schema_version.as_ref().map(serde_json::Value::as_u64))?;
        }
        let unchecked: Unchecked = serde_json::from_str(text).map_err(json)?;
        Assessment::try_from(unchecked)
    }

    /// Writes the document as pretty-printed JSON, which [`from_json`](Assessment::from_json)
    /// reads back. The field [`Rating::score`] is written as `"level"`, as the schema names it.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework, Group, Rating, Score};
    ///
    /// let mut doc = Assessment::new("Vale", &Framework::cascade());
    /// doc.ratings.push(Rating::new("baseline", None, Group::Other, "clarity", Score::Level(2)));
    /// let text = doc.to_json();
    /// assert!(text.contains(r#""level": 2"#));
    /// assert_eq!(Assessment::from_json(&text)?, doc);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serializing plain structs with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the document against the framework it claims: everything
    /// [`from_json`](Assessment::from_json) checks, and that every domain and level is the
    /// framework's and every tally has one count per level.
    ///
    /// A document that passes can be scored, edited in a [`Session`](crate::Session) and
    /// written as tidy CSV that reads back the same.
    ///
    /// ```
    /// use cascade_core::{Assessment, ErrorKind, Framework, Group, Rating, Score};
    ///
    /// let fw = Framework::cascade();
    /// let mut doc = Assessment::new("Vale", &fw);
    /// doc.ratings.push(Rating::new("baseline", None, Group::Other, "clarty", Score::Level(2)));
    /// let err = doc.validate(&fw).unwrap_err();
    /// assert_eq!((err.kind(), err.domain()), (ErrorKind::UnknownDomain, Some("clarty")));
    /// assert!(err.to_string().starts_with("assessment: rating 1: unknown domain \"clarty\""));
    /// ```
    ///
    /// # Errors
    ///
    /// The first rule broken: [`ErrorKind::FrameworkMismatch`](crate::ErrorKind::FrameworkMismatch)
    /// if the document names another framework; otherwise a kind such as
    /// [`UnknownDomain`](crate::ErrorKind::UnknownDomain), [`Level`](crate::ErrorKind::Level) or
    /// [`DuplicateRating`](crate::ErrorKind::DuplicateRating), with a message that names the
    /// item, as "rating 3: ...".
    pub fn validate(&self, fw: &Framework) -> Result<(), Error> {
        self.check(Some(fw), None)
    }

    /// [`validate`](Assessment::validate) of a document that was valid before rating
    /// `changed` was set: the same answer, with the same message, without checking every
    /// other rating again. For a [`Session`](crate::Session)'s key press in a document of
    /// thousands of ratings.
    pub(crate) fn validate_rating_at(&self, fw: &Framework, changed: usize) -> Result<(), Error> {
        // The ratings the full check could stop at: this one, and any later one the same
        // person gave the same domain in the same round (the second of a pair is the one
        // named), in order.
        let r = &self.ratings[changed];
        let mut at = vec![changed];
        if r.respondent.is_some() {
            at.extend((changed + 1..self.ratings.len()).filter(|&j| same_rating(&self.ratings[j], r)));
        }
        self.check(Some(fw), Some(&at))
    }

    /// The checks of [`validate`](Assessment::validate); without a framework, only those that
    /// need none. `only`: check just these ratings (sorted), the rest being known valid.
    fn check(&self, fw: Option<&Framework>, only: Option<&[usize]>) -> Result<(), Error> {
        use ErrorKind as K;
        let bad = |kind: ErrorKind, message: String| Err(Error::assessment(kind, message));
        check_schema_version(Some(Some(u64::from(self.schema_version))))?;
        if let Some(fw) = fw {
            if self.framework.id != fw.id || self.framework.version != fw.version {
                return Err(Error::new(
                    K::FrameworkMismatch,
                    format!(
                        "the assessment was scored on framework {} version {}, but {} version {} is in use",
                        Quoted(&self.framework.id),
                        Quoted(&self.framework.version),
                        Quoted(&fw.id),
                        Quoted(&fw.version)
                    ),
                ));
            }
        }
        if self.area.trim().is_empty() {
            return bad(K::Empty, "area is empty".into());
        }
        // Tidy CSV trims values, so text with spaces round it would not come back the same.
        let padded = |t: &str| t.trim() != t;
        if padded(&self.area) {
            return bad(K::Padded, format!("area {} has spaces at the start or end", Quoted(&self.area)));
        }
        ids::check_name(&self.area, ids::MAX_NAME_CHARS).or_else(|m| bad(K::InvalidText, format!("area {} {m}", Quoted(&self.area))))?;
        if self.rounds.is_empty() {
            return bad(K::Empty, "has no rounds".into());
        }
        for (i, r) in self.rounds.iter().enumerate() {
            if r.id.trim().is_empty() {
                return bad(K::Empty, format!("round {}: id is empty", i + 1));
            }
            if padded(&r.id) {
                return bad(K::Padded, format!("round {}: id {} has spaces at the start or end", i + 1, Quoted(&r.id)));
            }
            ids::check_id(&r.id).or_else(|m| bad(K::InvalidText, format!("round {}: id {} {m}", i + 1, Quoted(&r.id))))?;
            ids::check_name(&r.label, ids::MAX_NAME_CHARS)
                .or_else(|m| bad(K::InvalidText, format!("round {}: label {} {m}", i + 1, Quoted(&r.label))))?;
            if self.rounds[..i].iter().any(|o| o.id == r.id) {
                return bad(K::Duplicate, format!("round {}: id {} is used twice", i + 1, Quoted(&r.id)));
            }
            if let Some(date) = &r.date {
                check_date(date).or_else(|m| bad(K::Date, format!("round {}: {m}", Quoted(&r.id))))?;
            }
        }
        // Without a framework, any scale a framework may have.
        let scale = fw.map_or(MAX_LEVELS as u8, Framework::scale);
        let round_ok = |round: &str| -> Result<(), Fault> {
            if self.rounds.iter().any(|r| r.id == round) {
                return Ok(());
            }
            let ids = crate::quote::joined(self.rounds.iter().map(|r| r.id.as_str()));
            Err((K::UnknownRound, format!("unknown round {}; rounds are {ids}", Quoted(round))))
        };
        let domain_ok = |domain: &str| -> Result<(), Fault> {
            match fw {
                Some(fw) if fw.domain_index(domain).is_none() => Err((
                    K::UnknownDomain,
                    format!("unknown domain {}; expected one of {}", Quoted(domain), fw.domain_list()),
                )),
                _ => Ok(()),
            }
        };
        let level_ok = |level: u8| -> Result<(), Fault> {
            match fw {
                _ if (1..=scale).contains(&level) => Ok(()),
                Some(_) => Err((K::Level, format!("level {level} is not on the scale 1 to {scale}"))),
                None => Err((K::Level, format!("level {level} is not on any scale; scales run from 1 to at most {MAX_LEVELS}"))),
            }
        };
        // What each list has had, as one text per item (respondent or "", round or "", domain,
        // group) in the dataset's numbering, so the module holds one table's code.
        let mut seen = Numbering::default();
        each("respondent", self.respondents.len(), &|_| None, &mut |i| {
            let r = &self.respondents[i];
            if r.id.trim().is_empty() {
                return Err((K::Empty, "id is empty".into()));
            }
            if padded(&r.id) {
                return Err((K::Padded, format!("id {} has spaces at the start or end", Quoted(&r.id))));
            }
            ids::check_id(&r.id).map_err(|m| (K::InvalidText, format!("id {} {m}", Quoted(&r.id))))?;
            if !first_time(&mut seen, r.id.as_str(), "", "", 0) {
                return Err((K::Duplicate, format!("id {} is used twice", Quoted(&r.id))));
            }
            // The respondent with their group, which each of their ratings looks up: a
            // search of the list per rating made a file of 5,000 people take seconds.
            first_time(&mut seen, r.id.as_str(), "", "", 1 + r.group.index());
            Ok(())
        })?;
        // The respondents stay in the set for the ratings' lookups; a rating's own key has a
        // round, which is never empty, so the two kinds of key cannot meet.
        let mut all = 0..self.ratings.len();
        let mut some = only.unwrap_or_default().iter().copied();
        let indices: &mut dyn Iterator<Item = usize> = if only.is_some() { &mut some } else { &mut all };
        each_at("rating", indices, &|i| Some(self.ratings[i].domain.as_str()), &mut |i| {
            let r = &self.ratings[i];
            round_ok(&r.round)?;
            domain_ok(&r.domain)?;
            if let Score::Level(l) = r.score {
                level_ok(l)?;
            }
            if let Some(who) = r.respondent.as_ref().filter(|who| !seen_has(&seen, who, "", "", 1 + r.group.index())) {
                // Not a respondent of this group: the first rule it breaks says why.
                if who.trim().is_empty() {
                    return Err((K::Empty, "respondent is empty; leave it out for an anonymous rating".into()));
                }
                if padded(who) {
                    return Err((K::Padded, format!("respondent {} has spaces at the start or end", Quoted(who))));
                }
                ids::check_id(who).map_err(|m| (K::InvalidText, format!("respondent {} {m}", Quoted(who))))?;
                let Some(person) = self.respondents.iter().find(|p| &p.id == who) else {
                    return Err((K::UnknownRespondent, format!("respondent {} is not in the list of respondents", Quoted(who))));
                };
                return Err((
                    K::GroupMismatch,
                    format!("group {} is not the group of respondent {}, {}", r.group, Quoted(who), person.group),
                ));
            }
            if let Some(who) = &r.respondent {
                // Checking only some, an earlier twin is looked for in the list itself.
                let twice = match only {
                    None => !first_time(&mut seen, who.as_str(), r.round.as_str(), r.domain.as_str(), 0),
                    Some(_) => self.ratings[..i].iter().any(|o| same_rating(o, r)),
                };
                if twice {
                    return Err((
                        K::DuplicateRating,
                        format!("respondent {} already rated {} in round {}", Quoted(who), r.domain, Quoted(&r.round)),
                    ));
                }
            }
            Ok(())
        })?;
        seen.clear();
        each("tally", self.tallies.len(), &|i| Some(self.tallies[i].domain.as_str()), &mut |i| {
            let t = &self.tallies[i];
            round_ok(&t.round)?;
            domain_ok(&t.domain)?;
            match fw {
                Some(_) if t.counts.len() != usize::from(scale) => {
                    return Err((K::Tally, format!("has {} counts; the scale has {scale} levels", t.counts.len())));
                }
                None if !(MIN_LEVELS..=MAX_LEVELS).contains(&t.counts.len()) => {
                    return Err((
                        K::Tally,
                        format!("has {} counts; a scale has {MIN_LEVELS} to {MAX_LEVELS} levels", t.counts.len()),
                    ));
                }
                _ => {}
            }
            // Far beyond any room, and it keeps every count within the tallies' 32 bits.
            if let Some(c) = t.counts.iter().chain([&t.unsure]).find(|&&c| c > MAX_VOTES) {
                return Err((K::Tally, format!("{c} votes is more than the limit of {MAX_VOTES}")));
            }
            if !first_time(&mut seen, "", t.round.as_str(), t.domain.as_str(), t.group.index()) {
                return Err((
                    K::Duplicate,
                    format!("{} in round {} is tallied twice for group {}", t.domain, Quoted(&t.round), t.group),
                ));
            }
            Ok(())
        })?;
        seen.clear();
        each("agreed", self.agreed.len(), &|i| Some(self.agreed[i].domain.as_str()), &mut |i| {
            let a = &self.agreed[i];
            round_ok(&a.round)?;
            domain_ok(&a.domain)?;
            level_ok(a.level)?;
            if !first_time(&mut seen, "", a.round.as_str(), a.domain.as_str(), 0) {
                return Err((K::Duplicate, format!("{} in round {} is agreed twice", a.domain, Quoted(&a.round))));
            }
            Ok(())
        })?;
        seen.clear();
        each("target", self.targets.len(), &|i| Some(self.targets[i].domain.as_str()), &mut |i| {
            let t = &self.targets[i];
            domain_ok(&t.domain)?;
            level_ok(t.level)?;
            if !first_time(&mut seen, "", "", t.domain.as_str(), 0) {
                return Err((K::Duplicate, format!("{} has two targets", t.domain)));
            }
            Ok(())
        })?;
        each("note", self.notes.len(), &|i| Some(self.notes[i].domain.as_str()), &mut |i| {
            domain_ok(&self.notes[i].domain)?;
            ids::check_len(&self.notes[i].text, ids::MAX_TEXT_CHARS).map_err(|m| (K::InvalidText, format!("the note {m}")))
        })?;
        each("action", self.actions.len(), &|i| Some(self.actions[i].domain.as_str()), &mut |i| {
            let a = &self.actions[i];
            domain_ok(&a.domain)?;
            if a.action.trim().is_empty() {
                return Err((K::Empty, "the action is empty".into()));
            }
            ids::check_len(&a.action, ids::MAX_TEXT_CHARS).map_err(|m| (K::InvalidText, format!("the action {m}")))?;
            ids::check_len(&a.owner, ids::MAX_NAME_CHARS).map_err(|m| (K::InvalidText, format!("the owner {m}")))?;
            a.due.as_deref().map_or(Ok(()), check_date).map_err(|m| (K::Date, m))
        })?;
        Ok(())
    }

    /// A round by id.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework};
    ///
    /// let doc = Assessment::new("Vale", &Framework::cascade());
    /// assert_eq!(doc.round("followup").map(|r| r.label.as_str()), Some("Follow-up"));
    /// assert!(doc.round("follow-up").is_none());
    /// ```
    #[must_use]
    pub fn round(&self, id: &str) -> Option<&Round> {
        self.rounds.iter().find(|r| r.id == id)
    }

    /// A respondent by id.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework, Group, Respondent};
    ///
    /// let mut doc = Assessment::new("Vale", &Framework::cascade());
    /// doc.respondents.push(Respondent::new("ana", Group::Education));
    /// assert_eq!(doc.respondent("ana").map(|r| r.group), Some(Group::Education));
    /// ```
    #[must_use]
    pub fn respondent(&self, id: &str) -> Option<&Respondent> {
        self.respondents.iter().find(|r| r.id == id)
    }

    /// Summary statistics for every round of this area, in document order.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework, Group, Rating, Respondent, Score};
    ///
    /// let fw = Framework::cascade();
    /// let mut doc = Assessment::new("Vale", &fw);
    /// doc.respondents.push(Respondent::new("ana", Group::Education));
    /// doc.ratings.push(Rating::new("baseline", Some("ana"), Group::Education, "contact", Score::Level(3)));
    /// let summary = doc.summary(&fw)?;
    /// let contact = summary.round("baseline").and_then(|r| r.domain("contact")).unwrap();
    /// assert_eq!((contact.n, contact.median), (1, Some(3.0)));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`validate`](Assessment::validate): the document must be valid on `fw`.
    pub fn summary(&self, fw: &Framework) -> Result<crate::AreaSummary, Error> {
        let data = crate::Dataset::from_assessment(self, fw)?;
        let mut summary = data.summary();
        Ok(summary.areas.remove(0))
    }

    /// Compares round `from` with round `to` of this area.
    ///
    /// ```
    /// use cascade_core::{Assessment, Direction, Framework, Group, Rating, Score};
    ///
    /// let fw = Framework::cascade();
    /// let mut doc = Assessment::new("Vale", &fw);
    /// doc.ratings.push(Rating::new("baseline", None, Group::Other, "contact", Score::Level(2)));
    /// doc.ratings.push(Rating::new("followup", None, Group::Other, "contact", Score::Level(4)));
    /// let change = doc.compare(&fw, "baseline", "followup")?;
    /// let contact = change.domain("contact").unwrap();
    /// assert_eq!((contact.delta, contact.direction), (Some(2.0), Direction::Improved));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`validate`](Assessment::validate), and
    /// [`ErrorKind::UnknownRound`](crate::ErrorKind::UnknownRound) if the document has no
    /// round `from` or `to`.
    pub fn compare(&self, fw: &Framework, from: &str, to: &str) -> Result<crate::AreaComparison, Error> {
        let data = crate::Dataset::from_assessment(self, fw)?;
        let mut comparison = data.compare(from, to)?;
        Ok(comparison.areas.remove(0))
    }
}

/// Checks a document's `schema_version` before the rest of it is read, so a document from
/// a newer release gets a message about the version rather than about a field.
/// `None` means the field is missing, `Some(None)` that it is not a whole number.
///
/// # Errors
///
/// [`ErrorKind::SchemaVersion`] for any version but [`SCHEMA_VERSION`].
pub fn check_schema_version(found: Option<Option<u64>>) -> Result<(), Error> {
    let message = match found {
        Some(Some(v)) if v == u64::from(SCHEMA_VERSION) => return Ok(()),
        Some(Some(v)) => format!("schema_version {v} is not supported; this release reads version {SCHEMA_VERSION}"),
        Some(None) => "schema_version must be a whole number".to_owned(),
        None => format!("schema_version is missing; this release reads version {SCHEMA_VERSION}"),
    };
    Err(Error::assessment(ErrorKind::SchemaVersion, message))
}

/// Whether `seen` had no item with these parts yet, noting it.
fn first_time(seen: &mut Numbering, who: &str, round: &str, domain: &str, group: usize) -> bool {
    seen.insert(&seen_key(who, round, domain, group)).1
}

/// Whether `seen` has an item with these parts.
fn seen_has(seen: &Numbering, who: &str, round: &str, domain: &str, group: usize) -> bool {
    seen.get(&seen_key(who, round, domain, group)).is_some()
}

/// An item of the duplicate checks as one text: the parts joined by NUL, which no id may hold
/// (`ids::check_id`, checked first) but a domain without a framework, which is last, so that
/// no two items share a text; the group (0, or 1 + its index) one digit at the end.
fn seen_key(who: &str, round: &str, domain: &str, group: usize) -> String {
    let mut key = String::with_capacity(who.len() + round.len() + domain.len() + 4);
    for part in [who, round, domain] {
        key.push_str(part);
        key.push('\0');
    }
    key.push(char::from(b'0' + (group % 10) as u8));
    key
}

/// Whether two ratings are the same person's of the same domain in the same round.
fn same_rating(a: &Rating, b: &Rating) -> bool {
    a.respondent.is_some() && a.respondent == b.respondent && a.round == b.round && a.domain == b.domain
}

/// Checks items `0..n` of a list, naming the first that fails: "rating 3: ...", with the
/// item's domain.
fn each<'a>(
    what: &str,
    n: usize,
    domain: &dyn Fn(usize) -> Option<&'a str>,
    check: &mut dyn FnMut(usize) -> Result<(), Fault>,
) -> Result<(), Error> {
    each_at(what, &mut (0..n), domain, check)
}

/// Checks the items `indices` of a list, in order, naming the first that fails. `dyn`, so
/// the loop is compiled once for every list.
fn each_at<'a>(
    what: &str,
    indices: &mut dyn Iterator<Item = usize>,
    domain: &dyn Fn(usize) -> Option<&'a str>,
    check: &mut dyn FnMut(usize) -> Result<(), Fault>,
) -> Result<(), Error> {
    for i in indices {
        if let Err((kind, m)) = check(i) {
            let err = Error::assessment(kind, format!("{what} {}: {m}", i + 1));
            return Err(match domain(i) {
                Some(d) => err.in_domain(d),
                None => err,
            });
        }
    }
    Ok(())
}

/// Checks a `YYYY-MM-DD` calendar date.
fn check_date(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten();
    let Some((y, m, d)) = parsed else {
        return Err(format!("date {} is not a date like 2026-03-14", Quoted(text)));
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if d == 0 || d > days {
        return Err(format!("date {} is not a day of the calendar", Quoted(text)));
    }
    Ok(())
}
