//! The assessment document: everything recorded about one area, serialized as JSON.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::quote::Quoted;
use crate::framework::{Framework, FrameworkRef};
use crate::group::Group;
use crate::ids;

/// The schema version this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The most votes one tally may hold for one level.
pub const MAX_VOTES: u32 = 100_000;

/// One rating: a level on the scale, or "don't know".
///
/// In JSON a level is a number and unsure is the string `"unsure"`.
///
/// ```
/// use cascade_core::Score;
///
/// assert_eq!(Score::parse("4", 5), Some(Score::Level(4)));
/// assert_eq!(Score::parse("unsure", 5), Some(Score::Unsure));
/// assert_eq!(Score::parse("6", 5), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Score {
    /// A level, from 1 to the top of the scale.
    Level(u8),
    /// The respondent does not know; counted, but never in a statistic.
    Unsure,
}

impl Score {
    /// Reads a score as written in a CSV file: a whole number from 1 to `scale`, or `unsure`.
    /// Surrounding spaces, any letter case of `unsure`, and a spreadsheet's `3.0` are accepted.
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
/// Unknown fields are refused, and so is any `schema_version` but [`SCHEMA_VERSION`];
/// `docs/assessment.schema.json` in the repository is the JSON Schema.
///
/// ```
/// use cascade_core::{Assessment, Framework, Group, Rating, Score};
///
/// let fw = Framework::cascade();
/// let mut a = Assessment::new("Example Vale", &fw);
/// a.ratings.push(Rating {
///     round: "baseline".into(),
///     respondent: Some("ana".into()),
///     group: Group::Education,
///     domain: "clarity".into(),
///     score: Score::Level(2),
/// });
/// a.validate(&fw)?;
/// let summary = a.summary(&fw)?;
/// assert_eq!(summary.rounds[0].domains[0].median, Some(2.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// Round id.
    pub round: String,
    /// Respondent id; `None` for an anonymous rating, which is never paired.
    #[serde(default)]
    pub respondent: Option<String>,
    /// The respondent's group.
    #[serde(default)]
    pub group: Group,
    /// Domain id.
    pub domain: String,
    /// The rating.
    #[serde(rename = "level")]
    pub score: Score,
}

/// Votes counted per level for one domain in one round: each counts as an anonymous rating.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Domain id.
    pub domain: String,
    /// The target level.
    pub level: u8,
}

/// A note about a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Domain id.
    pub domain: String,
    /// The note.
    pub text: String,
}

/// One line of the action plan.
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

impl Assessment {
    /// A new, empty assessment with a baseline and a follow-up round.
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

    /// Reads an assessment document. Checks the schema version before anything else,
    /// so a document from a newer release gets a message about the version, not a field.
    ///
    /// ```
    /// use cascade_core::Assessment;
    ///
    /// let err = Assessment::from_json(r#"{"schema_version": 2, "area": "Vale"}"#).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "assessment: schema_version 2 is not supported; this release reads version 1"
    /// );
    /// ```
    #[cfg(feature = "json")]
    pub fn from_json(text: &str) -> Result<Assessment, Error> {
        #[derive(Deserialize)]
        struct Probe {
            schema_version: Option<serde_json::Value>,
        }
        let json = |e: serde_json::Error| Error::json("assessment", &e);
        match serde_json::from_str::<Probe>(text) {
            Ok(probe) => Assessment::check_schema_version(probe.schema_version.as_ref().map(|v| v.as_u64()))?,
            // Not an object at all: let the real type say so, not the probe.
            Err(_) => return serde_json::from_str(text).map_err(json),
        }
        serde_json::from_str(text).map_err(json)
    }

    /// Writes the document as pretty-printed JSON.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        // Serializing plain structs with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the document against the framework it claims: every round, domain and level
    /// exists, nothing is recorded twice, dates are dates.
    pub fn validate(&self, fw: &Framework) -> Result<(), Error> {
        let bad = |message: String| Err(Error::Assessment { message });
        Assessment::check_schema_version(Some(Some(u64::from(self.schema_version))))?;
        if self.framework.id != fw.id || self.framework.version != fw.version {
            return Err(Error::FrameworkMismatch {
                found: self.framework.id.clone(),
                found_version: self.framework.version.clone(),
                expected: fw.id.clone(),
                expected_version: fw.version.clone(),
            });
        }
        if self.area.trim().is_empty() {
            return bad("area is empty".into());
        }
        // Tidy CSV trims values, so text with spaces round it would not come back the same.
        let padded = |t: &str| t.trim() != t;
        if padded(&self.area) {
            return bad(format!("area {} has spaces at the start or end", Quoted(&self.area)));
        }
        ids::check_name(&self.area, ids::MAX_NAME_CHARS).or_else(|m| bad(format!("area {} {m}", Quoted(&self.area))))?;
        if self.rounds.is_empty() {
            return bad("has no rounds".into());
        }
        for (i, r) in self.rounds.iter().enumerate() {
            if r.id.trim().is_empty() {
                return bad(format!("round {}: id is empty", i + 1));
            }
            if padded(&r.id) {
                return bad(format!("round {}: id {} has spaces at the start or end", i + 1, Quoted(&r.id)));
            }
            ids::check_id(&r.id).or_else(|m| bad(format!("round {}: id {} {m}", i + 1, Quoted(&r.id))))?;
            ids::check_name(&r.label, ids::MAX_NAME_CHARS)
                .or_else(|m| bad(format!("round {}: label {} {m}", i + 1, Quoted(&r.label))))?;
            if self.rounds[..i].iter().any(|o| o.id == r.id) {
                return bad(format!("round {}: id {} is used twice", i + 1, Quoted(&r.id)));
            }
            if let Some(date) = &r.date {
                check_date(date).or_else(|m| bad(format!("round {}: {m}", Quoted(&r.id))))?;
            }
        }
        let scale = fw.scale();
        let round_ok = |round: &str| -> Result<(), String> {
            if self.rounds.iter().any(|r| r.id == round) {
                return Ok(());
            }
            let ids: Vec<&str> = self.rounds.iter().map(|r| r.id.as_str()).collect();
            Err(format!("unknown round {}; rounds are {}", Quoted(round), ids.join(", ")))
        };
        let domain_ok = |domain: &str| -> Result<usize, String> {
            fw.domain_index(domain)
                .ok_or_else(|| format!("unknown domain {}; expected one of {}", Quoted(domain), fw.domain_list()))
        };
        let level_ok = |level: u8| -> Result<(), String> {
            if (1..=scale).contains(&level) {
                Ok(())
            } else {
                Err(format!("level {level} is not on the scale 1 to {scale}"))
            }
        };
        // One key type for every list keeps one copy of the set's code in the WebAssembly
        // module: respondent or "", round or "", then domain and group as one number.
        let mut seen: HashSet<(&str, &str, usize), BuildHasherDefault<Fnv>> = HashSet::default();
        each("respondent", self.respondents.len(), &mut |i| {
            let r = &self.respondents[i];
            if r.id.trim().is_empty() {
                return Err("id is empty".into());
            }
            if padded(&r.id) {
                return Err(format!("id {} has spaces at the start or end", Quoted(&r.id)));
            }
            ids::check_id(&r.id).map_err(|m| format!("id {} {m}", Quoted(&r.id)))?;
            if !seen.insert((r.id.as_str(), "", 0)) {
                return Err(format!("id {} is used twice", Quoted(&r.id)));
            }
            Ok(())
        })?;
        seen.clear();
        each("rating", self.ratings.len(), &mut |i| {
            let r = &self.ratings[i];
            round_ok(&r.round)?;
            let d = domain_ok(&r.domain)?;
            if let Score::Level(l) = r.score {
                level_ok(l)?;
            }
            if let Some(who) = &r.respondent {
                if who.trim().is_empty() {
                    return Err("respondent is empty; leave it out for an anonymous rating".into());
                }
                if padded(who) {
                    return Err(format!("respondent {} has spaces at the start or end", Quoted(who)));
                }
                ids::check_id(who).map_err(|m| format!("respondent {} {m}", Quoted(who)))?;
                if !seen.insert((who.as_str(), r.round.as_str(), d)) {
                    return Err(format!("respondent {} already rated {} in round {}", Quoted(who), r.domain, Quoted(&r.round)));
                }
            }
            Ok(())
        })?;
        seen.clear();
        each("tally", self.tallies.len(), &mut |i| {
            let t = &self.tallies[i];
            round_ok(&t.round)?;
            let d = domain_ok(&t.domain)?;
            if t.counts.len() != usize::from(scale) {
                return Err(format!("has {} counts; the scale has {scale} levels", t.counts.len()));
            }
            // Far beyond any room, and it keeps every count within the tallies' 32 bits.
            if let Some(c) = t.counts.iter().chain([&t.unsure]).find(|&&c| c > MAX_VOTES) {
                return Err(format!("{c} votes is more than the limit of {MAX_VOTES}"));
            }
            if !seen.insert(("", t.round.as_str(), d * Group::ALL.len() + t.group.index())) {
                return Err(format!("{} in round {} is tallied twice for group {}", t.domain, Quoted(&t.round), t.group));
            }
            Ok(())
        })?;
        seen.clear();
        each("agreed", self.agreed.len(), &mut |i| {
            let a = &self.agreed[i];
            round_ok(&a.round)?;
            let d = domain_ok(&a.domain)?;
            level_ok(a.level)?;
            if !seen.insert(("", a.round.as_str(), d)) {
                return Err(format!("{} in round {} is agreed twice", a.domain, Quoted(&a.round)));
            }
            Ok(())
        })?;
        seen.clear();
        each("target", self.targets.len(), &mut |i| {
            let t = &self.targets[i];
            let d = domain_ok(&t.domain)?;
            level_ok(t.level)?;
            if !seen.insert(("", "", d)) {
                return Err(format!("{} has two targets", t.domain));
            }
            Ok(())
        })?;
        each("note", self.notes.len(), &mut |i| {
            domain_ok(&self.notes[i].domain)?;
            ids::check_len(&self.notes[i].text, ids::MAX_TEXT_CHARS).map_err(|m| format!("the note {m}"))
        })?;
        each("action", self.actions.len(), &mut |i| {
            let a = &self.actions[i];
            domain_ok(&a.domain)?;
            if a.action.trim().is_empty() {
                return Err("the action is empty".into());
            }
            ids::check_len(&a.action, ids::MAX_TEXT_CHARS).map_err(|m| format!("the action {m}"))?;
            ids::check_len(&a.owner, ids::MAX_NAME_CHARS).map_err(|m| format!("the owner {m}"))?;
            a.due.as_deref().map_or(Ok(()), check_date)
        })?;
        Ok(())
    }

    /// Checks a document's `schema_version` before the rest of it is read, so a document from
    /// a newer release gets a message about the version rather than about a field.
    /// `None` means the field is missing, `Some(None)` that it is not a whole number.
    pub fn check_schema_version(found: Option<Option<u64>>) -> Result<(), Error> {
        let message = match found {
            Some(Some(v)) if v == u64::from(SCHEMA_VERSION) => return Ok(()),
            Some(Some(v)) => format!("schema_version {v} is not supported; this release reads version {SCHEMA_VERSION}"),
            Some(None) => "schema_version must be a whole number".to_owned(),
            None => format!("schema_version is missing; this release reads version {SCHEMA_VERSION}"),
        };
        Err(Error::Assessment { message })
    }

    /// Summary statistics for every round of this area.
    pub fn summary(&self, fw: &Framework) -> Result<crate::AreaSummary, Error> {
        let data = crate::Dataset::from_assessment(self, fw)?;
        let mut summary = data.summary();
        Ok(summary.areas.remove(0))
    }

    /// Compares two rounds of this area.
    pub fn compare(&self, fw: &Framework, from: &str, to: &str) -> Result<crate::AreaComparison, Error> {
        let data = crate::Dataset::from_assessment(self, fw)?;
        let mut comparison = data.compare(from, to)?;
        Ok(comparison.areas.remove(0))
    }
}

/// FNV-1a, for the duplicate checks: the keys are the document's own names, so a simple hash
/// does, and SipHash with its random keys stays out of the WebAssembly module (1.8 KB).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Checks items `0..n` of a list, naming the first that fails: "rating 3: ...".
/// `dyn`, so the loop is compiled once for every list.
fn each(what: &str, n: usize, check: &mut dyn FnMut(usize) -> Result<(), String>) -> Result<(), Error> {
    for i in 0..n {
        check(i).map_err(|m| Error::Assessment { message: format!("{what} {}: {m}", i + 1) })?;
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
