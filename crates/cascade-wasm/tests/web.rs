//! The JS-facing API, run in headless Chromium by wasm-bindgen-test.

#![cfg(target_arch = "wasm32")]

use cascade_wasm::{builtin_framework, parse_framework, Session};
use js_sys::{Array, Reflect, JSON};
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
    let mut s = Session::create("Vale", vec!["Baseline".into(), "Follow-up".into()], JsValue::UNDEFINED).expect("new");
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
    let text = s.to_json().expect("json");
    let back = Session::from_json(&text, JsValue::UNDEFINED).expect("reads back");
    assert_eq!(back.to_csv(), s.to_csv());
    assert!(s.to_csv().starts_with("area,round,respondent,group,domain,level\nExample Vale,baseline,ana,education,clarity,2\n"));

    let newer = text.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    let err = Session::from_json(&newer, JsValue::UNDEFINED).map_err(JsValue::from).expect_err("refused");
    assert_eq!(message(err), "assessment: schema_version 2 is not supported; this release reads version 1");
    let err = Session::from_csv("area,round\n", JsValue::UNDEFINED).map_err(JsValue::from).expect_err("refused");
    assert_eq!(
        message(err),
        "line 1: missing column \"respondent\"; the header must be area,round,respondent,group,domain,level, in any order"
    );
}

#[wasm_bindgen_test]
fn charts_are_accessible_svg() {
    let s = Session::from_csv(WORKSHOP, JsValue::UNDEFINED).expect("imports");
    for svg in [
        s.radar_svg(vec!["baseline".into(), "followup".into()], true),
        s.change_svg("baseline", "followup").expect("svg"),
        s.distribution_svg("baseline", "clarity").expect("svg"),
        s.group_gap_svg("baseline").expect("svg"),
    ] {
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("role=\"img\""));
        assert!(!svg.contains("style="));
    }
}
