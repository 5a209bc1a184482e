//! The scoring contract's worked example, reproduced exactly through the Rust API.

use cascade_core::{tidy, Framework};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/contract/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// JSON equality where `3` and `3.0` are the same number, and extra fields on our side are
/// allowed (the contract welcomes them) but every field of the contract must match.
fn assert_contract(ours: &Value, theirs: &Value, at: &str) {
    match (ours, theirs) {
        (Value::Number(a), Value::Number(b)) => {
            assert_eq!(a.as_f64(), b.as_f64(), "{at}");
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let mine = a.get(k).unwrap_or_else(|| panic!("{at}.{k} is missing"));
                assert_contract(mine, v, &format!("{at}.{k}"));
            }
            if at.ends_with(".groups") {
                let ka: Vec<&String> = a.keys().collect();
                let kb: Vec<&String> = b.keys().collect();
                assert_eq!(ka.len(), kb.len(), "{at}: groups differ");
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_contract(x, y, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(ours, theirs, "{at}"),
    }
}

#[test]
fn summary_matches_the_contract_example() {
    let data = tidy::read(fixture("workshop.csv").as_bytes(), &Framework::cascade()).unwrap();
    let ours = serde_json::to_value(data.summary()).unwrap();
    let theirs: Value = serde_json::from_str(&fixture("summary.json")).unwrap();
    assert_contract(&ours, &theirs, "summary");
}

#[test]
fn compare_matches_the_contract_example() {
    let data = tidy::read(fixture("workshop.csv").as_bytes(), &Framework::cascade()).unwrap();
    let ours = serde_json::to_value(data.compare("baseline", "followup").unwrap()).unwrap();
    let theirs: Value = serde_json::from_str(&fixture("compare.json")).unwrap();
    assert_contract(&ours, &theirs, "compare");
}

#[test]
fn group_keys_follow_the_contract_order() {
    let data = tidy::read(fixture("workshop.csv").as_bytes(), &Framework::cascade()).unwrap();
    let text = serde_json::to_string(&data.summary()).unwrap();
    let followup = &text[text.find("\"followup\"").unwrap()..];
    let groups = &followup[followup.find("\"groups\"").unwrap()..];
    let e = groups.find("\"education\"").unwrap();
    let m = groups.find("\"mental-health\"").unwrap();
    let c = groups.find("\"commissioner\"").unwrap();
    assert!(e < m && m < c, "{groups}");
}
