//! The scoring contract's worked example, reproduced exactly through the Rust API.

use cascade_core::{tidy, Framework};
use serde_json::Value;

#[path = "../../../tests/support/contract.rs"]
mod support;

use support::assert_contract;

fn fixture(name: &str) -> String {
    let path = support::fixture(env!("CARGO_MANIFEST_DIR"), &format!("contract/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
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
