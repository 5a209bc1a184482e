//! The JS-facing API, run in headless Chromium by wasm-bindgen-test.

#![cfg(target_arch = "wasm32")]

use cascade_wasm::convert::{self, to_js};
use cascade_wasm::{builtin_framework, parse_framework, Session};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const WORKSHOP: &str = include_str!("../../../tests/fixtures/contract/workshop.csv");

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, key| match key.parse::<u32>() {
        Ok(i) => Reflect::get_u32(&v, i).unwrap_or(JsValue::UNDEFINED),
        Err(_) => Reflect::get(&v, &key.into()).unwrap_or(JsValue::UNDEFINED),
    })
}

fn edit(json: &str) -> JsValue {
    JSON::parse(json).expect("test edit is JSON")
}

fn strings(items: &[&str]) -> JsValue {
    items.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

fn message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default()
}

#[wasm_bindgen_test]
fn framework_is_a_plain_object() {
    let fw = builtin_framework().expect("framework");
    assert_eq!(get(&fw, "id").as_string().as_deref(), Some("cascade"));
    assert_eq!(Array::from(&get(&fw, "domains")).length(), 7);
    assert_eq!(get(&fw, "domains.3.id").as_string().as_deref(), Some("outcomes"));
    let bad = parse_framework(r#"{"id": "x"}"#).map_err(JsValue::from).expect_err("invalid");
    assert_eq!(message(bad), "framework: missing field `version`");
    let bad = parse_framework("{").map_err(JsValue::from).expect_err("invalid");
    assert!(message(bad).starts_with("framework: not valid JSON: "));
}

#[wasm_bindgen_test]
fn csv_import_reproduces_the_contract() {
    let s = Session::from_csv(WORKSHOP, JsValue::UNDEFINED).expect("imports");
    let summary = s.summary().expect("summary");
    assert_eq!(get(&summary, "rounds.0.domains.0.median").as_f64(), Some(2.5));
    assert_eq!(get(&summary, "rounds.0.domains.0.sd").as_f64(), Some(1.2909944487358056));
    assert_eq!(get(&summary, "rounds.0.domains.0.split").as_bool(), Some(true));
    assert_eq!(get(&summary, "rounds.0.domains.0.groups.education.mean").as_f64(), Some(7.0 / 3.0));
    assert!(get(&summary, "rounds.0.overall").is_null());
    assert!(get(&summary, "rounds.0.domains.2.mean").is_null());
    let cmp = s.compare("baseline", "followup").expect("compare");
    assert_eq!(get(&cmp, "domains.0.delta").as_f64(), Some(0.5));
    assert_eq!(get(&cmp, "domains.0.direction").as_string().as_deref(), Some("improved"));
    assert_eq!(get(&cmp, "domains.0.paired.p_value").as_f64(), Some(0.5));
    assert_eq!(get(&cmp, "domains.1.paired.declined").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn edits_undo_and_refusals() {
    let mut s = Session::create("Vale", strings(&["Baseline", "Follow-up"]), JsValue::UNDEFINED).expect("new");
    s.apply(edit(r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 3}"#)).expect("ok");
    s.apply(edit(r#"{"op": "add_respondent", "group": "education"}"#)).expect("ok");
    s.apply(edit(r#"{"op": "set_rating", "round": "followup", "respondent": "r1", "domain": "clarity", "level": "unsure"}"#))
        .expect("ok");
    let summary = s.summary().expect("summary");
    assert_eq!(get(&summary, "rounds.0.domains.0.headline").as_f64(), Some(3.0));
    assert_eq!(get(&summary, "rounds.1.domains.0.unsure").as_f64(), Some(1.0));

    let before = s.to_json().expect("json");
    let err = s
        .apply(edit(r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 7}"#))
        .map_err(JsValue::from)
        .expect_err("refused");
    assert_eq!(message(err), "assessment: agreed 1: level 7 is not on the scale 1 to 5");
    let err = s
        .apply(edit(r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 1000}"#))
        .map_err(JsValue::from)
        .expect_err("refused");
    assert_eq!(message(err), "change: level 1000 of set_agreed is not on the scale 1 to 5");
    let err = s.apply(edit(r#"{"op": "paint", "colour": "red"}"#)).map_err(JsValue::from).expect_err("refused");
    assert_eq!(message(err), "change: unknown op \"paint\"");
    let err = s
        .apply(edit(r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 2, "colour": "red"}"#))
        .map_err(JsValue::from)
        .expect_err("refused");
    assert_eq!(message(err), "change: unknown field `colour` for set_agreed; expected round, domain, level");
    let err = s
        .apply(edit(r#"{"op": "set_rating", "round": "baseline", "respondent": "r1", "domain": "clarity", "level": 2.5}"#))
        .map_err(JsValue::from)
        .expect_err("refused");
    assert_eq!(message(err), "change: `level` of set_rating must be a whole number");
    assert_eq!(s.to_json().expect("json"), before, "a refused change changes nothing");

    assert!(s.can_undo());
    assert!(s.undo());
    assert_eq!(get(&s.summary().expect("summary"), "rounds.1.domains.0.unsure").as_f64(), Some(0.0));
    assert!(s.redo());
    assert!(!s.can_redo());
}

#[wasm_bindgen_test]
fn json_round_trip_and_bad_documents() {
    let s = Session::from_csv(WORKSHOP, JsValue::UNDEFINED).expect("imports");
    let text = String::from(s.to_json().expect("json"));
    let back = Session::from_json(&text, JsValue::UNDEFINED).expect("reads back");
    assert_eq!(back.to_csv(), s.to_csv());
    assert!(String::from(s.to_csv()).starts_with("area,round,respondent,group,domain,level\nExample Vale,baseline,ana,education,clarity,2\n"));

    let newer = text.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    let err = Session::from_json(&newer, JsValue::UNDEFINED).map_err(JsValue::from).expect_err("refused");
    assert_eq!(message(err), "assessment: schema_version 2 is not supported; this release reads version 1");
    let err = Session::from_json("null", JsValue::UNDEFINED).map_err(JsValue::from).expect_err("refused");
    assert_eq!(message(err), "assessment: invalid type: null, expected struct Assessment");
    let err = Session::from_json(r#"{"schema_version": 1, "area": "Vale"}"#, JsValue::UNDEFINED)
        .map_err(JsValue::from)
        .expect_err("refused");
    assert_eq!(message(err), "assessment: missing field `framework`");
    let err = Session::from_csv("area,round\n", JsValue::UNDEFINED).map_err(JsValue::from).expect_err("refused");
    assert_eq!(
        message(err),
        "line 1: missing column \"respondent\"; the header must be area,round,respondent,group,domain,level, in any order"
    );
}

#[wasm_bindgen_test]
fn round_labels_must_be_text() {
    let labels: JsValue = [JsValue::from_str("Baseline"), JsValue::from(3)].iter().collect::<Array>().into();
    for bad in [labels, JsValue::from_str("Baseline"), JsValue::UNDEFINED] {
        let err = Session::create("Vale", bad, JsValue::UNDEFINED).map_err(JsValue::from).expect_err("refused");
        assert_eq!(message(err), "array contains a value of the wrong type");
    }
    let s = Session::create("Vale", strings(&[]), JsValue::UNDEFINED).expect("no labels: the default rounds");
    assert_eq!(get(&s.document().expect("doc"), "rounds.1.id").as_string().as_deref(), Some("followup"));
    assert_eq!(String::from(s.radar_svg(strings(&["nope"]), false).expect("svg")).matches("<polygon").count(), 0);
}

#[wasm_bindgen_test]
fn charts_are_accessible_svg() {
    let s = Session::from_csv(WORKSHOP, JsValue::UNDEFINED).expect("imports");
    for svg in [
        s.radar_svg(strings(&["baseline", "followup"]), true).expect("svg"),
        s.change_svg("baseline", "followup").expect("svg"),
        s.distribution_svg("baseline", "clarity").expect("svg"),
        s.group_gap_svg("baseline").expect("svg"),
    ] {
        let svg = String::from(svg);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("role=\"img\""));
        assert!(!svg.contains("style="));
    }
}

// The conversions of `cascade_wasm::convert`, checked against serde_json, which the CLI uses.

const EXAMPLE: &str = include_str!("../../../tests/fixtures/example-assessment.json");

/// A value's JSON text as JS writes it, so numbers print the same whichever side made them.
fn js_json(v: &JsValue) -> String {
    JSON::stringify(v).expect("stringify").into()
}

/// What serde_json writes, as the same JS value would be written.
fn serde_json_text<T: serde::Serialize>(value: &T) -> String {
    js_json(&JSON::parse(&serde_json::to_string(value).expect("serde_json")).expect("parse"))
}

fn example() -> cascade_core::Assessment {
    cascade_core::Assessment::from_json(EXAMPLE).expect("example")
}

#[wasm_bindgen_test]
fn written_shapes_are_serde_json_shapes() {
    let fw = cascade_core::Framework::cascade();
    let mut doc = example();
    // Control characters other than tabs and line breaks are refused in names (ids.rs).
    doc.area = "Vale \"North\" \\ Ynys Môn\n\t\u{1F600} end".into();
    doc.notes[0].text = "line one\nline two \u{2028} \"quoted\" </script>".into();
    doc.rounds[0].date = None;
    let s = cascade_core::Session::new(doc.clone(), &fw).expect("valid");
    let summary = s.summary();
    let cmp = s.compare("baseline", "followup").expect("compare");
    assert_eq!(js_json(&to_js(&summary).expect("summary")), serde_json_text(&summary));
    assert_eq!(js_json(&to_js(&cmp).expect("compare")), serde_json_text(&cmp));
    assert_eq!(js_json(&to_js(&doc).expect("document")), serde_json_text(&doc));
    assert_eq!(js_json(&to_js(&fw).expect("framework")), serde_json_text(&fw));

    // Missing values are null, maps are plain objects, unit variants strings, floats exact.
    let v = to_js(&summary).expect("summary");
    assert_eq!(get(&v, "rounds.0.domains.0.sd").as_f64(), summary.rounds[0].domains[0].sd);
    let mut one = cascade_core::Session::create("Vale", &[] as &[&str], &fw).expect("new");
    one.apply(cascade_core::Edit::SetAgreed { round: "baseline".into(), domain: "clarity".into(), level: Some(3) })
        .expect("agreed");
    let d = get(&to_js(&one.summary()).expect("summary"), "rounds.0.domains.1");
    assert!(get(&d, "mean").is_null() && get(&d, "sd").is_null() && get(&d, "headline").is_null());
    assert_eq!(Object::get_prototype_of(&get(&v, "rounds.0.domains.0.groups")), Object::get_prototype_of(&Object::new()));
    assert_eq!(get(&to_js(&cmp).expect("compare"), "domains.0.direction").as_string().as_deref(), Some("improved"));
    assert!(get(&to_js(&doc).expect("doc"), "rounds.0.date").is_undefined(), "skipped when None");
}

#[wasm_bindgen_test]
fn documents_round_trip() {
    let mut doc = example();
    doc.area = "Ysgol \"Gymraeg\" \\ Aberdâr\r\n\u{7f}\u{1F3EB}".into();
    doc.respondents[0].id = "José \u{301}".into();
    doc.ratings.push(cascade_core::Rating {
        round: "followup".into(),
        respondent: None,
        group: cascade_core::Group::Other,
        domain: "evidence".into(),
        score: cascade_core::Score::Unsure,
    });
    let back = convert::assessment(&to_js(&doc).expect("to js")).expect("reads back");
    assert_eq!(back, doc);
    let text = js_json(&to_js(&doc).expect("to js"));
    assert_eq!(convert::assessment(&JSON::parse(&text).expect("json")).expect("reads"), doc);
    let fw = cascade_core::Framework::cascade();
    assert_eq!(convert::framework(&to_js(&fw).expect("to js")).expect("reads back"), fw);
}

/// serde_json's message without its " at line L column C".
fn serde_json_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> Result<T, String> {
    serde_json::from_str::<T>(text).map_err(|e| {
        let m = e.to_string();
        m.rfind(" at line ").map_or(m.clone(), |i| m[..i].to_owned())
    })
}

#[wasm_bindgen_test]
fn documents_are_read_as_serde_json_reads_them() {
    let doc = |rest: &str| {
        format!(r#"{{"schema_version": 1, "framework": {{"id": "cascade", "version": "1"}}, "area": "Vale", "rounds": [{{"id": "b", "label": "B"}}]{rest}}}"#)
    };
    let cases = [
        EXAMPLE.to_owned(),
        doc(""),
        doc(r#", "colour": "red""#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": 2.5}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": 11}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": -1}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": "sure"}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": true}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": null}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": [3]}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity", "level": "unsure", "respondent": null}]"#),
        doc(r#", "ratings": [{"round": "b", "domain": "clarity"}]"#),
        doc(r#", "ratings": [{"round": "b", "domian": "clarity", "level": 1}]"#),
        doc(r#", "ratings": [{"round": 3, "colour": 1}]"#),
        doc(r#", "ratings": [{"colour": 1, "round": 3}]"#),
        doc(r#", "ratings": [{"level": 3}]"#),
        doc(r#", "ratings": {"round": "b"}"#),
        doc(r#", "ratings": ["b"]"#),
        doc(r#", "ratings": [null]"#),
        doc(r#", "respondents": [{"id": "a", "group": "teacher"}]"#),
        doc(r#", "respondents": [{"id": "a", "group": ""}]"#),
        doc(r#", "respondents": [{"id": "a", "group": "mental-health"}, {"group": "other"}]"#),
        doc(r#", "tallies": [{"round": "b", "domain": "clarity", "counts": [1, 2, -3]}]"#),
        doc(r#", "tallies": [{"round": "b", "domain": "clarity", "counts": [1, 2, 3], "unsure": 4294967296}]"#),
        doc(r#", "tallies": [{"round": "b", "domain": "clarity", "counts": "1,2"}]"#),
        doc(r#", "agreed": [{"round": "b", "domain": "clarity", "level": 256}]"#),
        doc(r#", "agreed": [{"round": "b", "domain": "clarity", "level": "3"}]"#),
        doc(r#", "targets": [{"domain": "clarity", "level": 3, "why": "x"}]"#),
        doc(r#", "notes": [{"domain": "clarity", "text": null}]"#),
        doc(r#", "actions": [{"domain": "clarity", "action": "x", "due": null, "owner": "o"}]"#),
        doc(r#", "actions": [{"domain": "clarity"}]"#),
        r#"{"schema_version": 1, "area": "Vale", "rounds": []}"#.to_owned(),
        r#"{"schema_version": 1, "framework": {"id": "x", "name": "y"}}"#.to_owned(),
        r#"{"schema_version": 1, "framework": "cascade"}"#.to_owned(),
        r#"{"schema_version": 1.5}"#.to_owned(),
        r#"{"schema_version": "1"}"#.to_owned(),
        r#"{"area": "Vale \"quoted\"\n", "schema_version": -2}"#.to_owned(),
        r#""Example Vale""#.to_owned(),
        "null".to_owned(),
        "{}".to_owned(),
    ];
    for text in &cases {
        let ours = convert::assessment(&JSON::parse(text).expect("test JSON")).map_err(|e| e.to_string());
        assert_eq!(ours, serde_json_error::<cascade_core::Assessment>(text), "{text}");
    }
    // Where serde_json says only "expected value", the type is named.
    let text = doc(r#", "respondents": [{"id": "a", "group": 3}]"#);
    let err = convert::assessment(&JSON::parse(&text).expect("test JSON")).expect_err("refused");
    assert_eq!(err.to_string(), "invalid type: integer `3`, expected enum Group");
    // serde_json also takes a struct's fields from an array, by position; the schema does not.
    let err = convert::assessment(&JSON::parse("[1]").expect("test JSON")).expect_err("refused");
    assert_eq!(err.to_string(), "invalid type: sequence, expected struct Assessment");
}

#[wasm_bindgen_test]
fn frameworks_are_read_as_serde_json_reads_them() {
    let fw = serde_json::to_string(&cascade_core::Framework::cascade()).expect("json");
    let cases = [
        fw.clone(),
        fw.replacen(r#""label":"Emerging""#, r#""label":"Emerging","colour":"red""#, 1),
        fw.replacen(r#""label":"Emerging""#, r#""label":2"#, 1),
        fw.replacen(r#""letter":"C","#, "", 1),
        fw.replacen(r#""descriptors":["#, r#""descriptors":[1,"#, 1),
        fw.replacen(r#""levels":["#, r#""levels":[null,"#, 1),
        r#"{"id": "x"}"#.to_owned(),
        r#"{"id": "x", "version": "1", "name": "X", "levels": [], "domains": [], "schema_version": 1}"#.to_owned(),
        r#"{"id": 3}"#.to_owned(),
        "true".to_owned(),
    ];
    for text in &cases {
        let ours = convert::framework(&JSON::parse(text).expect("test JSON")).map_err(|e| e.to_string());
        assert_eq!(ours, serde_json_error::<cascade_core::Framework>(text), "{text}");
    }
}

/// What a page's script might pass by mistake, in any field of a change.
fn hostile_values() -> Vec<JsValue> {
    let mut values: Vec<JsValue> = [
        "null", "-1", "0", "1.5", "256", "9007199254740993", "1e300", r#""""#, r#"" ""#, r#""3""#, r#""unsure""#,
        r#""education""#, "true", "[]", "[1]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "[-1, 2, 3, 4, 5]",
        "[1.5, 2, 3, 4, 5]", r#"["1", 2, 3, 4, 5]"#, "{}", r#"{"level": 3}"#,
    ]
    .iter()
    .map(|json| edit(json))
    .collect();
    values.extend([
        JsValue::UNDEFINED,
        JsValue::from_f64(f64::NAN),
        JsValue::from_f64(f64::INFINITY),
        JsValue::from_f64(f64::NEG_INFINITY),
        JsValue::from_f64(-0.0),
        JsValue::from_str(&"x".repeat(100_000)),
        js_sys::Symbol::for_("cascade").into(),
        js_sys::BigInt::from(3u32).into(),
        js_sys::Function::new_no_args("return 3").into(),
    ]);
    values
}

/// Any value in any field of any change is refused with a message or taken: never a panic,
/// which would stop the module and with it the page's scoring. A refusal changes nothing.
#[wasm_bindgen_test]
fn hostile_values_in_every_field_are_refused_or_taken() {
    const VALID: [&str; 15] = [
        r#"{"op": "set_area", "area": "Dale"}"#,
        r#"{"op": "add_round", "label": "Check-in", "date": "2026-03-01"}"#,
        r#"{"op": "set_round", "id": "followup", "label": "Follow-up", "date": "2026-03-01"}"#,
        r#"{"op": "remove_round", "id": "followup"}"#,
        r#"{"op": "add_respondent", "id": "r9", "group": "education"}"#,
        r#"{"op": "set_respondent", "id": "r1", "group": "mental-health"}"#,
        r#"{"op": "remove_respondent", "id": "r1"}"#,
        r#"{"op": "set_rating", "round": "baseline", "respondent": "r1", "domain": "clarity", "level": 4}"#,
        r#"{"op": "set_tally", "round": "baseline", "domain": "contact", "counts": [1, 2, 3, 0, 1], "unsure": 1}"#,
        r#"{"op": "set_agreed", "round": "baseline", "domain": "clarity", "level": 3}"#,
        r#"{"op": "set_target", "domain": "clarity", "level": 4}"#,
        r#"{"op": "set_note", "domain": "clarity", "text": "Roles unclear"}"#,
        r#"{"op": "add_action", "domain": "clarity", "action": "Map roles", "owner": "Sam", "due": "2026-04-01"}"#,
        r#"{"op": "set_action", "index": 0, "domain": "clarity", "action": "Map roles", "owner": "Sam", "due": "2026-04-01"}"#,
        r#"{"op": "remove_action", "index": 0}"#,
    ];
    let session = || {
        let mut s = Session::create("Vale", strings(&["Baseline", "Follow-up"]), JsValue::UNDEFINED).expect("new");
        s.apply(edit(r#"{"op": "add_respondent", "id": "r1", "group": "education"}"#)).expect("ok");
        s.apply(edit(r#"{"op": "add_action", "domain": "clarity", "action": "Ask", "owner": "", "due": null}"#)).expect("ok");
        s
    };
    let mut s = session();
    let start = s.to_json().expect("json");
    let mut refused = 0;
    let mut tries = 0;
    let mut attempt = |change: &JsValue, what: &str| {
        tries += 1;
        match s.apply(change.clone()) {
            Ok(()) => s = session(),
            Err(e) => {
                refused += 1;
                let m = message(e.into());
                assert!(
                    m.starts_with("change: ") || m.starts_with("assessment: "),
                    "{what}: the message {m:?} does not say what was wrong"
                );
                assert_eq!(s.to_json().expect("json"), start, "{what}: refused, but the document changed");
            }
        }
    };
    for json in VALID {
        let keys: Vec<String> =
            Object::keys(edit(json).unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect();
        for key in &keys {
            for value in hostile_values() {
                let change = edit(json);
                Reflect::set(&change, &key.into(), &value).expect("set");
                attempt(&change, &format!("{json} with {key} = {}", describe(&value)));
            }
            let change = edit(json);
            Reflect::delete_property(change.unchecked_ref::<Object>(), &key.into()).expect("delete");
            attempt(&change, &format!("{json} without {key}"));
        }
    }
    for value in hostile_values() {
        attempt(&value, &format!("the change {}", describe(&value)));
    }
    // Most of those are refused; the rest are changes a person could make.
    assert!(refused * 4 > tries * 3, "{refused} of {tries} refused");
}

fn describe(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        return format!("{:?}", s.chars().take(20).collect::<String>());
    }
    format!("{v:?}")
}

/// A big document's ratings go through JSON text; the value is the one `to_js` would make,
/// with awkward ids, unsure and anonymous ratings and ten-level scores among them.
#[wasm_bindgen_test]
fn big_documents_read_the_same_as_small_ones() {
    let mut csv = String::from("area,round,respondent,group,domain,level\n");
    let domains = ["clarity", "contact", "structures", "outcomes", "learning", "integration", "evidence"];
    for p in 0..60 {
        for (d, domain) in domains.iter().enumerate() {
            let who = match p % 3 {
                0 => format!("p{p}"),
                1 => format!("\"q \"\"{p}\"\" \\ é\""),
                _ => String::new(),
            };
            let level = if (p + d) % 6 == 0 { "unsure".to_owned() } else { ((p + d) % 5 + 1).to_string() };
            csv.push_str(&format!("Vale,baseline,{who},education,{domain},{level}\n"));
        }
    }
    let s = Session::from_csv(&csv, JsValue::UNDEFINED).expect("imports");
    let doc = cascade_core::tidy::read_assessments(csv.as_bytes(), &cascade_core::Framework::cascade()).expect("reads").remove(0);
    assert!(doc.ratings.len() >= 256);
    assert_eq!(js_json(&s.document().expect("document")), js_json(&to_js(&doc).expect("to_js")));
    assert_eq!(js_json(&s.document().expect("document")), serde_json_text(&doc));
    assert_eq!(convert::ratings_json(&doc.ratings[..1]), r#"[{"round":"baseline","respondent":"p0","group":"education","domain":"clarity","level":"unsure"}]"#);
    // The text the page keeps is what the browser would write of document(), to the
    // character (a record written from one must read back as the other); the head has no
    // ratings, and the page's lookups answer from the same ratings.
    let mut s = s;
    s.apply(edit(r#"{"op":"set_note","domain":"clarity","text":"tab\there \"q\" \\ é\nline\u0001"}"#)).expect("a note");
    assert_eq!(String::from(s.document_json().expect("text")), js_json(&s.document().expect("document")));
    let head = s.document_head().expect("head");
    assert_eq!(Array::from(&get(&head, "ratings")).length(), 0);
    assert_eq!(get(&head, "notes.0.domain").as_string().as_deref(), Some("clarity"));
    let levels = s.ratings_of("baseline", strings(&["p0", "nobody", "p3"])).expect("levels");
    assert_eq!(levels.length(), 3 * 7);
    assert_eq!(levels.get(0).as_string().as_deref(), Some("unsure"));
    assert!(levels.get(7).is_null());
    assert_eq!(levels.get(14).as_f64(), Some(4.0));
    let counts: Vec<f64> = s.rating_counts("baseline").iter().map(|n| n.as_f64().unwrap_or(-1.0)).collect();
    assert_eq!(counts, [60.0; 7]);
    assert_eq!(s.rating_counts("nope").iter().map(|n| n.as_f64().unwrap_or(-1.0)).sum::<f64>(), 0.0);
    // Each area as CSV text of its own, for the page's import worker.
    let areas = cascade_wasm::csv_documents(&format!("{csv}Hill,baseline,ana,,clarity,2\n"), JsValue::UNDEFINED).expect("areas");
    assert_eq!(areas.length(), 2);
    assert_eq!(areas.get(1).as_string().as_deref(), Some("area,round,respondent,group,domain,level\nHill,baseline,ana,other,clarity,2\n"));
}
