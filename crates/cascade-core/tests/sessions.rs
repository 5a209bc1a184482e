//! Live scoring as the widget drives it: any sequence of edits, sensible or not, applied to a
//! [`Session`]. In the browser a panic aborts the WebAssembly module and the page stops
//! scoring, so these check that nothing a person (or a page's script) can send panics, that a
//! refused edit changes nothing, and that every document a session can reach still scores,
//! draws, saves and reads back.

use cascade_core::chart::{self, Series, SeriesStyle};
use cascade_core::{Assessment, Edit, Framework, Group, Score, Session, tidy};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

#[path = "support/cases.rs"]
mod cases;

use cases::{config, doc_from_json, doc_to_json};

/// Mostly ids that exist (at the start, or once added), sometimes ids that never will.
fn id(known: &[&'static str], other: &[&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![6 => select(known.to_vec()), 1 => select(other.to_vec())].prop_map(String::from)
}

fn round_id() -> impl Strategy<Value = String> {
    id(&["baseline", "followup"], &["follow-up", "check-in", "nope", "", " baseline"])
}

fn respondent_id() -> impl Strategy<Value = String> {
    id(&["r1", "r2", "r3"], &["AB", "x y", "", " r1"])
}

fn domain_id() -> impl Strategy<Value = String> {
    id(&["clarity", "contact", "structures", "outcomes", "learning", "integration", "evidence"], &["nope", ""])
}

/// Short text of the kinds people type: empty, blank, accented, quoted, very long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_string()),
        "[A-Za-zé\"', -]{1,12}",
        Just("\u{200b}".to_string()),
        Just("x".repeat(5_000)),
    ]
}

fn date() -> impl Strategy<Value = Option<String>> {
    prop::option::of(select(vec!["2026-01-15", "2026-02-29", "2028-02-29", "15/01/2026", ""]).prop_map(String::from))
}

fn level() -> impl Strategy<Value = u8> {
    prop_oneof![4 => 1u8..=5, 1 => Just(0u8), 1 => 6u8..=255]
}

fn score() -> impl Strategy<Value = Option<Score>> {
    prop_oneof![4 => level().prop_map(|l| Some(Score::Level(l))), 1 => Just(Some(Score::Unsure)), 1 => Just(None)]
}

fn count() -> impl Strategy<Value = u32> {
    prop_oneof![40 => 0u32..6, 1 => Just(u32::MAX), 1 => Just(1_000_000)]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => text().prop_map(|area| Edit::SetArea { area }),
        1 => (text(), date()).prop_map(|(label, date)| Edit::AddRound { label, date }),
        1 => (round_id(), text(), date()).prop_map(|(id, label, date)| Edit::SetRound { id, label, date }),
        1 => round_id().prop_map(|id| Edit::RemoveRound { id }),
        1 => (prop::option::of(respondent_id()), select(Group::ALL.to_vec())).prop_map(|(id, group)| Edit::AddRespondent { id, group }),
        1 => (respondent_id(), select(Group::ALL.to_vec())).prop_map(|(id, group)| Edit::SetRespondent { id, group }),
        1 => respondent_id().prop_map(|id| Edit::RemoveRespondent { id }),
        // Ratings are what a room mostly does, so they come up most.
        4 => (round_id(), respondent_id(), domain_id(), score())
            .prop_map(|(round, respondent, domain, level)| Edit::SetRating { round, respondent, domain, level }),
        2 => (round_id(), domain_id(), select(Group::ALL.to_vec()), prop_oneof![4 => vec(count(), 5), 1 => vec(count(), 0..7)], count())
            .prop_map(|(round, domain, group, counts, unsure)| Edit::SetTally { round, domain, group, counts, unsure }),
        2 => (round_id(), domain_id(), prop::option::of(level()))
            .prop_map(|(round, domain, level)| Edit::SetAgreed { round, domain, level }),
        1 => (domain_id(), prop::option::of(level())).prop_map(|(domain, level)| Edit::SetTarget { domain, level }),
        1 => (domain_id(), text()).prop_map(|(domain, text)| Edit::SetNote { domain, text }),
        1 => (domain_id(), text(), text(), date()).prop_map(|(domain, action, owner, due)| Edit::AddAction { domain, action, owner, due }),
        1 => (0usize..4, domain_id(), text(), text(), date())
            .prop_map(|(index, domain, action, owner, due)| Edit::SetAction { index, domain, action, owner, due }),
        1 => (0usize..4).prop_map(|index| Edit::RemoveAction { index }),
    ]
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// Everything the widget shows or saves of a document, worked out once: none of it may
/// fail or panic for a document a session holds.
fn check_reachable(s: &Session) -> Result<(), TestCaseError> {
    let doc = s.document();
    let fw = s.framework();
    prop_assert_eq!(doc.validate(fw), Ok(()));
    let summary = s.summary();
    prop_assert_eq!(summary.rounds.len(), doc.rounds.len());
    let mut series = Vec::new();
    for (i, (round, meta)) in summary.rounds.iter().zip(&doc.rounds).enumerate() {
        prop_assert_eq!(&round.round, &meta.id);
        for d in &round.domains {
            prop_assert!(chart::distribution(fw, d).starts_with("<svg"));
            if let Some(median) = d.median {
                prop_assert!((1.0..=5.0).contains(&median), "median {} of {}", median, d.domain);
            }
        }
        prop_assert!(chart::group_gap(fw, round).starts_with("<svg"));
        let style = match i {
            0 => SeriesStyle::Baseline,
            1 => SeriesStyle::Followup,
            n => SeriesStyle::Other(u8::try_from(n - 2).unwrap_or(u8::MAX)),
        };
        series.push(Series::headlines(&meta.label, round, style));
    }
    if let Some(first) = summary.rounds.first() {
        series.push(Series::targets("Target", first));
    }
    prop_assert!(chart::radar(fw, &series).starts_with("<svg"));
    for from in &doc.rounds {
        for to in &doc.rounds {
            let cmp = s.compare(&from.id, &to.id).map_err(fail)?;
            prop_assert!(chart::change(fw, &cmp, &from.label, &to.label).starts_with("<svg"));
        }
    }
    // Saved as JSON and opened again: the same document.
    let back = doc_from_json(&doc_to_json(doc)).map_err(fail)?;
    prop_assert_eq!(&back, doc);
    // Exported as tidy CSV and imported: every rating and tally is read without error.
    let csv = tidy::to_string(std::slice::from_ref(doc));
    let read = tidy::read_assessments(csv.as_bytes(), fw).map_err(|e| fail(format!("{e}\n{csv}")))?;
    prop_assert!(read.len() <= 1);
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_edits_never_panic_and_a_refused_edit_changes_nothing(edits in vec(edit(), 1..40)) {
        let fw = Framework::cascade();
        let mut s = Session::new(Assessment::new("Vale", &fw), &fw).map_err(fail)?;
        // Three people in the room already, so that ratings can land from the first edit.
        for (id, group) in [("r1", Group::Education), ("r2", Group::MentalHealth), ("r3", Group::Other)] {
            s.apply(Edit::AddRespondent { id: Some(id.into()), group }).map_err(fail)?;
        }
        let start = s.document().clone();
        let seeded = 3;
        let mut kept = 0usize;
        for e in edits {
            let before = s.document().clone();
            let could_undo = s.can_undo();
            match s.apply(e.clone()) {
                Ok(()) => {
                    if s.document() != &before {
                        kept += 1;
                        prop_assert!(s.can_undo());
                        prop_assert!(!s.can_redo());
                    }
                    check_reachable(&s)?;
                }
                Err(err) => {
                    prop_assert_eq!(s.document(), &before, "{:?} was refused ({}) but changed the document", e, err);
                    prop_assert_eq!(s.can_undo(), could_undo);
                    let message = err.to_string();
                    prop_assert!(!message.is_empty() && message.chars().next().is_some_and(|c| !c.is_uppercase()), "{}", message);
                }
            }
        }
        // Every kept edit undoes, back to the start, and redoes, back to the end.
        let end = s.document().clone();
        for _ in 0..kept {
            prop_assert!(s.undo());
        }
        prop_assert_eq!(s.document(), &start);
        for _ in 0..seeded {
            prop_assert!(s.undo());
        }
        prop_assert!(!s.undo());
        for _ in 0..seeded {
            prop_assert!(s.redo());
        }
        for _ in 0..kept {
            prop_assert!(s.redo());
        }
        prop_assert!(!s.redo());
        prop_assert_eq!(s.document(), &end);
    }
}

/// What a batch of rating edits must do, worked out the plain way: every edit applied to a
/// copy of the document, then the whole copy checked.
fn rated_by_hand(doc: &Assessment, fw: &Framework, edits: &[Edit]) -> Result<Assessment, String> {
    let mut next = doc.clone();
    for e in edits {
        let Edit::SetRating { round, respondent, domain, level } = e else { unreachable!() };
        let Some(group) = next.respondent(respondent).map(|r| r.group) else {
            return Err(format!("assessment: there is no respondent \"{respondent}\""));
        };
        let at = next.ratings.iter().position(|r| &r.round == round && &r.domain == domain && r.respondent.as_ref() == Some(respondent));
        match (at, level) {
            (Some(i), Some(s)) => next.ratings[i].score = *s,
            (Some(i), None) => {
                next.ratings.remove(i);
            }
            (None, Some(s)) => next.ratings.push(cascade_core::Rating::new(round.as_str(), Some(respondent.as_str()), group, domain.as_str(), *s)),
            (None, None) => {}
        }
    }
    next.validate(fw).map_err(|e| e.to_string())?;
    Ok(next)
}

proptest! {
    #![proptest_config(config(256))]

    /// A batch of people's ratings (what a key press sends, or "replace" clearing a round) is
    /// set in place and only the ratings it touched are checked: the same document, the same
    /// refusal word for word, and the same undo and redo as checking the whole document.
    #[test]
    fn ratings_set_in_place_agree_with_checking_the_whole_document(
        seed in vec((round_id(), respondent_id(), domain_id(), score()), 0..30),
        batches in vec(vec((round_id(), respondent_id(), domain_id(), score()), 1..4), 1..12),
    ) {
        let fw = Framework::cascade();
        let mut s = Session::new(Assessment::new("Vale", &fw), &fw).map_err(fail)?;
        for (id, group) in [("r1", Group::Education), ("r2", Group::MentalHealth), ("r3", Group::Other)] {
            s.apply(Edit::AddRespondent { id: Some(id.into()), group }).map_err(fail)?;
        }
        let rating = |(round, respondent, domain, level): (String, String, String, Option<Score>)| Edit::SetRating { round, respondent, domain, level };
        for e in seed {
            s.apply(rating(e)).ok();
        }
        let mut history = vec![s.document().clone()];
        for batch in batches {
            let edits: Vec<Edit> = batch.into_iter().map(rating).collect();
            let before = s.document().clone();
            let expected = rated_by_hand(&before, &fw, &edits);
            match (s.apply_all(edits), expected) {
                (Ok(()), Ok(next)) => {
                    prop_assert_eq!(s.document(), &next);
                    if next != before {
                        history.push(next);
                    }
                }
                (Err(got), Err(want)) => {
                    prop_assert_eq!(got.to_string(), want);
                    prop_assert_eq!(s.document(), &before);
                }
                (got, want) => prop_assert!(false, "session {:?}, by hand {:?}", got, want.map(|_| ())),
            }
        }
        // Undo walks back through every kept state, and redo forward again.
        for want in history.iter().rev().skip(1) {
            prop_assert!(s.undo());
            prop_assert_eq!(s.document(), want);
        }
        for want in history.iter().skip(1) {
            prop_assert!(s.redo());
            prop_assert_eq!(s.document(), want);
        }
    }
}

#[test]
fn five_thousand_people_each_key_press_is_checked_and_undone() {
    // 5,000 people at two rounds: 70,000 ratings, as an imported file holds them. Undo keeps
    // what each press changed (before, a copy of the whole document per press: 500 of them
    // would not fit in a browser's memory).
    let fw = Framework::cascade();
    let mut csv = String::from("area,round,respondent,group,domain,level\n");
    for round in ["baseline", "followup"] {
        for p in 0..5000 {
            for (d, domain) in fw.domains.iter().enumerate() {
                csv.push_str(&format!("Vale,{round},p{p},education,{},{}\n", domain.id, 1 + (p + d) % 5));
            }
        }
    }
    let doc = tidy::read_assessments(csv.as_bytes(), &fw).expect("read").remove(0);
    let mut s = Session::new(doc, &fw).expect("valid");
    let start = s.document().clone();
    // Person k's follow-up clarity starts at 1 + k % 5; each press moves it to another level.
    let level = |i: usize| Score::Level(u8::try_from(1 + (i % 50 + 1 + (i / 50) % 2) % 5).expect("small"));
    for i in 0..600 {
        s.apply(Edit::SetRating { round: "followup".into(), respondent: format!("p{}", i % 50), domain: "clarity".into(), level: Some(level(i)) })
            .expect("valid");
    }
    assert_eq!(s.document().ratings.len(), 70_000);
    assert_eq!(s.ratings_of("followup", &["p7"])[0], Some(level(557)));
    let refused = s.apply(Edit::SetRating { round: "followup".into(), respondent: "p7".into(), domain: "clarity".into(), level: Some(Score::Level(6)) });
    assert_eq!(refused.expect_err("off the scale").to_string(), "assessment: rating 35050: level 6 is not on the scale 1 to 5");
    assert_eq!(s.ratings_of("followup", &["p7"])[0], Some(level(557)));
    let mut undone = 0;
    while s.undo() {
        undone += 1;
    }
    assert_eq!(undone, cascade_core::UNDO_LIMIT);
    // The first 100 presses are older than the history keeps.
    assert_eq!(s.ratings_of("followup", &["p7"])[0], Some(level(57)));
    assert_ne!(s.document(), &start);
    while s.redo() {}
    assert_eq!(s.ratings_of("followup", &["p7"])[0], Some(level(557)));
    assert_eq!(s.document().ratings.len(), 70_000);
}
