//! Every validation message of assessment documents and framework files, word for word.
//!
//! These strings reach people through the CLI and the widget, so a change to one is a change
//! to the interface: each test pins the whole message with `assert_eq!`.

use cascade_core::{
    Action, Agreed, Assessment, Dataset, ErrorKind, Framework, Group, Note, Rating, Respondent, Round, Score, Tally, Target,
};

const DOMAINS: &str = "clarity, contact, structures, outcomes, learning, integration, evidence";

fn rating(round: &str, who: Option<&str>, group: Group, domain: &str, score: Score) -> Rating {
    Rating { round: round.into(), respondent: who.map(Into::into), group, domain: domain.into(), score }
}

/// A small valid document that uses every part of the format once.
fn valid() -> Assessment {
    let fw = Framework::cascade();
    let mut a = Assessment::new("Example Vale", &fw);
    a.rounds[0].date = Some("2026-01-20".into());
    a.rounds[1].date = Some("2026-03-03".into());
    a.respondents = vec![
        Respondent { id: "ana".into(), group: Group::Education },
        Respondent { id: "ben".into(), group: Group::MentalHealth },
    ];
    a.ratings = vec![
        rating("baseline", Some("ana"), Group::Education, "clarity", Score::Level(2)),
        rating("baseline", Some("ben"), Group::MentalHealth, "clarity", Score::Level(3)),
        rating("baseline", None, Group::Other, "clarity", Score::Unsure),
        rating("followup", Some("ana"), Group::Education, "clarity", Score::Level(3)),
    ];
    a.tallies = vec![Tally {
        round: "baseline".into(),
        domain: "contact".into(),
        group: Group::Other,
        counts: vec![1, 2, 0, 0, 0],
        unsure: 1,
    }];
    a.agreed = vec![Agreed { round: "baseline".into(), domain: "clarity".into(), level: 2 }];
    a.targets = vec![Target { domain: "clarity".into(), level: 4 }];
    a.notes = vec![Note { domain: "clarity".into(), text: "Nobody knew who the school link was.".into() }];
    a.actions = vec![Action {
        domain: "contact".into(),
        action: "Share the list of named contacts".into(),
        owner: "Mental health support team".into(),
        due: Some("2026-02-13".into()),
    }];
    a
}

/// The message of the validation error after `edit`.
fn invalid(edit: impl FnOnce(&mut Assessment)) -> String {
    let mut a = valid();
    edit(&mut a);
    match a.validate(&Framework::cascade()) {
        Ok(()) => panic!("the edited document validated: {a:#?}"),
        Err(e) => e.to_string(),
    }
}

fn from_json_err(text: &str) -> String {
    match Assessment::from_json(text) {
        Ok(a) => panic!("read without error: {a:#?}"),
        Err(e) => e.to_string(),
    }
}

fn framework_err(text: &str) -> String {
    match Framework::from_json(text) {
        Ok(fw) => panic!("read without error: {fw:#?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_base_document_is_valid() {
    assert_eq!(valid().validate(&Framework::cascade()), Ok(()));
}

// ---------------------------------------------------------------------------------------------
// Assessment::from_json: the schema version first, then serde's own checks.

#[test]
fn schema_version_wrong() {
    assert_eq!(
        from_json_err(r#"{"schema_version": 2, "area": "Vale"}"#),
        "assessment: schema_version 2 is not supported; this release reads version 1"
    );
    assert_eq!(
        from_json_err(r#"{"schema_version": 0}"#),
        "assessment: schema_version 0 is not supported; this release reads version 1"
    );
    // A newer document gets the version message even when its fields are unknown to us.
    assert_eq!(
        from_json_err(r#"{"schema_version": 3, "colour": "blue", "sessions": []}"#),
        "assessment: schema_version 3 is not supported; this release reads version 1"
    );
}

#[test]
fn schema_version_not_a_whole_number() {
    for version in [r#""1""#, "1.5", "-1", "true", "[1]"] {
        assert_eq!(
            from_json_err(&format!(r#"{{"schema_version": {version}}}"#)),
            "assessment: schema_version must be a whole number",
            "{version}"
        );
    }
}

#[test]
fn schema_version_missing() {
    assert_eq!(
        from_json_err(r#"{"area": "Vale", "rounds": []}"#),
        "assessment: schema_version is missing; this release reads version 1"
    );
    assert_eq!(from_json_err("{}"), "assessment: schema_version is missing; this release reads version 1");
}

#[test]
fn unknown_field_names_line_and_column() {
    // The column is that of the closing quote of the unknown key.
    let top = r#"{"schema_version":1,"colour":"blue"}"#;
    assert_eq!(
        from_json_err(top),
        "assessment: line 1, column 28: unknown field `colour`, expected one of `schema_version`, `framework`, \
         `area`, `rounds`, `respondents`, `ratings`, `tallies`, `agreed`, `targets`, `notes`, `actions`"
    );
    let nested = r#"{
  "schema_version": 1,
  "framework": {"id": "cascade", "version": "1"},
  "area": "Example Vale",
  "rounds": [{"id": "baseline", "label": "Baseline"}],
  "ratings": [
    {"round": "baseline", "respondent": "ana", "domain": "clarity", "level": 2},
    {"round": "baseline", "respondent": "ben", "domian": "clarity", "level": 3}
  ]
}"#;
    assert_eq!(
        from_json_err(nested),
        "assessment: line 8, column 55: unknown field `domian`, expected one of `round`, `respondent`, `group`, \
         `domain`, `level`"
    );
    let in_framework = r#"{"schema_version": 1, "framework": {"id": "cascade", "version": "1", "name": "CASCADE"}}"#;
    assert_eq!(
        from_json_err(in_framework),
        "assessment: line 1, column 75: unknown field `name`, expected `id` or `version`"
    );
}

#[test]
fn serde_messages_name_line_and_column() {
    let head = r#"{"schema_version": 1, "framework": {"id": "cascade", "version": "1"}, "area": "Vale", "rounds": [{"id": "b", "label": "B"}], "#;
    assert_eq!(
        from_json_err(&format!(r#"{head}"ratings": [{{"round": "b", "domain": "clarity", "level": 11}}]}}"#)),
        "assessment: line 1, column 184: invalid value: integer `11`, expected a level from 1 to 10 or \"unsure\""
    );
    assert_eq!(
        from_json_err(&format!(r#"{head}"ratings": [{{"round": "b", "domain": "clarity", "level": "Unsure"}}]}}"#)),
        "assessment: line 1, column 190: invalid value: string \"Unsure\", expected a level from 1 to 10 or \"unsure\""
    );
    assert_eq!(
        from_json_err(&format!(r#"{head}"ratings": [{{"round": "b", "domain": "clarity", "level": 2.5}}]}}"#)),
        "assessment: line 1, column 185: invalid value: floating point `2.5`, expected a level from 1 to 10 or \"unsure\""
    );
    assert_eq!(
        from_json_err(&format!(r#"{head}"ratings": [{{"round": "b", "domain": "clarity"}}]}}"#)),
        "assessment: line 1, column 172: missing field `level`"
    );
    assert_eq!(
        from_json_err(&format!(r#"{head}"respondents": [{{"id": "ana", "group": "teacher"}}]}}"#)),
        "assessment: line 1, column 173: unknown variant `teacher`, expected one of `education`, `mental-health`, \
         `commissioner`, `local-authority`, `voluntary-sector`, `other`"
    );
    assert_eq!(
        from_json_err(r#"{"schema_version": 1, "area": "Vale"}"#),
        "assessment: line 1, column 37: missing field `framework`"
    );
    assert_eq!(
        from_json_err(r#"{"schema_version": 1, "area": "Vale","#),
        "assessment: line 1, column 37: EOF while parsing a value"
    );
    assert_eq!(from_json_err(""), "assessment: line 1, column 0: EOF while parsing a value");
}

#[test]
fn not_an_object_names_the_document_not_an_internal_struct() {
    // Assessment::from_json first reads the text into a private `struct Probe` to check the
    // version, and passes serde's message on unchanged, so the user reads about a `Probe`.
    assert_eq!(
        from_json_err(r#""Example Vale""#),
        "assessment: line 1, column 14: invalid type: string \"Example Vale\", expected struct Assessment"
    );
    assert_eq!(from_json_err("null"), "assessment: line 1, column 4: invalid type: null, expected struct Assessment");
}

// ---------------------------------------------------------------------------------------------
// Assessment::validate, in the order it checks.

#[test]
fn framework_mismatch() {
    let message =
        "the assessment was scored on framework \"cascade\" version \"0\", but \"cascade\" version \"1\" is in use";
    assert_eq!(invalid(|a| a.framework.version = "0".into()), message);
    // Through Dataset, as the CLI reads documents.
    let mut a = valid();
    a.framework.id = "cascade-2019".into();
    let err = Dataset::from_assessment(&a, &Framework::cascade()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the assessment was scored on framework \"cascade-2019\" version \"1\", but \"cascade\" version \"1\" is in use"
    );
    assert_eq!(err.kind(), ErrorKind::FrameworkMismatch);
    assert_eq!(err.line(), None);
}

#[test]
fn wrong_schema_version_in_a_value() {
    assert_eq!(
        invalid(|a| a.schema_version = 2),
        "assessment: schema_version 2 is not supported; this release reads version 1"
    );
}

#[test]
fn area_and_rounds() {
    assert_eq!(invalid(|a| a.area = " \t".into()), "assessment: area is empty");
    assert_eq!(invalid(|a| a.rounds.clear()), "assessment: has no rounds");
    assert_eq!(invalid(|a| a.rounds[1].id = " ".into()), "assessment: round 2: id is empty");
    assert_eq!(
        invalid(|a| a.rounds.push(Round { id: "baseline".into(), label: "Again".into(), date: None })),
        "assessment: round 3: id \"baseline\" is used twice"
    );
}

#[test]
fn bad_dates() {
    let day = |date: &str| invalid(|a| a.rounds[1].date = Some(date.into()));
    assert_eq!(day("2026-02-30"), "assessment: round \"followup\": date \"2026-02-30\" is not a day of the calendar");
    assert_eq!(day("2026-02-29"), "assessment: round \"followup\": date \"2026-02-29\" is not a day of the calendar");
    assert_eq!(day("1900-02-29"), "assessment: round \"followup\": date \"1900-02-29\" is not a day of the calendar");
    assert_eq!(day("2026-04-31"), "assessment: round \"followup\": date \"2026-04-31\" is not a day of the calendar");
    assert_eq!(day("2026-13-01"), "assessment: round \"followup\": date \"2026-13-01\" is not a day of the calendar");
    assert_eq!(day("2026-00-10"), "assessment: round \"followup\": date \"2026-00-10\" is not a day of the calendar");
    assert_eq!(day("2026-03-00"), "assessment: round \"followup\": date \"2026-03-00\" is not a day of the calendar");
    assert_eq!(day("14/03/2026"), "assessment: round \"followup\": date \"14/03/2026\" is not a date like 2026-03-14");
    assert_eq!(day("2026-3-14"), "assessment: round \"followup\": date \"2026-3-14\" is not a date like 2026-03-14");
    assert_eq!(
        day("2026-03-14T10:00"),
        "assessment: round \"followup\": date \"2026-03-14T10:00\" is not a date like 2026-03-14"
    );
    assert_eq!(day(""), "assessment: round \"followup\": date \"\" is not a date like 2026-03-14");
    assert_eq!(day("2026-0é-14"), "assessment: round \"followup\": date \"2026-0é-14\" is not a date like 2026-03-14");
    assert_eq!(day("+026-03-14"), "assessment: round \"followup\": date \"+026-03-14\" is not a date like 2026-03-14");

    let due = |date: &str| invalid(|a| a.actions[0].due = Some(date.into()));
    assert_eq!(due("14/03/2026"), "assessment: action 1: date \"14/03/2026\" is not a date like 2026-03-14");
    assert_eq!(due("2026-02-30"), "assessment: action 1: date \"2026-02-30\" is not a day of the calendar");

    // Leap days that exist are fine.
    for date in ["2028-02-29", "2000-02-29", "2026-12-31", "2026-01-01"] {
        let mut a = valid();
        a.rounds[0].date = Some(date.into());
        a.actions[0].due = Some(date.into());
        assert_eq!(a.validate(&Framework::cascade()), Ok(()), "{date}");
    }
}

#[test]
fn respondents() {
    assert_eq!(
        invalid(|a| a.respondents.push(Respondent { id: "ana".into(), group: Group::Commissioner })),
        "assessment: respondent 3: id \"ana\" is used twice"
    );
    assert_eq!(invalid(|a| a.respondents[0].id = "".into()), "assessment: respondent 1: id is empty");
}

#[test]
fn ratings() {
    assert_eq!(
        invalid(|a| a.ratings[3].round = "follow-up".into()),
        "assessment: rating 4: unknown round \"follow-up\"; rounds are baseline, followup"
    );
    assert_eq!(
        invalid(|a| a.ratings[1].domain = "clarty".into()),
        format!("assessment: rating 2: unknown domain \"clarty\"; expected one of {DOMAINS}")
    );
    assert_eq!(
        invalid(|a| a.ratings[0].score = Score::Level(6)),
        "assessment: rating 1: level 6 is not on the scale 1 to 5"
    );
    assert_eq!(
        invalid(|a| a.ratings[0].score = Score::Level(0)),
        "assessment: rating 1: level 0 is not on the scale 1 to 5"
    );
    assert_eq!(
        invalid(|a| a.ratings[2].respondent = Some("  ".into())),
        "assessment: rating 3: respondent is empty; leave it out for an anonymous rating"
    );
    assert_eq!(
        invalid(|a| a.ratings.push(rating("baseline", Some("ana"), Group::Education, "clarity", Score::Unsure))),
        "assessment: rating 5: respondent \"ana\" already rated clarity in round \"baseline\""
    );
}

#[test]
fn ratings_level_depends_on_the_framework_scale() {
    let fw = Framework::from_json(SEVEN_LEVELS).unwrap();
    let mut a = Assessment::new("Vale", &fw);
    a.ratings.push(rating("baseline", None, Group::Other, "talk", Score::Level(7)));
    assert_eq!(a.validate(&fw), Ok(()));
    a.ratings.push(rating("baseline", None, Group::Other, "talk", Score::Level(8)));
    assert_eq!(a.validate(&fw).unwrap_err().to_string(), "assessment: rating 2: level 8 is not on the scale 1 to 7");
    a.ratings.pop();
    a.ratings.push(rating("baseline", None, Group::Other, "clarity", Score::Level(3)));
    assert_eq!(
        a.validate(&fw).unwrap_err().to_string(),
        "assessment: rating 2: unknown domain \"clarity\"; expected one of talk, plan"
    );
}

#[test]
fn tallies() {
    assert_eq!(
        invalid(|a| {
            a.tallies[0].counts.pop();
        }),
        "assessment: tally 1: has 4 counts; the scale has 5 levels"
    );
    assert_eq!(
        invalid(|a| a.tallies[0].counts = vec![0; 10]),
        "assessment: tally 1: has 10 counts; the scale has 5 levels"
    );
    assert_eq!(
        invalid(|a| a.tallies[0].round = "workshop".into()),
        "assessment: tally 1: unknown round \"workshop\"; rounds are baseline, followup"
    );
    assert_eq!(
        invalid(|a| a.tallies[0].domain = "Contact".into()),
        format!("assessment: tally 1: unknown domain \"Contact\"; expected one of {DOMAINS}")
    );
    assert_eq!(
        invalid(|a| {
            let again = a.tallies[0].clone();
            a.tallies.push(again);
        }),
        "assessment: tally 2: contact in round \"baseline\" is tallied twice for group other"
    );
    // Another group, or another round, is not a duplicate.
    let mut a = valid();
    let mut t = a.tallies[0].clone();
    t.group = Group::Education;
    a.tallies.push(t.clone());
    t.round = "followup".into();
    a.tallies.push(t);
    assert_eq!(a.validate(&Framework::cascade()), Ok(()));
}

#[test]
fn agreed() {
    assert_eq!(
        invalid(|a| a.agreed.push(Agreed { round: "baseline".into(), domain: "clarity".into(), level: 3 })),
        "assessment: agreed 2: clarity in round \"baseline\" is agreed twice"
    );
    assert_eq!(invalid(|a| a.agreed[0].level = 0), "assessment: agreed 1: level 0 is not on the scale 1 to 5");
    assert_eq!(invalid(|a| a.agreed[0].level = 6), "assessment: agreed 1: level 6 is not on the scale 1 to 5");
    assert_eq!(
        invalid(|a| a.agreed[0].round = "midpoint".into()),
        "assessment: agreed 1: unknown round \"midpoint\"; rounds are baseline, followup"
    );
    assert_eq!(
        invalid(|a| a.agreed[0].domain = "".into()),
        format!("assessment: agreed 1: unknown domain \"\"; expected one of {DOMAINS}")
    );
}

#[test]
fn targets() {
    assert_eq!(
        invalid(|a| a.targets.push(Target { domain: "clarity".into(), level: 5 })),
        "assessment: target 2: clarity has two targets"
    );
    assert_eq!(invalid(|a| a.targets[0].level = 9), "assessment: target 1: level 9 is not on the scale 1 to 5");
    assert_eq!(
        invalid(|a| a.targets[0].domain = "outcome".into()),
        format!("assessment: target 1: unknown domain \"outcome\"; expected one of {DOMAINS}")
    );
}

#[test]
fn notes_and_actions() {
    assert_eq!(
        invalid(|a| a.notes[0].domain = "evidance".into()),
        format!("assessment: note 1: unknown domain \"evidance\"; expected one of {DOMAINS}")
    );
    assert_eq!(invalid(|a| a.actions[0].action = " \n ".into()), "assessment: action 1: the action is empty");
    assert_eq!(
        invalid(|a| a.actions[0].domain = "learn".into()),
        format!("assessment: action 1: unknown domain \"learn\"; expected one of {DOMAINS}")
    );
    // An action without an owner or a date is allowed.
    let mut a = valid();
    a.actions[0].owner.clear();
    a.actions[0].due = None;
    assert_eq!(a.validate(&Framework::cascade()), Ok(()));
}

#[test]
fn errors_of_documents_have_no_line() {
    let mut a = valid();
    a.targets[0].level = 9;
    let err = a.validate(&Framework::cascade()).unwrap_err();
    assert_eq!((err.kind(), err.domain()), (ErrorKind::Level, Some("clarity")));
    assert_eq!(err.line(), None);
}

#[test]
fn pushing_the_same_area_twice() {
    let fw = Framework::cascade();
    let mut data = Dataset::from_assessment(&valid(), &fw).unwrap();
    assert_eq!(
        data.push_assessment(&valid()).unwrap_err().to_string(),
        "assessment: area \"Example Vale\" is already in the dataset"
    );
}

#[test]
fn comparing_rounds_nobody_has() {
    let fw = Framework::cascade();
    let data = Dataset::from_assessment(&valid(), &fw).unwrap();
    assert_eq!(
        data.compare("baseline", "follow-up").unwrap_err().to_string(),
        "no area has a round \"follow-up\"; rounds present: baseline, followup"
    );
    assert_eq!(
        data.compare("Baseline", "followup").unwrap_err().to_string(),
        "no area has a round \"Baseline\"; rounds present: baseline, followup"
    );
}

// ---------------------------------------------------------------------------------------------
// Framework::from_json on files as people write them.

/// A valid framework file with a seven-level scale and two domains.
const SEVEN_LEVELS: &str = r#"{
  "id": "link-7",
  "version": "2026.1",
  "name": "Link, seven levels",
  "levels": [
    {"label": "Absent"}, {"label": "Talked about"}, {"label": "Planned"}, {"label": "Started"},
    {"label": "Patchy"}, {"label": "Routine"}, {"label": "Embedded"}
  ],
  "domains": [
    {
      "id": "talk",
      "letter": "T",
      "title": "Talking to each other",
      "description": "Schools and services know whom to call.",
      "descriptors": ["1", "2", "3", "4", "5", "6", "7"]
    },
    {
      "id": "plan",
      "letter": "P",
      "title": "Planning together",
      "description": "Partners plan the year together.",
      "descriptors": ["1", "2", "3", "4", "5", "6", "7"]
    }
  ]
}"#;

#[test]
fn framework_file_valid() {
    let fw = Framework::from_json(SEVEN_LEVELS).unwrap();
    assert_eq!((fw.scale(), fw.domains.len()), (7, 2));
}

#[test]
fn framework_file_descriptor_missing() {
    // The second domain has lost its last descriptor.
    let text = SEVEN_LEVELS.replacen(
        r#""5", "6", "7"]
    }
  ]"#,
        r#""5", "6"]
    }
  ]"#,
        1,
    );
    assert_ne!(text, SEVEN_LEVELS);
    assert_eq!(framework_err(&text), "framework: domain 2 (\"plan\"): has 6 descriptors; the scale has 7 levels");
}

#[test]
fn framework_file_rules() {
    let edit = |from: &str, to: &str| {
        let text = SEVEN_LEVELS.replacen(from, to, 1);
        assert_ne!(text, SEVEN_LEVELS, "{from}");
        framework_err(&text)
    };
    assert_eq!(
        edit(r#""id": "plan""#, r#""id": "talk""#),
        "framework: domain 2 (\"talk\"): id is also used by domain 1"
    );
    assert_eq!(
        edit(r#""id": "plan""#, r#""id": "plan ""#),
        "framework: domain 2 (\"plan \"): id must not contain commas or surrounding spaces"
    );
    assert_eq!(
        edit(r#""id": "plan""#, r#""id": "UNSURE""#),
        "framework: domain 2 (\"UNSURE\"): id \"unsure\" is reserved"
    );
    assert_eq!(edit(r#""id": "plan""#, r#""id": """#), "framework: domain 2: id is empty");
    assert_eq!(edit(r#""letter": "T""#, r#""letter": " ""#), "framework: domain 1 (\"talk\"): letter is empty");
    assert_eq!(
        edit(r#""description": "Partners plan the year together.""#, r#""description": """#),
        "framework: domain 2 (\"plan\"): description is empty"
    );
    assert_eq!(
        edit(r#"["1", "2", "3""#, r#"["1", "", "3""#),
        "framework: domain 1 (\"talk\"): descriptor for level 2 is empty"
    );
    assert_eq!(edit(r#"{"label": "Patchy"}"#, r#"{"label": ""}"#), "framework: level 5: label is empty");
    assert_eq!(edit(r#""version": "2026.1""#, r#""version": """#), "framework: version is empty");
    assert_eq!(edit(r#""name": "Link, seven levels""#, r#""name": " ""#), "framework: name is empty");
    assert_eq!(
        edit(
            r#"{"label": "Absent"}, {"label": "Talked about"}, {"label": "Planned"}, {"label": "Started"},
    {"label": "Patchy"}, {"label": "Routine"}, {"label": "Embedded"}"#,
            r#"{"label": "Only"}"#
        ),
        "framework: has 1 levels; a scale needs 2 to 10"
    );
}

#[test]
fn framework_file_json_errors() {
    // A trailing comma, as people leave when they delete the last domain by hand.
    let trailing = SEVEN_LEVELS.replacen(
        r#""descriptors": ["1", "2", "3", "4", "5", "6", "7"]
    },"#,
        r#""descriptors": ["1", "2", "3", "4", "5", "6", "7"],
    },"#,
        1,
    );
    assert_ne!(trailing, SEVEN_LEVELS);
    assert_eq!(framework_err(&trailing), "framework: line 16, column 5: trailing comma");

    let unknown = SEVEN_LEVELS.replacen(r#""letter": "P","#, r#""letter": "P", "colour": "teal","#, 1);
    assert_eq!(
        framework_err(&unknown),
        "framework: line 19, column 29: unknown field `colour`, expected one of `id`, `letter`, `title`, \
         `description`, `descriptors`"
    );
    let missing = SEVEN_LEVELS.replacen(r#""title": "Planning together","#, "", 1);
    assert_eq!(framework_err(&missing), "framework: line 23, column 5: missing field `title`");
    assert_eq!(
        framework_err(r#"{"id": "x", "version": "1", "name": "X", "levels": [{"label": 3}]}"#),
        "framework: line 1, column 63: invalid type: integer `3`, expected a string"
    );
    assert_eq!(framework_err(""), "framework: line 1, column 0: EOF while parsing a value");
}

#[test]
fn an_assessment_is_not_a_framework() {
    let text = valid().to_json();
    assert_eq!(
        framework_err(&text),
        "framework: line 2, column 18: unknown field `schema_version`, expected one of `id`, `version`, `name`, \
         `levels`, `domains`"
    );
}
