//! The id rules (`cascade_core::ids`) on generated ids: every reader and validator of the
//! crate accepts exactly the ids the rules accept, and a spreadsheet-safe CSV reads back as
//! it was written.

use cascade_core::__private::Quoted;
use cascade_core::{ids, tidy, Assessment, Framework, Rating, Respondent, Score};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Characters that ids are made of, the hidden ones and those that start formulas among them.
const POOL: [char; 18] = [
    'a', 'B', '7', 'é', '北', ' ', '=', '+', '-', '@', '\'', '\u{200b}', '\u{200d}', '\u{202e}', '\u{2067}', '\u{feff}',
    '\u{fffe}', '\u{7}',
];

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => select(vec!["__proto__".to_owned(), "constructor".to_owned(), "prototype".to_owned()]),
        1 => (90usize..130).prop_map(|n| "x".repeat(n)),
        6 => proptest::collection::vec(select(POOL.to_vec()), 1..12).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Ids the rules accept, many of them starting as a formula would.
fn visible() -> impl Strategy<Value = String> {
    proptest::collection::vec(select(POOL[..11].to_vec()), 1..12)
        .prop_map(|cs| cs.into_iter().collect::<String>().trim().to_owned())
        .prop_filter("not empty", |s| !s.is_empty())
}

/// What the rules say of an id, written out independently of the crate's code.
fn expected(id: &str) -> Result<(), String> {
    if ["__proto__", "constructor", "prototype"].contains(&id) {
        return Err("is a reserved name".into());
    }
    let bad = |c: char| matches!(c, '\u{200b}' | '\u{200d}' | '\u{202e}' | '\u{2067}' | '\u{feff}' | '\u{fffe}' | '\u{7}');
    if let Some(c) = id.chars().find(|&c| bad(c)) {
        return Err(format!("has an invisible or direction control character (U+{:04X})", u32::from(c)));
    }
    if id.chars().count() > 100 {
        return Err("is longer than the limit of 100 characters".into());
    }
    Ok(())
}

fn csv_field(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn ids_are_refused_exactly_by_the_rules(id in id()) {
        prop_assert_eq!(ids::check_id(&id), expected(&id));
        let fw = Framework::cascade();
        let padded = id.trim() != id;
        prop_assume!(!id.trim().is_empty());

        // As a respondent in a document.
        let mut doc = Assessment::new("Vale", &fw);
        doc.respondents.push(Respondent { id: id.clone(), group: cascade_core::Group::Other });
        let got = doc.validate(&fw).map_err(|e| e.to_string());
        if padded {
            prop_assert_eq!(got, Err(format!("assessment: respondent 1: id {} has spaces at the start or end", Quoted(&id))));
        } else {
            prop_assert_eq!(got, expected(&id).map_err(|m| format!("assessment: respondent 1: id {} {m}", Quoted(&id))));
        }

        // As a domain id in a framework.
        let mut f = Framework::cascade();
        f.domains[0].id = id.clone();
        let ok = f.validate().is_ok();
        prop_assert_eq!(ok, !padded && expected(&id).is_ok() && !id.eq_ignore_ascii_case("unsure") && !id.contains(','), "{}", id);

        // As a respondent in a tidy CSV file (values are trimmed there, so it is read trimmed,
        // and the `'` before a formula character is the writer's mark, taken off).
        let csv = format!("area,round,respondent,group,domain,level\nVale,baseline,{},,clarity,2\n", csv_field(&id));
        let read = tidy::read_assessments(csv.as_bytes(), &fw);
        let trimmed = id.trim_matches(|c: char| c.is_ascii_whitespace());
        let mut seen = trimmed;
        if let Some(rest) = trimmed.strip_prefix('\'') {
            if rest.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r']) {
                seen = rest;
            }
        }
        if seen.is_empty() {
            prop_assert!(read.is_ok());
        } else {
            let want = expected(seen).map_err(|m| format!("line 2: respondent {} {m}", Quoted(seen)));
            prop_assert_eq!(read.map(|d| d[0].respondents[0].id.clone()).map_err(|e| e.to_string()), want.map(|()| seen.to_owned()));
        }
    }

    #[test]
    fn spreadsheet_safe_csv_reads_back_and_runs_nothing(area in visible(), who in visible()) {
        let fw = Framework::cascade();
        prop_assume!(ids::check_name(&area, ids::MAX_NAME_CHARS).is_ok() && ids::check_id(&who).is_ok());
        prop_assume!(area.trim() == area && who.trim() == who && !area.is_empty() && !who.is_empty());
        let mut doc = Assessment::new(&area, &fw);
        doc.respondents.push(Respondent { id: who.clone(), group: cascade_core::Group::Other });
        doc.ratings.push(Rating { round: "baseline".into(), respondent: Some(who.clone()), group: cascade_core::Group::Other, domain: "clarity".into(), score: Score::Level(2) });
        prop_assume!(doc.validate(&fw).is_ok());
        let csv = tidy::to_string(std::slice::from_ref(&doc));
        // No cell, quoted or not, starts with what a spreadsheet runs.
        for line in csv.lines().skip(1) {
            for cell in split_cells(line) {
                prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?} in {:?}", cell, csv);
            }
        }
        let back = tidy::read_assessments(csv.as_bytes(), &fw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back[0].area, &area);
        prop_assert_eq!(&back[0].respondents[0].id, &who);
    }

    #[test]
    fn messages_quote_at_most_80_characters(text in proptest::collection::vec(select(POOL.to_vec()), 0..200).prop_map(|cs| cs.into_iter().collect::<String>())) {
        let shown = Quoted(&text).to_string();
        let n = text.chars().count();
        if n > 80 {
            prop_assert!(shown.ends_with(&format!("…\" ({n} characters)")), "{}", shown);
            prop_assert!(shown.chars().count() < 80 * 10 + 30);
        } else {
            prop_assert_eq!(shown, format!("{text:?}"));
        }
    }
}

/// The cells of a CSV line as a spreadsheet sees them (quotes taken off).
fn split_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(s) = cells.last_mut() {
                    s.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => {
                if let Some(s) = cells.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    cells
}

#[test]
fn the_findings_examples_are_refused_with_their_words() {
    let fw = Framework::cascade();
    let mut doc = Assessment::new("Vale", &fw);
    doc.respondents.push(Respondent { id: "ana\u{200b}".into(), group: cascade_core::Group::Other });
    assert_eq!(
        doc.validate(&fw).map_err(|e| e.to_string()),
        Err("assessment: respondent 1: id \"ana\\u{200b}\" has an invisible or direction control character (U+200B)".into())
    );
    let mut f = Framework::cascade();
    f.domains[0].id = "__proto__".into();
    assert_eq!(f.validate().map_err(|e| e.to_string()), Err("framework: domain 1 (\"__proto__\"): id is a reserved name".into()));
    let mut doc = Assessment::new("Vale", &fw);
    doc.rounds[0].label = "x".repeat(100_000);
    assert_eq!(
        doc.validate(&fw).map_err(|e| e.to_string()),
        Err(format!("assessment: round 1: label \"{}…\" (100000 characters) is longer than the limit of 200 characters", "x".repeat(80)))
    );
    // The first line of a CSV file of 100,000 characters gives a message of a line or two.
    let csv = format!("{}\nVale,baseline,,,clarity,2\n", "y".repeat(100_000));
    let err = tidy::read_assessments(csv.as_bytes(), &fw).unwrap_err().to_string();
    assert!(err.len() < 250, "{} characters: {err}", err.len());
}
