//! Editing an assessment live, one change at a time, with undo and redo.

use serde::{Deserialize, Serialize};

use crate::assessment::{Action, Agreed, Assessment, Note, Rating, Respondent, Round, Score, Tally, Target};
use crate::error::Error;
use crate::framework::Framework;
use crate::group::Group;

/// How many changes can be undone.
pub const UNDO_LIMIT: usize = 500;

/// One change a facilitator makes. In JSON the `op` field names the change.
///
/// ```
/// use cascade_core::Edit;
///
/// let edit: Edit = serde_json::from_str(
///     r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 3}"#,
/// ).unwrap();
/// assert_eq!(edit, Edit::SetAgreed { round: "baseline".into(), domain: "clarity".into(), level: Some(3) });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Renames the area.
    SetArea {
        /// The new name.
        area: String,
    },
    /// Adds a round at the end; its id is made from the label.
    AddRound {
        /// Label for people, such as "Check-in".
        label: String,
        /// Date held.
        #[serde(default)]
        date: Option<String>,
    },
    /// Relabels or redates a round.
    SetRound {
        /// The round's id.
        id: String,
        /// New label.
        label: String,
        /// New date.
        #[serde(default)]
        date: Option<String>,
    },
    /// Removes a round with everything recorded in it.
    RemoveRound {
        /// The round's id.
        id: String,
    },
    /// Adds a respondent; the id is `r1`, `r2`, … when none is given.
    AddRespondent {
        /// An id or initials.
        #[serde(default)]
        id: Option<String>,
        /// Who they speak for.
        #[serde(default)]
        group: Group,
    },
    /// Changes a respondent's group, in their ratings too.
    SetRespondent {
        /// The respondent's id.
        id: String,
        /// The new group.
        group: Group,
    },
    /// Removes a respondent and their ratings.
    RemoveRespondent {
        /// The respondent's id.
        id: String,
    },
    /// Sets or clears a respondent's rating of a domain in a round.
    SetRating {
        /// Round id.
        round: String,
        /// Respondent id.
        respondent: String,
        /// Domain id.
        domain: String,
        /// The rating; `None` clears it.
        level: Option<Score>,
    },
    /// Sets the room's vote counts for a domain in a round.
    SetTally {
        /// Round id.
        round: String,
        /// Domain id.
        domain: String,
        /// Votes per level, from level 1 up.
        counts: Vec<u32>,
        /// Votes for "don't know".
        #[serde(default)]
        unsure: u32,
    },
    /// Sets or clears the level the room agreed.
    SetAgreed {
        /// Round id.
        round: String,
        /// Domain id.
        domain: String,
        /// The agreed level; `None` clears it.
        level: Option<u8>,
    },
    /// Sets or clears the target level of a domain.
    SetTarget {
        /// Domain id.
        domain: String,
        /// The target; `None` clears it.
        level: Option<u8>,
    },
    /// Sets the note of a domain; empty text removes it.
    SetNote {
        /// Domain id.
        domain: String,
        /// The note.
        text: String,
    },
    /// Adds a line to the action plan.
    AddAction {
        /// Domain id.
        domain: String,
        /// What will be done.
        action: String,
        /// Who will do it.
        #[serde(default)]
        owner: String,
        /// When by.
        #[serde(default)]
        due: Option<String>,
    },
    /// Changes a line of the action plan.
    SetAction {
        /// Position in the plan, from 0.
        index: usize,
        /// Domain id.
        domain: String,
        /// What will be done.
        action: String,
        /// Who will do it.
        #[serde(default)]
        owner: String,
        /// When by.
        #[serde(default)]
        due: Option<String>,
    },
    /// Removes a line of the action plan.
    RemoveAction {
        /// Position in the plan, from 0.
        index: usize,
    },
}

/// An assessment being edited: every change is checked before it lands, and can be undone.
///
/// A change that would make the document invalid is refused with an error and changes
/// nothing, so the facilitator's work is never half-changed.
///
/// ```
/// use cascade_core::{Edit, Framework, Score, Session};
///
/// let mut s = Session::new(cascade_core::Assessment::new("Vale", &Framework::cascade()), Framework::cascade())?;
/// s.apply(Edit::AddRespondent { id: None, group: cascade_core::Group::Education })?;
/// s.apply(Edit::SetRating {
///     round: "baseline".into(), respondent: "r1".into(), domain: "clarity".into(), level: Some(Score::Level(4)),
/// })?;
/// assert_eq!(s.summary().rounds[0].domains[0].median, Some(4.0));
///
/// let err = s.apply(Edit::SetAgreed { round: "baseline".into(), domain: "clarity".into(), level: Some(9) });
/// assert_eq!(err.unwrap_err().to_string(), "assessment: agreed 1: level 9 is not on the scale 1 to 5");
///
/// assert!(s.undo());
/// assert_eq!(s.summary().rounds[0].domains[0].n, 0);
/// assert!(s.redo());
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Session {
    doc: Assessment,
    framework: Framework,
    undo: Vec<Assessment>,
    redo: Vec<Assessment>,
}

impl Session {
    /// Starts editing a document, which must be valid on the framework.
    pub fn new(doc: Assessment, framework: Framework) -> Result<Session, Error> {
        framework.validate()?;
        doc.validate(&framework)?;
        Ok(Session { doc, framework, undo: Vec::new(), redo: Vec::new() })
    }

    /// A new assessment of `area` with a round per label, such as `["Baseline", "Follow-up"]`.
    pub fn create(area: &str, round_labels: &[String], framework: Framework) -> Result<Session, Error> {
        let mut doc = Assessment::new(area.trim(), &framework);
        if !round_labels.is_empty() {
            doc.rounds.clear();
            for label in round_labels {
                let id = round_id(&doc, label);
                doc.rounds.push(Round { id, label: label.trim().to_owned(), date: None });
            }
        }
        Session::new(doc, framework)
    }

    /// The document as it stands.
    pub fn document(&self) -> &Assessment {
        &self.doc
    }

    /// The framework it is scored on.
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// Applies one change, or refuses it and changes nothing.
    pub fn apply(&mut self, edit: Edit) -> Result<(), Error> {
        let mut next = self.doc.clone();
        change(&mut next, edit)?;
        next.validate(&self.framework)?;
        if next == self.doc {
            return Ok(());
        }
        self.undo.push(std::mem::replace(&mut self.doc, next));
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last change; `false` if there is none.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(prev) => {
                self.redo.push(std::mem::replace(&mut self.doc, prev));
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone change; `false` if there is none.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(&mut self.doc, next));
                true
            }
            None => false,
        }
    }

    /// Whether there is a change to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a change to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Summary statistics of every round.
    pub fn summary(&self) -> crate::AreaSummary {
        // The document is valid on the framework, so this cannot fail.
        self.doc.summary(&self.framework).unwrap_or_else(|_| crate::AreaSummary { area: self.doc.area.clone(), rounds: Vec::new() })
    }

    /// Compares two rounds.
    pub fn compare(&self, from: &str, to: &str) -> Result<crate::AreaComparison, Error> {
        self.doc.compare(&self.framework, from, to)
    }
}

/// An id for a new round: the label in lower case with runs of other characters as `-`,
/// made unique with a number.
fn round_id(doc: &Assessment, label: &str) -> String {
    let mut base = String::new();
    for c in label.trim().chars() {
        if c.is_alphanumeric() {
            push_lowercase(&mut base, c);
        } else if !base.is_empty() && !base.ends_with('-') && c != '-' {
            base.push('-');
        }
    }
    let mut base = base.trim_end_matches('-').to_owned();
    if base.is_empty() {
        base = "round".into();
    }
    let mut id = base.clone();
    let mut n = 2;
    while doc.rounds.iter().any(|r| r.id == id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Pushes the lowercase of `c`, exactly as `char::to_lowercase` gives it.
///
/// Written out because std's lowercase table is the largest single piece of data in the
/// WebAssembly module (11 KB), while the same mappings fit in [`LOWERCASE`]'s 185 runs.
fn push_lowercase(s: &mut String, c: char) {
    if c == '\u{130}' {
        // The one character whose lowercase is two: i and a combining dot above.
        s.push_str("i\u{307}");
        return;
    }
    let u = u32::from(c);
    let at = LOWERCASE.partition_point(|&(run, _)| run & 0x1f_ffff <= u);
    let lower = match at.checked_sub(1).map(|i| LOWERCASE[i]) {
        Some((run, delta)) => {
            let (start, count, stride) = (run & 0x1f_ffff, (run >> 21 & 0x3ff) + 1, (run >> 31) + 1);
            let k = u - start;
            if k % stride == 0 && k / stride < count { u.wrapping_add_signed(delta) } else { u }
        }
        None => u,
    };
    s.push(char::from_u32(lower).unwrap_or(c));
}

/// The Unicode version [`LOWERCASE`] was made from.
#[cfg(test)]
const LOWERCASE_UNICODE: (u8, u8, u8) = (17, 0, 0);

/// Every character whose lowercase is another single character, as runs: the first character
/// in bits 0 to 20, the run's length less one in bits 21 to 30, and in bit 31 whether the run
/// takes every second character; then what to add to each character of the run. Made by the
/// ignored test `print_lowercase_runs`.
#[rustfmt::skip]
const LOWERCASE: &[(u32, i32)] = &[
    (0x3200041, 32), (0x2c000c0, 32), (0xc000d8, 32), (0x82e00100, 1), (0x80400132, 1), (0x80e00139, 1),
    (0x82c0014a, 1), (0x178, -121), (0x80400179, 1), (0x181, 210), (0x80200182, 1), (0x186, 206),
    (0x187, 1), (0x200189, 205), (0x18b, 1), (0x18e, 79), (0x18f, 202), (0x190, 203),
    (0x191, 1), (0x193, 205), (0x194, 207), (0x196, 211), (0x197, 209), (0x198, 1),
    (0x19c, 211), (0x19d, 213), (0x19f, 214), (0x804001a0, 1), (0x1a6, 218), (0x1a7, 1),
    (0x1a9, 218), (0x1ac, 1), (0x1ae, 218), (0x1af, 1), (0x2001b1, 217), (0x802001b3, 1),
    (0x1b7, 219), (0x1b8, 1), (0x1bc, 1), (0x1c4, 2), (0x1c5, 1), (0x1c7, 2),
    (0x1c8, 1), (0x1ca, 2), (0x810001cb, 1), (0x810001de, 1), (0x1f1, 2), (0x802001f2, 1),
    (0x1f6, -97), (0x1f7, -56), (0x826001f8, 1), (0x220, -130), (0x81000222, 1), (0x23a, 10795),
    (0x23b, 1), (0x23d, -163), (0x23e, 10792), (0x241, 1), (0x243, -195), (0x244, 69),
    (0x245, 71), (0x80800246, 1), (0x80200370, 1), (0x376, 1), (0x37f, 116), (0x386, 38),
    (0x400388, 37), (0x38c, 64), (0x20038e, 63), (0x2000391, 32), (0x10003a3, 32), (0x3cf, 8),
    (0x816003d8, 1), (0x3f4, -60), (0x3f7, 1), (0x3f9, -7), (0x3fa, 1), (0x4003fd, -130),
    (0x1e00400, 80), (0x3e00410, 32), (0x82000460, 1), (0x8340048a, 1), (0x4c0, 15), (0x80c004c1, 1),
    (0x85e004d0, 1), (0x4a00531, 48), (0x4a010a0, 7264), (0x10c7, 7264), (0x10cd, 7264), (0x9e013a0, 38864),
    (0xa013f0, 8), (0x1c89, 1), (0x5401c90, -3008), (0x401cbd, -3008), (0x89401e00, 1), (0x1e9e, -7615),
    (0x85e01ea0, 1), (0xe01f08, -8), (0xa01f18, -8), (0xe01f28, -8), (0xe01f38, -8), (0xa01f48, -8),
    (0x80601f59, -8), (0xe01f68, -8), (0xe01f88, -8), (0xe01f98, -8), (0xe01fa8, -8), (0x201fb8, -8),
    (0x201fba, -74), (0x1fbc, -9), (0x601fc8, -86), (0x1fcc, -9), (0x201fd8, -8), (0x201fda, -100),
    (0x201fe8, -8), (0x201fea, -112), (0x1fec, -7), (0x201ff8, -128), (0x201ffa, -126), (0x1ffc, -9),
    (0x2126, -7517), (0x212a, -8383), (0x212b, -8262), (0x2132, 28), (0x1e02160, 16), (0x2183, 1),
    (0x32024b6, 26), (0x5e02c00, 48), (0x2c60, 1), (0x2c62, -10743), (0x2c63, -3814), (0x2c64, -10727),
    (0x80402c67, 1), (0x2c6d, -10780), (0x2c6e, -10749), (0x2c6f, -10783), (0x2c70, -10782), (0x2c72, 1),
    (0x2c75, 1), (0x202c7e, -10815), (0x86202c80, 1), (0x80202ceb, 1), (0x2cf2, 1), (0x82c0a640, 1),
    (0x81a0a680, 1), (0x80c0a722, 1), (0x83c0a732, 1), (0x8020a779, 1), (0xa77d, -35332), (0x8080a77e, 1),
    (0xa78b, 1), (0xa78d, -42280), (0x8020a790, 1), (0x8120a796, 1), (0xa7aa, -42308), (0xa7ab, -42319),
    (0xa7ac, -42315), (0xa7ad, -42305), (0xa7ae, -42308), (0xa7b0, -42258), (0xa7b1, -42282), (0xa7b2, -42261),
    (0xa7b3, 928), (0x80e0a7b4, 1), (0xa7c4, -48), (0xa7c5, -42307), (0xa7c6, -35384), (0x8020a7c7, 1),
    (0xa7cb, -42343), (0x80e0a7cc, 1), (0xa7dc, -42561), (0xa7f5, 1), (0x320ff21, 32), (0x4e10400, 40),
    (0x46104b0, 40), (0x1410570, 39), (0x1c1057c, 39), (0xc1058c, 39), (0x210594, 39), (0x6410c80, 64),
    (0x2a10d50, 32), (0x3e118a0, 32), (0x3e16e40, 32), (0x3016ea0, 27), (0x421e900, 34),
];

fn missing(what: &str, id: &str) -> Error {
    Error::Assessment { message: format!("there is no {what} {id:?}") }
}

fn change(doc: &mut Assessment, edit: Edit) -> Result<(), Error> {
    match edit {
        Edit::SetArea { area } => doc.area = area.trim().to_owned(),
        Edit::AddRound { label, date } => {
            let id = round_id(doc, &label);
            doc.rounds.push(Round { id, label: label.trim().to_owned(), date });
        }
        Edit::SetRound { id, label, date } => {
            let r = doc.rounds.iter_mut().find(|r| r.id == id).ok_or_else(|| missing("round", &id))?;
            r.label = label.trim().to_owned();
            r.date = date;
        }
        Edit::RemoveRound { id } => {
            if !doc.rounds.iter().any(|r| r.id == id) {
                return Err(missing("round", &id));
            }
            doc.rounds.retain(|r| r.id != id);
            doc.ratings.retain(|r| r.round != id);
            doc.tallies.retain(|t| t.round != id);
            doc.agreed.retain(|a| a.round != id);
        }
        Edit::AddRespondent { id, group } => {
            let id = match id.map(|s| s.trim().to_owned()) {
                Some(id) if !id.is_empty() => id,
                _ => {
                    let mut n = doc.respondents.len() + 1;
                    while doc.respondents.iter().any(|r| r.id == format!("r{n}")) {
                        n += 1;
                    }
                    format!("r{n}")
                }
            };
            doc.respondents.push(Respondent { id, group });
        }
        Edit::SetRespondent { id, group } => {
            let r = doc.respondents.iter_mut().find(|r| r.id == id).ok_or_else(|| missing("respondent", &id))?;
            r.group = group;
            for rating in doc.ratings.iter_mut().filter(|r| r.respondent.as_deref() == Some(id.as_str())) {
                rating.group = group;
            }
        }
        Edit::RemoveRespondent { id } => {
            if !doc.respondents.iter().any(|r| r.id == id) {
                return Err(missing("respondent", &id));
            }
            doc.respondents.retain(|r| r.id != id);
            doc.ratings.retain(|r| r.respondent.as_deref() != Some(id.as_str()));
        }
        Edit::SetRating { round, respondent, domain, level } => {
            let group = doc
                .respondents
                .iter()
                .find(|r| r.id == respondent)
                .ok_or_else(|| missing("respondent", &respondent))?
                .group;
            let at = doc.ratings.iter().position(|r| {
                r.round == round && r.domain == domain && r.respondent.as_deref() == Some(respondent.as_str())
            });
            match (at, level) {
                (Some(i), Some(score)) => doc.ratings[i].score = score,
                (Some(i), None) => {
                    doc.ratings.remove(i);
                }
                (None, Some(score)) => {
                    doc.ratings.push(Rating { round, respondent: Some(respondent), group, domain, score })
                }
                (None, None) => {}
            }
        }
        Edit::SetTally { round, domain, counts, unsure } => {
            doc.tallies.retain(|t| !(t.round == round && t.domain == domain && t.group == Group::Other));
            if counts.iter().any(|&c| c > 0) || unsure > 0 {
                doc.tallies.push(Tally { round, domain, group: Group::Other, counts, unsure });
            }
        }
        Edit::SetAgreed { round, domain, level } => {
            doc.agreed.retain(|a| !(a.round == round && a.domain == domain));
            if let Some(level) = level {
                doc.agreed.push(Agreed { round, domain, level });
            }
        }
        Edit::SetTarget { domain, level } => {
            doc.targets.retain(|t| t.domain != domain);
            if let Some(level) = level {
                doc.targets.push(Target { domain, level });
            }
        }
        Edit::SetNote { domain, text } => {
            doc.notes.retain(|n| n.domain != domain);
            if !text.trim().is_empty() {
                doc.notes.push(Note { domain, text });
            }
        }
        Edit::AddAction { domain, action, owner, due } => {
            doc.actions.push(Action { domain, action, owner, due: due.filter(|d| !d.is_empty()) });
        }
        Edit::SetAction { index, domain, action, owner, due } => {
            let a = doc
                .actions
                .get_mut(index)
                .ok_or_else(|| Error::Assessment { message: format!("there is no action {}", index + 1) })?;
            *a = Action { domain, action, owner, due: due.filter(|d| !d.is_empty()) };
        }
        Edit::RemoveAction { index } => {
            if index >= doc.actions.len() {
                return Err(Error::Assessment { message: format!("there is no action {}", index + 1) });
            }
            doc.actions.remove(index);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::create("Vale", &["Baseline".into(), "Follow-up".into(), "Check-in 2".into()], Framework::cascade())
            .expect("valid")
    }

    /// Runs of characters with the same lowercase offset, as [`LOWERCASE`] stores them.
    fn lowercase_runs() -> Vec<(u32, i32)> {
        let mut runs: Vec<(u32, u32, u32, i32)> = Vec::new();
        for c in (0..=char::MAX as u32).filter_map(char::from_u32).filter(|&c| c != '\u{130}') {
            let lower: Vec<char> = c.to_lowercase().collect();
            let (u, delta) = (u32::from(c), lower[0] as i32 - c as i32);
            if delta == 0 {
                continue;
            }
            if let Some((start, count, stride, d)) = runs.last_mut() {
                let last = *start + (*count - 1) * *stride;
                if *d == delta && ((*count == 1 && u - last <= 2) || u - last == *stride) {
                    *stride = u - last;
                    *count += 1;
                    continue;
                }
            }
            runs.push((u, 1, 1, delta));
        }
        runs.into_iter().map(|(s, c, st, d)| (s | (c - 1) << 21 | (st - 1) << 31, d)).collect()
    }

    #[test]
    #[ignore = "prints LOWERCASE for the Unicode version of the toolchain"]
    fn print_lowercase_runs() {
        println!("const LOWERCASE_UNICODE: (u8, u8, u8) = {:?};", char::UNICODE_VERSION);
        for chunk in lowercase_runs().chunks(6) {
            let items: Vec<String> = chunk.iter().map(|(r, d)| format!("(0x{r:x}, {d})")).collect();
            println!("    {},", items.join(", "));
        }
    }

    #[test]
    fn lowercase_is_std_lowercase() {
        if char::UNICODE_VERSION == LOWERCASE_UNICODE {
            assert_eq!(lowercase_runs(), LOWERCASE);
        }
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let mut ours = String::new();
            push_lowercase(&mut ours, c);
            let std: String = c.to_lowercase().collect();
            // Case pairs never change once made, so on another Unicode version the two differ
            // only where one of them has a mapping the other does not know yet.
            if char::UNICODE_VERSION == LOWERCASE_UNICODE || (ours != c.to_string() && std != c.to_string()) {
                assert_eq!(ours, std, "U+{:04X}", u32::from(c));
            }
        }
        let mut s = String::new();
        for c in "ÉTAPE Ωmega İ ẞ ΣΑΣ Ǆ".chars() {
            push_lowercase(&mut s, c);
        }
        assert_eq!(s, "étape ωmega i\u{307} ß σασ ǆ");
    }

    #[test]
    fn round_ids_are_made_from_labels() {
        let s = session();
        let ids: Vec<&str> = s.document().rounds.iter().map(|r| r.id.as_str()).collect();
        // Hyphens inside words go, so "Follow-up" gets the contract's id `followup`.
        assert_eq!(ids, ["baseline", "followup", "checkin-2"]);
        let mut s = s;
        s.apply(Edit::AddRound { label: "Baseline".into(), date: None }).expect("added");
        assert_eq!(s.document().rounds[3].id, "baseline-2");
    }

    #[test]
    fn refused_edits_change_nothing() {
        let mut s = session();
        let before = s.document().clone();
        let cases = [
            (Edit::SetTarget { domain: "clarty".into(), level: Some(3) }, "assessment: target 1: unknown domain \"clarty\"; expected one of clarity, contact, structures, outcomes, learning, integration, evidence"),
            (Edit::SetRating { round: "baseline".into(), respondent: "nobody".into(), domain: "clarity".into(), level: Some(Score::Level(2)) }, "assessment: there is no respondent \"nobody\""),
            (Edit::SetTally { round: "baseline".into(), domain: "clarity".into(), counts: vec![1, 2], unsure: 0 }, "assessment: tally 1: has 2 counts; the scale has 5 levels"),
            (Edit::RemoveAction { index: 0 }, "assessment: there is no action 1"),
            (Edit::AddAction { domain: "clarity".into(), action: " ".into(), owner: String::new(), due: None }, "assessment: action 1: the action is empty"),
            (Edit::SetRound { id: "baseline".into(), label: "B".into(), date: Some("2026-02-30".into()) }, "assessment: round \"baseline\": date \"2026-02-30\" is not a day of the calendar"),
        ];
        for (edit, message) in cases {
            assert_eq!(s.apply(edit).expect_err("refused").to_string(), message);
            assert_eq!(s.document(), &before);
            assert!(!s.can_undo());
        }
    }

    #[test]
    fn ratings_follow_respondents() {
        let mut s = session();
        s.apply(Edit::AddRespondent { id: None, group: Group::Education }).expect("ok");
        s.apply(Edit::AddRespondent { id: Some("ben".into()), group: Group::MentalHealth }).expect("ok");
        let rate = |who: &str, level| Edit::SetRating {
            round: "baseline".into(),
            respondent: who.into(),
            domain: "clarity".into(),
            level,
        };
        s.apply(rate("r1", Some(Score::Level(2)))).expect("ok");
        s.apply(rate("r1", Some(Score::Level(3)))).expect("ok");
        s.apply(rate("ben", Some(Score::Unsure))).expect("ok");
        assert_eq!(s.document().ratings.len(), 2);
        assert_eq!(s.document().ratings[0].score, Score::Level(3));
        s.apply(Edit::SetRespondent { id: "r1".into(), group: Group::Commissioner }).expect("ok");
        assert_eq!(s.document().ratings[0].group, Group::Commissioner);
        s.apply(rate("ben", None)).expect("ok");
        assert_eq!(s.document().ratings.len(), 1);
        s.apply(Edit::RemoveRespondent { id: "r1".into() }).expect("ok");
        assert!(s.document().ratings.is_empty());
        // Eight changes, each undoable, back to the start.
        let mut undone = 0;
        while s.undo() {
            undone += 1;
        }
        assert_eq!(undone, 8);
        assert!(s.document().respondents.is_empty());
    }

    #[test]
    fn tallies_agreed_and_targets_replace() {
        let mut s = session();
        let tally = |c: Vec<u32>| Edit::SetTally { round: "baseline".into(), domain: "contact".into(), counts: c, unsure: 1 };
        s.apply(tally(vec![0, 2, 3, 0, 0])).expect("ok");
        s.apply(tally(vec![1, 2, 3, 0, 0])).expect("ok");
        assert_eq!(s.document().tallies.len(), 1);
        let d = &s.summary().rounds[0].domains[1];
        assert_eq!((d.n, d.unsure, d.median), (6, 1, Some(2.5)));
        s.apply(Edit::SetAgreed { round: "baseline".into(), domain: "contact".into(), level: Some(4) }).expect("ok");
        s.apply(Edit::SetTarget { domain: "contact".into(), level: Some(5) }).expect("ok");
        let d = &s.summary().rounds[0].domains[1];
        assert_eq!((d.headline, d.target, d.gap), (Some(4.0), Some(5), Some(1.0)));
        s.apply(Edit::SetAgreed { round: "baseline".into(), domain: "contact".into(), level: None }).expect("ok");
        assert_eq!(s.summary().rounds[0].domains[1].headline, Some(2.5));
    }
}
