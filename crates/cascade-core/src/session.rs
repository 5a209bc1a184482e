//! Editing an assessment live, one change at a time, with undo and redo.

use serde::{Deserialize, Serialize};

use crate::assessment::{Action, Agreed, Assessment, Note, Rating, Respondent, Round, Score, Tally, Target};
use crate::error::{Error, ErrorKind};
use crate::quote::Quoted;
use crate::framework::Framework;
use crate::group::Group;

/// How many changes can be undone; older ones are forgotten.
///
/// ```
/// use cascade_core::{Assessment, Edit, Framework, Session, UNDO_LIMIT};
///
/// let fw = Framework::cascade();
/// let mut s = Session::new(Assessment::new("Vale", &fw), &fw)?;
/// for i in 0..=UNDO_LIMIT {
///     s.apply(Edit::SetArea { area: format!("Vale {i}") })?;
/// }
/// let mut undone = 0;
/// while s.undo() {
///     undone += 1;
/// }
/// assert_eq!(undone, UNDO_LIMIT);
/// # Ok::<(), cascade_core::Error>(())
/// ```
pub const UNDO_LIMIT: usize = 500;

/// One change a facilitator makes, for [`Session::apply`]. In JSON the `op` field names the
/// change, in snake case: `{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 3}`.
///
/// ```
/// use cascade_core::Edit;
///
/// let edit = Edit::SetAgreed { round: "baseline".into(), domain: "clarity".into(), level: Some(3) };
/// # #[cfg(feature = "json")] {
/// let read: Edit = serde_json::from_str(
///     r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 3}"#,
/// ).unwrap();
/// assert_eq!(read, edit);
/// # }
/// ```
///
/// More changes may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Edit {
    /// Renames the area.
    SetArea {
        /// The new name.
        area: String,
    },
    /// Adds a round at the end; its id is made from the label, as [`Session::create`] says.
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
    /// Sets the room's vote counts for a domain in a round, for one group (a show of hands
    /// counted per group) or, by default, for the room as a whole (`other`).
    SetTally {
        /// Round id.
        round: String,
        /// Domain id.
        domain: String,
        /// Whose hands these are; `other` when the room is counted as a whole.
        #[serde(default)]
        group: Group,
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
/// nothing, so the facilitator's work is never half-changed. The document is always valid on
/// the framework ([`Assessment::validate`]).
///
/// ```
/// use cascade_core::{Edit, Framework, Group, Score, Session};
///
/// let fw = Framework::cascade();
/// let mut s = Session::create("Vale", &["Baseline", "Follow-up"], &fw)?;
/// s.apply(Edit::AddRespondent { id: None, group: Group::Education })?;
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
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// One step of undo or redo: what it puts back. A step keeps only the parts of the document
/// that changed, and a key press only the one rating it set: a copy of the whole document per
/// step, as before, is 10 MB for an imported 5,000-person assessment, and 500 of them would
/// not fit in a browser's memory.
#[derive(Debug, Clone)]
struct Step(Vec<Patch>);

impl Step {
    /// The parts of `old` that `new` changed, to turn `new` back into `old`.
    fn between(old: &Assessment, new: &Assessment) -> Step {
        let mut p = Vec::new();
        if old.area != new.area {
            p.push(Patch::Area(old.area.clone()));
        }
        if old.rounds != new.rounds {
            p.push(Patch::Rounds(old.rounds.clone()));
        }
        if old.respondents != new.respondents {
            p.push(Patch::Respondents(old.respondents.clone()));
        }
        if old.ratings != new.ratings {
            p.push(Patch::Ratings(old.ratings.clone()));
        }
        if old.tallies != new.tallies {
            p.push(Patch::Tallies(old.tallies.clone()));
        }
        if old.agreed != new.agreed {
            p.push(Patch::Agreed(old.agreed.clone()));
        }
        if old.targets != new.targets {
            p.push(Patch::Targets(old.targets.clone()));
        }
        if old.notes != new.notes {
            p.push(Patch::Notes(old.notes.clone()));
        }
        if old.actions != new.actions {
            p.push(Patch::Actions(old.actions.clone()));
        }
        Step(p)
    }

    /// Puts the step back into `doc`, last patch first, and returns the step that undoes that.
    fn apply(mut self, doc: &mut Assessment) -> Step {
        let mut back = Vec::with_capacity(self.0.len());
        while let Some(p) = self.0.pop() {
            back.push(p.apply(doc));
        }
        Step(back)
    }
}

/// One part of a document put back: a whole list, or one rating.
#[derive(Debug, Clone)]
enum Patch {
    Area(String),
    Rounds(Vec<Round>),
    Respondents(Vec<Respondent>),
    Ratings(Vec<Rating>),
    Tallies(Vec<Tally>),
    Agreed(Vec<Agreed>),
    Targets(Vec<Target>),
    Notes(Vec<Note>),
    Actions(Vec<Action>),
    /// The rating at `at` becomes `rating`: `replace` it, or, if not, insert it there (or,
    /// with no rating, remove the one there).
    Rating { at: usize, replace: bool, rating: Option<Rating> },
}

impl Patch {
    fn apply(self, doc: &mut Assessment) -> Patch {
        use std::mem::replace as swap;
        match self {
            Patch::Area(a) => Patch::Area(swap(&mut doc.area, a)),
            Patch::Rounds(l) => Patch::Rounds(swap(&mut doc.rounds, l)),
            Patch::Respondents(l) => Patch::Respondents(swap(&mut doc.respondents, l)),
            Patch::Ratings(l) => Patch::Ratings(swap(&mut doc.ratings, l)),
            Patch::Tallies(l) => Patch::Tallies(swap(&mut doc.tallies, l)),
            Patch::Agreed(l) => Patch::Agreed(swap(&mut doc.agreed, l)),
            Patch::Targets(l) => Patch::Targets(swap(&mut doc.targets, l)),
            Patch::Notes(l) => Patch::Notes(swap(&mut doc.notes, l)),
            Patch::Actions(l) => Patch::Actions(swap(&mut doc.actions, l)),
            Patch::Rating { at, replace, rating } => {
                let list = &mut doc.ratings;
                match (replace, rating) {
                    (true, Some(r)) => Patch::Rating { at, replace: true, rating: Some(swap(&mut list[at], r)) },
                    (true, None) => Patch::Rating { at, replace: false, rating: Some(list.remove(at)) },
                    (false, Some(r)) => {
                        list.insert(at, r);
                        Patch::Rating { at, replace: true, rating: None }
                    }
                    (false, None) => Patch::Rating { at, replace: false, rating: None },
                }
            }
        }
    }
}

impl Session {
    /// Starts editing a document, which must be valid on the framework.
    ///
    /// ```
    /// use cascade_core::{Assessment, ErrorKind, Framework, Session};
    ///
    /// let fw = Framework::cascade();
    /// let s = Session::new(Assessment::new("Vale", &fw), &fw)?;
    /// assert_eq!(s.document().area, "Vale");
    ///
    /// let err = Session::new(Assessment::new(" ", &fw), &fw).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Empty);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Framework::validate`] and [`Assessment::validate`].
    pub fn new(doc: Assessment, framework: &Framework) -> Result<Session, Error> {
        framework.validate()?;
        doc.validate(framework)?;
        Ok(Session { doc, framework: framework.clone(), undo: Vec::new(), redo: Vec::new() })
    }

    /// A new assessment of `area` with a round per label, such as `["Baseline", "Follow-up"]`;
    /// with no labels, the rounds of [`Assessment::new`].
    ///
    /// A round's id is made from its label: ASCII letters and digits in lower case, other
    /// scripts' letters as they are, each run of other characters as one `-` (none at the
    /// ends, and none for a `-` inside a word), and `round` if nothing is left; `-2`, `-3`, …
    /// are added to make it unique. So "Follow-up" gives `followup`, "Check-in 2"
    /// `checkin-2`, and a second "Baseline" `baseline-2`.
    ///
    /// ```
    /// use cascade_core::{Framework, Session};
    ///
    /// let s = Session::create("Vale", &["Baseline", "Follow-up", "Check-in 2", "Baseline"], &Framework::cascade())?;
    /// let ids: Vec<&str> = s.document().rounds.iter().map(|r| r.id.as_str()).collect();
    /// assert_eq!(ids, ["baseline", "followup", "checkin-2", "baseline-2"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Session::new`]; for example [`ErrorKind::Empty`](crate::ErrorKind::Empty) for an
    /// empty area.
    pub fn create<S: AsRef<str>>(area: &str, round_labels: &[S], framework: &Framework) -> Result<Session, Error> {
        let mut doc = Assessment::new(area.trim(), framework);
        if !round_labels.is_empty() {
            doc.rounds.clear();
            for label in round_labels {
                let label = label.as_ref();
                let id = round_id(&doc, label);
                doc.rounds.push(Round { id, label: label.trim().to_owned(), date: None });
            }
        }
        Session::new(doc, framework)
    }

    /// The document as it stands.
    ///
    /// ```
    /// use cascade_core::{Framework, Session};
    ///
    /// let s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// assert_eq!(s.document().rounds[0].label, "Baseline");
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn document(&self) -> &Assessment {
        &self.doc
    }

    /// The framework it is scored on.
    ///
    /// ```
    /// use cascade_core::{Framework, Session};
    ///
    /// let s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// assert_eq!(s.framework().scale(), 5);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// Applies one change, or refuses it and changes nothing.
    ///
    /// ```
    /// use cascade_core::{Edit, ErrorKind, Framework, Session};
    ///
    /// let mut s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// s.apply(Edit::SetNote { domain: "clarity".into(), text: "Roles unclear".into() })?;
    /// let err = s.apply(Edit::RemoveRespondent { id: "ana".into() }).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownRespondent);
    /// assert_eq!(err.to_string(), "assessment: there is no respondent \"ana\"");
    /// assert_eq!(s.document().notes.len(), 1);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If the change names a round, respondent or action the document lacks, or would make
    /// the document invalid ([`Assessment::validate`]).
    pub fn apply(&mut self, edit: Edit) -> Result<(), Error> {
        self.apply_all([edit])
    }

    /// Applies several changes as one: all of them land, as a single step of undo, or none
    /// does. A facilitator's "replace the show of hands with each person's ratings" is one
    /// decision, so one undo brings it all back.
    ///
    /// ```
    /// use cascade_core::{Edit, Framework, Group, Session};
    ///
    /// let fw = Framework::cascade();
    /// let mut s = Session::new(cascade_core::Assessment::new("Vale", &fw), &fw)?;
    /// let hands = |domain: &str| Edit::SetTally {
    ///     round: "baseline".into(), domain: domain.into(), group: Group::Other, counts: vec![0, 2, 3, 0, 0], unsure: 0,
    /// };
    /// s.apply_all(vec![hands("clarity"), hands("contact")])?;
    /// assert_eq!(s.document().tallies.len(), 2);
    /// // One refused change refuses them all.
    /// let bad = Edit::SetAgreed { round: "baseline".into(), domain: "nope".into(), level: Some(3) };
    /// assert!(s.apply_all(vec![Edit::SetTarget { domain: "clarity".into(), level: Some(4) }, bad]).is_err());
    /// assert!(s.document().targets.is_empty());
    /// assert!(s.undo());
    /// assert!(s.document().tallies.is_empty());
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`apply`](Session::apply), for the first change refused; then none is applied.
    pub fn apply_all(&mut self, edits: impl IntoIterator<Item = Edit>) -> Result<(), Error> {
        self.apply_list(edits.into_iter().collect())
    }

    /// [`apply_all`](Session::apply_all), compiled once rather than for each kind of list.
    fn apply_list(&mut self, mut edits: Vec<Edit>) -> Result<(), Error> {
        // One person's rating, what a key press sends, is set in place; anything else on a
        // copy. (Several in place could cancel out and leave a step that changes nothing.)
        let step = match (edits.pop(), edits.is_empty()) {
            (Some(Edit::SetRating { round, respondent, domain, level }), true) => self.rate(round, respondent, domain, level)?,
            (last, _) => {
                let mut next = self.doc.clone();
                for edit in edits.into_iter().chain(last) {
                    change(&mut next, edit)?;
                }
                next.validate(&self.framework)?;
                let step = Step::between(&self.doc, &next);
                self.doc = next;
                step
            }
        };
        if step.0.is_empty() {
            return Ok(());
        }
        self.undo.push(step);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// A person's rating set or cleared in place, kept for undo as the one rating it put
    /// back, and checked alone: a key press in a document of thousands of ratings neither
    /// copies nor re-checks them all. Refused, it changes nothing.
    fn rate(&mut self, round: String, respondent: String, domain: String, level: Option<Score>) -> Result<Step, Error> {
        let group = self
            .doc
            .respondent(&respondent)
            .ok_or_else(|| missing(ErrorKind::UnknownRespondent, "respondent", &respondent))?
            .group;
        let ratings = &mut self.doc.ratings;
        let at = ratings
            .iter()
            .position(|r| r.round == round && r.domain == domain && r.respondent.as_deref() == Some(respondent.as_str()));
        let (undo, changed) = match (at, level) {
            (Some(i), Some(score)) if ratings[i].score != score => {
                let old = ratings[i].clone();
                ratings[i].score = score;
                (Patch::Rating { at: i, replace: true, rating: Some(old) }, Some(i))
            }
            (Some(i), None) => (Patch::Rating { at: i, replace: false, rating: Some(ratings.remove(i)) }, None),
            (None, Some(score)) => {
                ratings.push(Rating { round, respondent: Some(respondent), group, domain, score });
                (Patch::Rating { at: ratings.len() - 1, replace: true, rating: None }, Some(ratings.len() - 1))
            }
            _ => return Ok(Step(Vec::new())),
        };
        let step = Step(vec![undo]);
        // Taking a rating away cannot make a valid document invalid.
        if let Some(i) = changed {
            if let Err(e) = self.doc.validate_rating_at(&self.framework, i) {
                step.apply(&mut self.doc);
                return Err(e);
            }
        }
        Ok(step)
    }

    /// Undoes the last change; `false` if there is none.
    ///
    /// ```
    /// use cascade_core::{Edit, Framework, Session};
    ///
    /// let mut s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// s.apply(Edit::SetArea { area: "Wold".into() })?;
    /// assert!(s.can_undo());
    /// assert!(s.undo());
    /// assert_eq!(s.document().area, "Vale");
    /// assert!(!s.undo());
    /// assert!(s.can_redo());
    /// assert!(s.redo());
    /// assert_eq!(s.document().area, "Wold");
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(step) => {
                let back = step.apply(&mut self.doc);
                self.redo.push(back);
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone change; `false` if there is none.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(step) => {
                let back = step.apply(&mut self.doc);
                self.undo.push(back);
                true
            }
            None => false,
        }
    }

    /// Whether there is a change to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a change to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Summary statistics of every round.
    ///
    /// ```
    /// use cascade_core::{Edit, Framework, Group, Session};
    ///
    /// let mut s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// s.apply(Edit::SetTally {
    ///     round: "baseline".into(), domain: "clarity".into(), group: Group::Other, counts: vec![0, 1, 1, 0, 0], unsure: 0,
    /// })?;
    /// assert_eq!(s.summary().round("baseline").and_then(|r| r.domain("clarity")).and_then(|d| d.median), Some(2.5));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn summary(&self) -> crate::AreaSummary {
        // The document is valid on the framework (every edit was checked), so it is not
        // checked again: for thousands of ratings that check is most of the cost.
        self.dataset().summary().areas.pop().unwrap_or_else(|| crate::AreaSummary { area: self.doc.area.clone(), rounds: Vec::new() })
    }

    /// The document as a data set of one area, without validating it again.
    fn dataset(&self) -> crate::Dataset {
        let mut data = crate::Dataset::new(&self.framework);
        // A new data set holds no area yet, so its one document cannot be a duplicate.
        let _ = data.push_valid(&self.doc);
        data
    }

    /// Compares round `from` with round `to`.
    ///
    /// ```
    /// use cascade_core::{Edit, Framework, Session};
    ///
    /// let mut s = Session::create("Vale", &["Baseline", "Follow-up"], &Framework::cascade())?;
    /// s.apply(Edit::SetAgreed { round: "baseline".into(), domain: "clarity".into(), level: Some(2) })?;
    /// s.apply(Edit::SetAgreed { round: "followup".into(), domain: "clarity".into(), level: Some(3) })?;
    /// assert_eq!(s.compare("baseline", "followup")?.domains[0].delta, Some(1.0));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownRound`](crate::ErrorKind::UnknownRound) if the document has no such
    /// round.
    pub fn compare(&self, from: &str, to: &str) -> Result<crate::AreaComparison, Error> {
        let mut comparison = self.dataset().compare(from, to)?;
        Ok(comparison.areas.remove(0))
    }
}

impl Session {
    /// What each of `respondents` rated in `round`: one entry per domain of the framework, in
    /// its order, person after person (`None` where they gave no rating). An unknown round or
    /// person has no ratings. A page showing a few of thousands of people asks for theirs
    /// alone, rather than for the whole document.
    ///
    /// ```
    /// use cascade_core::{Edit, Framework, Group, Score, Session};
    ///
    /// let mut s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// s.apply(Edit::AddRespondent { id: Some("ana".into()), group: Group::Education })?;
    /// s.apply(Edit::SetRating { round: "baseline".into(), respondent: "ana".into(), domain: "contact".into(), level: Some(Score::Level(4)) })?;
    /// let levels = s.ratings_of("baseline", &["ana", "ben"]);
    /// assert_eq!(levels.len(), 2 * 7);
    /// assert_eq!(&levels[..3], &[None, Some(Score::Level(4)), None]);
    /// assert!(levels[7..].iter().all(Option::is_none));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn ratings_of<S: AsRef<str>>(&self, round: &str, respondents: &[S]) -> Vec<Option<Score>> {
        let domains = self.framework.domains.len();
        let mut out = vec![None; respondents.len() * domains];
        // Where each person asked for is answered first (the data set's numbering, so the
        // module holds no second kind of table).
        let mut at = crate::numbering::Numbering::default();
        let mut place = Vec::new();
        for (i, r) in respondents.iter().enumerate() {
            if at.insert(r.as_ref()).1 {
                place.push(i);
            }
        }
        for r in self.doc.ratings.iter().filter(|r| r.round == round) {
            let (Some(n), Some(d)) = (r.respondent.as_deref().and_then(|who| at.get(who)), self.framework.domain_index(&r.domain)) else {
                continue;
            };
            out[place[n as usize] * domains + d] = Some(r.score);
        }
        // The same person asked for twice is answered at each place.
        for (i, r) in respondents.iter().enumerate() {
            let first = at.get(r.as_ref()).map_or(i, |n| place[n as usize]);
            if first != i {
                out.copy_within(first * domains..(first + 1) * domains, i * domains);
            }
        }
        out
    }

    /// How many ratings (people's and anonymous, not hands) `round` holds for each domain of
    /// the framework, in its order.
    ///
    /// ```
    /// use cascade_core::{Edit, Framework, Group, Score, Session};
    ///
    /// let mut s = Session::create("Vale", &["Baseline"], &Framework::cascade())?;
    /// s.apply(Edit::AddRespondent { id: Some("ana".into()), group: Group::Education })?;
    /// s.apply(Edit::SetRating { round: "baseline".into(), respondent: "ana".into(), domain: "contact".into(), level: Some(Score::Unsure) })?;
    /// assert_eq!(s.rating_counts("baseline"), [0, 1, 0, 0, 0, 0, 0]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn rating_counts(&self, round: &str) -> Vec<usize> {
        let mut out = vec![0; self.framework.domains.len()];
        for r in self.doc.ratings.iter().filter(|r| r.round == round) {
            if let Some(d) = self.framework.domain_index(&r.domain) {
                out[d] += 1;
            }
        }
        out
    }
}

/// An id for a new round: the label in lower case with runs of other characters as `-`,
/// made unique with a number.
fn round_id(doc: &Assessment, label: &str) -> String {
    let mut base = String::new();
    // Kept well within the id length limit, with room for a number, so that a long label
    // is refused for its own length.
    for c in label.trim().chars().take(crate::ids::MAX_ID_CHARS - 10) {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() {
            // Letters of other scripts are kept as they are: ids need to be stable, not
            // English, and this keeps Unicode case tables out of the wasm module.
            base.push(c);
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

fn missing(kind: ErrorKind, what: &str, id: &str) -> Error {
    Error::assessment(kind, format!("there is no {what} {}", Quoted(id)))
}

fn no_action(index: usize) -> Error {
    Error::assessment(ErrorKind::UnknownAction, format!("there is no action {}", index + 1))
}

fn change(doc: &mut Assessment, edit: Edit) -> Result<(), Error> {
    match edit {
        Edit::SetArea { area } => area.trim().clone_into(&mut doc.area),
        Edit::AddRound { label, date } => {
            let id = round_id(doc, &label);
            doc.rounds.push(Round { id, label: label.trim().to_owned(), date });
        }
        Edit::SetRound { id, label, date } => {
            let r = doc.rounds.iter_mut().find(|r| r.id == id).ok_or_else(|| missing(ErrorKind::UnknownRound, "round", &id))?;
            label.trim().clone_into(&mut r.label);
            r.date = date;
        }
        Edit::RemoveRound { id } => {
            if !doc.rounds.iter().any(|r| r.id == id) {
                return Err(missing(ErrorKind::UnknownRound, "round", &id));
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
            let r = doc.respondents.iter_mut().find(|r| r.id == id).ok_or_else(|| missing(ErrorKind::UnknownRespondent, "respondent", &id))?;
            r.group = group;
            for rating in doc.ratings.iter_mut().filter(|r| r.respondent.as_deref() == Some(id.as_str())) {
                rating.group = group;
            }
        }
        Edit::RemoveRespondent { id } => {
            if !doc.respondents.iter().any(|r| r.id == id) {
                return Err(missing(ErrorKind::UnknownRespondent, "respondent", &id));
            }
            doc.respondents.retain(|r| r.id != id);
            doc.ratings.retain(|r| r.respondent.as_deref() != Some(id.as_str()));
        }
        Edit::SetRating { round, respondent, domain, level } => {
            let group = doc
                .respondents
                .iter()
                .find(|r| r.id == respondent)
                .ok_or_else(|| missing(ErrorKind::UnknownRespondent, "respondent", &respondent))?
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
                    doc.ratings.push(Rating { round, respondent: Some(respondent), group, domain, score });
                }
                (None, None) => {}
            }
        }
        Edit::SetTally { round, domain, group, counts, unsure } => {
            doc.tallies.retain(|t| !(t.round == round && t.domain == domain && t.group == group));
            if counts.iter().any(|&c| c > 0) || unsure > 0 {
                doc.tallies.push(Tally { round, domain, group, counts, unsure });
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
                .ok_or_else(|| no_action(index))?;
            *a = Action { domain, action, owner, due: due.filter(|d| !d.is_empty()) };
        }
        Edit::RemoveAction { index } => {
            if index >= doc.actions.len() {
                return Err(no_action(index));
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
        Session::create("Vale", &["Baseline", "Follow-up", "Check-in 2"], &Framework::cascade())
            .expect("valid")
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
        s.apply(Edit::AddRound { label: "  Étape 3: revue ".into(), date: None }).expect("added");
        assert_eq!(s.document().rounds[4].id, "Étape-3-revue");
        s.apply(Edit::AddRound { label: "???".into(), date: None }).expect("added");
        assert_eq!(s.document().rounds[5].id, "round");
    }

    #[test]
    fn refused_edits_change_nothing() {
        let mut s = session();
        let before = s.document().clone();
        let cases = [
            (Edit::SetTarget { domain: "clarty".into(), level: Some(3) }, "assessment: target 1: unknown domain \"clarty\"; expected one of clarity, contact, structures, outcomes, learning, integration, evidence"),
            (Edit::SetRating { round: "baseline".into(), respondent: "nobody".into(), domain: "clarity".into(), level: Some(Score::Level(2)) }, "assessment: there is no respondent \"nobody\""),
            (Edit::SetTally { round: "baseline".into(), domain: "clarity".into(), group: Group::Other, counts: vec![1, 2], unsure: 0 }, "assessment: tally 1: has 2 counts; the scale has 5 levels"),
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
        let tally = |c: Vec<u32>| Edit::SetTally { round: "baseline".into(), domain: "contact".into(), group: Group::Other, counts: c, unsure: 1 };
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

    #[test]
    fn hands_are_counted_per_group_and_replaced_per_group() {
        let fw = Framework::cascade();
        let mut s = Session::new(Assessment::new("Vale", &fw), &fw).expect("ok");
        let hands = |group, counts: Vec<u32>| Edit::SetTally { round: "baseline".into(), domain: "clarity".into(), group, counts, unsure: 0 };
        s.apply(hands(Group::Education, vec![0, 0, 2, 2, 0])).expect("ok");
        s.apply(hands(Group::MentalHealth, vec![1, 2, 0, 0, 0])).expect("ok");
        s.apply(hands(Group::Education, vec![0, 0, 1, 3, 0])).expect("ok");
        assert_eq!(s.document().tallies.len(), 2);
        let d = &s.summary().rounds[0].domains[0];
        assert_eq!(d.n, 7);
        assert_eq!(d.groups[&Group::Education].mean, 3.75);
        assert_eq!(d.groups[&Group::MentalHealth].mean, 5.0 / 3.0);
        assert_eq!(d.perception_gap(), Some(3.75 - 5.0 / 3.0));
        // Clearing one group's hands leaves the other's.
        s.apply(hands(Group::MentalHealth, vec![0; 5])).expect("ok");
        assert_eq!(s.document().tallies.len(), 1);
        assert_eq!(s.document().tallies[0].group, Group::Education);
    }
}