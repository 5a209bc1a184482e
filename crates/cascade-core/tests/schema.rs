//! Keeps the published JSON Schemas honest against the Rust types, without a schema
//! validator dependency.
//!
//! For every object type of `docs/assessment.schema.json` and `docs/framework.schema.json`,
//! `properties` must name exactly the fields serde writes for a fully populated value, and
//! `required` exactly the fields serde cannot do without. A small validator for the keywords
//! the schemas use then checks real documents, good and bad, against them.

use std::collections::BTreeSet;

use cascade_core::{
    Action, Agreed, Assessment, Domain, Framework, FrameworkRef, Group, Level, Note, Rating, Respondent, Score, Tally,
    Target,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

fn repo_file(path: &str) -> String {
    let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema(name: &str) -> Value {
    serde_json::from_str(&repo_file(&format!("docs/{name}"))).unwrap_or_else(|e| panic!("docs/{name}: {e}"))
}

/// An assessment with every list non-empty and every `Option` set.
fn populated() -> Assessment {
    let fw = Framework::cascade();
    let mut a = Assessment::new("Example Vale", &fw);
    a.rounds[0].date = Some("2026-01-20".into());
    a.rounds[1].date = Some("2026-03-03".into());
    a.respondents.push(Respondent { id: "ana".into(), group: Group::Education });
    a.ratings.push(Rating {
        round: "baseline".into(),
        respondent: Some("ana".into()),
        group: Group::Education,
        domain: "clarity".into(),
        score: Score::Level(2),
    });
    a.ratings.push(Rating {
        round: "followup".into(),
        respondent: Some("ana".into()),
        group: Group::Education,
        domain: "clarity".into(),
        score: Score::Unsure,
    });
    a.tallies.push(Tally {
        round: "baseline".into(),
        domain: "contact".into(),
        group: Group::MentalHealth,
        counts: vec![0, 1, 2, 0, 0],
        unsure: 1,
    });
    a.agreed.push(Agreed { round: "baseline".into(), domain: "clarity".into(), level: 2 });
    a.targets.push(Target { domain: "clarity".into(), level: 4 });
    a.notes.push(Note { domain: "clarity".into(), text: "Roles are unclear.".into() });
    a.actions.push(Action {
        domain: "clarity".into(),
        action: "Write down who does what".into(),
        owner: "Link lead".into(),
        due: Some("2026-02-13".into()),
    });
    a
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn keys<'a>(it: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    it.into_iter().cloned().collect()
}

/// The object schema at `pointer` (`""` for the root).
fn def<'a>(schema: &'a Value, pointer: &str) -> &'a Map<String, Value> {
    let at = schema.pointer(pointer).unwrap_or_else(|| panic!("no {pointer:?} in the schema"));
    assert_eq!(at["type"], "object", "{pointer}: type");
    assert_eq!(at["additionalProperties"], false, "{pointer}: additionalProperties");
    at.as_object().unwrap_or_else(|| panic!("{pointer} is not an object"))
}

/// Checks one object type: the schema's `properties` are exactly the fields serde writes for
/// `full`, and its `required` are exactly the fields whose removal serde refuses.
fn check_type<T: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(
    schema: &Value,
    pointer: &str,
    full: &T,
) {
    let def = def(schema, pointer);
    let written = object(serde_json::to_value(full).unwrap_or_else(|e| panic!("{pointer}: {e}")));
    let properties = def["properties"].as_object().unwrap_or_else(|| panic!("{pointer}: properties"));
    assert_eq!(keys(properties.keys()), keys(written.keys()), "{pointer}: properties against the serialized fields");
    for (name, p) in properties {
        let text = p.get("description").and_then(Value::as_str).unwrap_or_default();
        assert!(!text.trim().is_empty(), "{pointer}.{name} has no description");
    }

    // Serde reads back what it wrote.
    let back: T = serde_json::from_value(Value::Object(written.clone())).unwrap_or_else(|e| panic!("{pointer}: {e}"));
    assert_eq!(&back, full, "{pointer}: round trip");

    // A field is required exactly when serde refuses the object without it as a missing
    // field (without `respondents`, named ratings break a rule instead).
    let mut needed = BTreeSet::new();
    for field in written.keys() {
        let mut less = written.clone();
        less.remove(field);
        if let Err(e) = serde_json::from_value::<T>(Value::Object(less)) {
            if e.to_string().starts_with("missing field") {
                needed.insert(field.clone());
            }
        }
    }
    let required: BTreeSet<String> = def["required"]
        .as_array()
        .unwrap_or_else(|| panic!("{pointer}: required"))
        .iter()
        .map(|v| v.as_str().unwrap_or_else(|| panic!("{pointer}: required holds {v}")).to_owned())
        .collect();
    assert_eq!(required, needed, "{pointer}: required against the fields serde needs");

    // And serde refuses what the schema refuses: a field it does not know.
    let mut more = written;
    more.insert("colour".into(), json!("teal"));
    assert!(serde_json::from_value::<T>(Value::Object(more)).is_err(), "{pointer}: unknown fields are accepted");
}

#[test]
fn assessment_schema_matches_the_types() {
    let s = schema("assessment.schema.json");
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let a = populated();
    check_type(&s, "", &a);
    check_type(&s, "/$defs/FrameworkRef", &a.framework);
    check_type(&s, "/$defs/Round", &a.rounds[0]);
    check_type(&s, "/$defs/Respondent", &a.respondents[0]);
    check_type(&s, "/$defs/Rating", &a.ratings[0]);
    check_type(&s, "/$defs/Tally", &a.tallies[0]);
    check_type(&s, "/$defs/Agreed", &a.agreed[0]);
    check_type(&s, "/$defs/Target", &a.targets[0]);
    check_type(&s, "/$defs/Note", &a.notes[0]);
    check_type(&s, "/$defs/Action", &a.actions[0]);
    // Every object type of the schema is one of the above.
    let objects: BTreeSet<&str> = s["$defs"]
        .as_object()
        .map(|defs| defs.iter().filter(|(_, d)| d["type"] == "object").map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    let checked = ["FrameworkRef", "Round", "Respondent", "Rating", "Tally", "Agreed", "Target", "Note", "Action"];
    assert_eq!(objects, checked.into_iter().collect());
}

#[test]
fn framework_schema_matches_the_types() {
    let s = schema("framework.schema.json");
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let fw = Framework::cascade();
    check_type(&s, "", &fw);
    check_type::<Level>(&s, "/$defs/Level", &fw.levels[0]);
    check_type::<Domain>(&s, "/$defs/Domain", &fw.domains[0]);
    let objects: BTreeSet<&str> = s["$defs"]
        .as_object()
        .map(|defs| defs.iter().filter(|(_, d)| d["type"] == "object").map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(objects, ["Domain", "Level"].into_iter().collect());
}

#[test]
fn the_group_enum_is_every_group() {
    let s = schema("assessment.schema.json");
    let ids: Vec<Value> = Group::ALL.iter().map(|g| json!(g.as_str())).collect();
    assert_eq!(s["$defs"]["Group"]["enum"], Value::Array(ids));
    for g in Group::ALL {
        assert_eq!(serde_json::to_value(g).ok(), Some(json!(g.as_str())));
    }
}

#[test]
fn the_date_pattern_is_the_one_the_validator_knows() {
    let s = schema("assessment.schema.json");
    assert_eq!(s["$defs"]["Date"]["pattern"], DATE);
    assert_eq!(s["$defs"]["Date"]["type"], "string");
    for field in ["/$defs/Round/properties/date", "/$defs/Action/properties/due"] {
        assert_eq!(
            s.pointer(field).and_then(|d| d.get("anyOf")),
            Some(&json!([{"$ref": "#/$defs/Date"}, {"type": "null"}])),
            "{field}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The example document.

fn example_text() -> String {
    repo_file("tests/fixtures/example-assessment.json")
}

#[test]
fn the_example_reads_and_validates() {
    let fw = Framework::cascade();
    let a = Assessment::from_json(&example_text()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.validate(&fw), Ok(()));
    assert_eq!(a.area, "Example Vale");
    let rounds: Vec<&str> = a.rounds.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rounds, ["baseline", "followup"]);
    assert!(a.rounds.iter().all(|r| r.date.is_some()));
    let groups: BTreeSet<Group> = a.respondents.iter().map(|r| r.group).collect();
    assert!(groups.len() >= 4, "{groups:?}");
    assert!(a.ratings.iter().any(|r| r.respondent.is_none()), "an anonymous rating");
    assert!(a.ratings.iter().any(|r| r.score == Score::Unsure), "an unsure rating");
    assert_eq!(a.tallies.len(), 1);
    assert!(!a.agreed.is_empty() && !a.notes.is_empty());
    assert_eq!(a.targets.len(), fw.domains.len());
    assert!(a.actions.iter().any(|x| !x.owner.is_empty() && x.due.is_some()));

    // It scores: both rounds have headlines in every domain, and the follow-up is compared.
    let summary = a.summary(&fw).unwrap_or_else(|e| panic!("{e}"));
    assert!(summary.rounds.iter().all(|r| r.coverage == fw.domains.len() && r.overall.is_some()));
    let change = a.compare(&fw, "baseline", "followup").unwrap_or_else(|e| panic!("{e}"));
    assert!(change.domains.iter().all(|d| d.paired.n > 0));
    assert!(change.overall.delta.is_some_and(|d| d > 0.0));
}

#[test]
fn the_example_matches_the_schema() {
    let s = schema("assessment.schema.json");
    let doc: Value = serde_json::from_str(&example_text()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(validate(&s, &doc), Vec::<String>::new());
    // As this crate writes it, too.
    let a = Assessment::from_json(&example_text()).unwrap_or_else(|e| panic!("{e}"));
    let written: Value = serde_json::from_str(&a.to_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(validate(&s, &written), Vec::<String>::new());
    // A minimal document too.
    let new = serde_json::to_value(Assessment::new("Vale", &Framework::cascade())).unwrap_or_default();
    assert_eq!(validate(&s, &new), Vec::<String>::new());
    let bare = json!({"schema_version": 1, "framework": {"id": "cascade", "version": "1"}, "area": "Vale",
        "rounds": [{"id": "b", "label": "B"}], "ratings": [{"round": "b", "domain": "clarity", "level": "unsure"}]});
    assert_eq!(validate(&s, &bare), Vec::<String>::new());
    assert!(Assessment::from_json(&bare.to_string()).is_ok());
}

#[test]
fn the_builtin_framework_matches_the_schema() {
    let s = schema("framework.schema.json");
    let fw = serde_json::to_value(Framework::cascade()).unwrap_or_default();
    assert_eq!(validate(&s, &fw), Vec::<String>::new());
    let mut bad = fw.clone();
    bad["domains"][2]["id"] = json!("Unsure");
    assert_eq!(validate(&s, &bad), ["/domains/2/id: matches a schema it must not"]);
    let mut bad = fw;
    bad["levels"] = json!([{"label": "Only"}]);
    assert_eq!(validate(&s, &bad), ["/levels: 1 items, fewer than 2"]);
}

/// Documents the schema refuses, and serde or `validate` refuse as well.
#[test]
fn the_schema_refuses_what_the_crate_refuses() {
    let s = schema("assessment.schema.json");
    let doc: Value = serde_json::from_str(&example_text()).unwrap_or_else(|e| panic!("{e}"));
    let fw = Framework::cascade();
    let cases: [(&str, Value, &str); 10] = [
        ("/schema_version", json!(2), "/schema_version: not the constant 1"),
        ("/colour", json!("teal"), ": property colour is not allowed"),
        ("/ratings/0/level", json!(11), "/ratings/0/level: matches 0 of the 2 schemas of oneOf"),
        ("/ratings/0/level", json!("Unsure"), "/ratings/0/level: matches 0 of the 2 schemas of oneOf"),
        ("/ratings/0/level", json!(2.5), "/ratings/0/level: matches 0 of the 2 schemas of oneOf"),
        ("/ratings/0/respondent", json!(" "), "/ratings/0/respondent: \" \" does not match \\S"),
        ("/ratings/0/group", json!("teacher"), "/ratings/0/group: \"teacher\" is not in the enum"),
        ("/rounds/0/date", json!("14/03/2026"), "/rounds/0/date: matches none of anyOf"),
        ("/actions/0/due", json!("2026-13-01"), "/actions/0/due: matches none of anyOf"),
        ("/agreed/0/level", json!(0), "/agreed/0/level: 0 is below the minimum 1"),
    ];
    for (pointer, value, message) in cases {
        let mut bad = doc.clone();
        set(&mut bad, pointer, value.clone());
        assert_eq!(validate(&s, &bad), [message], "{pointer} = {value}");
        let crate_refuses = match Assessment::from_json(&bad.to_string()) {
            Err(_) => true,
            Ok(a) => a.validate(&fw).is_err(),
        };
        assert!(crate_refuses, "{pointer} = {value}: the crate accepts what the schema refuses");
    }
    // The one thing both accept that looks odd: a whole number written as a float.
    let mut float = doc.clone();
    set(&mut float, "/ratings/0/level", json!(3.0));
    assert_eq!(validate(&s, &float), Vec::<String>::new());
    assert!(Assessment::from_json(&float.to_string()).is_ok());
    // And a missing required field.
    let mut less = doc;
    if let Some(r) = less.pointer_mut("/ratings/0").and_then(Value::as_object_mut) {
        r.remove("domain");
    }
    assert_eq!(validate(&s, &less), ["/ratings/0: property domain is missing"]);
    assert!(Assessment::from_json(&less.to_string()).is_err());
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(key.to_owned(), value);
        }
        Some(Value::Array(a)) => {
            let i: usize = key.parse().unwrap_or_else(|e| panic!("{pointer}: {e}"));
            a[i] = value;
        }
        _ => panic!("{pointer}: no parent"),
    }
}

// ---------------------------------------------------------------------------------------------
// A validator for exactly the keywords the two schemas use. A keyword it does not know fails
// the test, so the schemas cannot grow a rule that goes unchecked here.

const DATE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
const ID: &str = "^[^,\\s](?:[^,]*[^,\\s])?$";
const UNSURE: &str = "^[Uu][Nn][Ss][Uu][Rr][Ee]$";

/// The patterns the schemas use, by hand: ECMA-262's `\s` is Unicode white space, as Rust's.
fn matches(pattern: &str, s: &str) -> bool {
    match pattern {
        "\\S" => s.chars().any(|c| !c.is_whitespace()),
        ID => !s.is_empty() && !s.contains(',') && s.trim() == s,
        UNSURE => s.eq_ignore_ascii_case("unsure"),
        DATE => {
            let b = s.as_bytes();
            let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
            b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit())
                && (1..=12).contains(&two(5))
                && (1..=31).contains(&two(8))
        }
        other => panic!("the test validator does not know the pattern {other:?}"),
    }
}

fn validate(schema: &Value, doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, doc, "", &mut errors);
    errors
}

fn type_ok(name: &str, v: &Value) -> bool {
    match name {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        // 2020-12: any number with a zero fractional part.
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else { panic!("{at}: a schema must be an object") };
    let fail = |errors: &mut Vec<String>, m: String| errors.push(format!("{at}: {m}"));
    for (keyword, arg) in s {
        match keyword.as_str() {
            "$schema"
            | "title"
            | "description"
            | "default"
            | "format"
            | "$defs"
            | "required"
            | "properties"
            | "additionalProperties" => {}
            "$ref" => {
                let target = arg.as_str().and_then(|r| r.strip_prefix('#')).unwrap_or_else(|| panic!("$ref {arg}"));
                let target = root.pointer(target).unwrap_or_else(|| panic!("$ref {arg} leads nowhere"));
                let mut inner = Vec::new();
                check(root, target, v, at, &mut inner);
                errors.extend(inner);
            }
            "type" => {
                let ok = match arg {
                    Value::String(t) => type_ok(t, v),
                    Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap_or_default(), v)),
                    _ => panic!("type {arg}"),
                };
                if !ok {
                    fail(errors, format!("{v} is not of type {arg}"));
                }
            }
            "const" => {
                let same = match (arg.as_f64(), v.as_f64()) {
                    (Some(a), Some(b)) => a == b,
                    _ => arg == v,
                };
                if !same {
                    fail(errors, format!("not the constant {arg}"));
                }
            }
            "enum" => {
                if !arg.as_array().is_some_and(|a| a.contains(v)) {
                    fail(errors, format!("{v} is not in the enum"));
                }
            }
            "pattern" => {
                if let Some(text) = v.as_str() {
                    let p = arg.as_str().unwrap_or_default();
                    if !matches(p, text) {
                        fail(errors, format!("{v} does not match {p}"));
                    }
                }
            }
            "minimum" | "maximum" => {
                if let (Some(x), Some(limit)) = (v.as_f64(), arg.as_f64()) {
                    if keyword == "minimum" && x < limit {
                        fail(errors, format!("{v} is below the minimum {arg}"));
                    }
                    if keyword == "maximum" && x > limit {
                        fail(errors, format!("{v} is above the maximum {arg}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(a), Some(limit)) = (v.as_array(), arg.as_u64()) {
                    let len = a.len() as u64;
                    if keyword == "minItems" && len < limit {
                        fail(errors, format!("{len} items, fewer than {limit}"));
                    }
                    if keyword == "maxItems" && len > limit {
                        fail(errors, format!("{len} items, more than {limit}"));
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, item) in a.iter().enumerate() {
                        check(root, arg, item, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "oneOf" | "anyOf" => {
                let options = arg.as_array().unwrap_or_else(|| panic!("{keyword} {arg}"));
                let passing = options
                    .iter()
                    .filter(|o| {
                        let mut inner = Vec::new();
                        check(root, o, v, at, &mut inner);
                        inner.is_empty()
                    })
                    .count();
                if keyword == "oneOf" && passing != 1 {
                    errors.push(format!("{at}: matches {passing} of the {} schemas of oneOf", options.len()));
                }
                if keyword == "anyOf" && passing == 0 {
                    errors.push(format!("{at}: matches none of anyOf"));
                }
            }
            "not" => {
                let mut inner = Vec::new();
                check(root, arg, v, at, &mut inner);
                if inner.is_empty() {
                    errors.push(format!("{at}: matches a schema it must not"));
                }
            }
            other => panic!("the test validator does not know the keyword {other:?}"),
        }
    }
    let Some(obj) = v.as_object() else { return };
    let properties = s.get("properties").and_then(Value::as_object);
    if let Some(required) = s.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                errors.push(format!("{at}: property {name} is missing"));
            }
        }
    }
    for (name, value) in obj {
        match properties.and_then(|p| p.get(name)) {
            Some(p) => check(root, p, value, &format!("{at}/{name}"), errors),
            None => match s.get("additionalProperties") {
                Some(Value::Bool(false)) => errors.push(format!("{at}: property {name} is not allowed")),
                None | Some(Value::Bool(true)) => {}
                Some(other) => panic!("additionalProperties {other}"),
            },
        }
    }
}

#[test]
fn the_test_validator_works() {
    let s = json!({"type": "object", "additionalProperties": false, "required": ["a"],
        "properties": {"a": {"description": "x", "type": "integer", "minimum": 1, "maximum": 3}}});
    assert_eq!(validate(&s, &json!({"a": 2})), Vec::<String>::new());
    assert_eq!(validate(&s, &json!({"a": 4})), ["/a: 4 is above the maximum 3"]);
    assert_eq!(validate(&s, &json!({"a": 1.5})), ["/a: 1.5 is not of type \"integer\""]);
    assert_eq!(validate(&s, &json!({"b": 1})), [": property a is missing", ": property b is not allowed"]);
    assert_eq!(validate(&s, &json!([])), ["[] is not of type \"object\""].map(|m| format!(": {m}")));
    assert!(matches(DATE, "2026-03-14") && !matches(DATE, "2026-3-14") && !matches(DATE, "2026-03-32"));
    assert!(matches(ID, "clarity") && !matches(ID, " clarity") && !matches(ID, "a,b") && !matches(ID, ""));
    assert!(matches("\\S", " x ") && !matches("\\S", " \u{a0}\t"));
}

#[test]
fn a_framework_ref_is_what_the_schema_says() {
    // FrameworkRef is reachable only through the assessment; check its shape directly too.
    let s = schema("assessment.schema.json");
    let r = FrameworkRef { id: "cascade".into(), version: "1".into() };
    let as_ref = json!({"$ref": "#/$defs/FrameworkRef"});
    let mut errors = Vec::new();
    check(&s, &as_ref, &serde_json::to_value(&r).unwrap_or_default(), "", &mut errors);
    assert_eq!(errors, Vec::<String>::new());
    check(&s, &as_ref, &json!({"id": "cascade"}), "", &mut errors);
    assert_eq!(errors, [": property version is missing"]);
}
