//! The scoring contract's worked example, reproduced exactly through the Rust API.

use cascade_core::{tidy, Framework};
use serde_json::Value;

#[path = "support/contract.rs"]
mod support;

use support::assert_contract;

/// The contract's example files, as the crate carries them (`tests/fixtures/contract/`).
fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/contract/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The crate's copy of the example is the repository's, byte for byte. In the published
/// package, which has no repository around it, there is nothing to compare.
#[test]
fn the_crates_copy_of_the_example_is_the_repositorys() {
    let root = env!("CARGO_MANIFEST_DIR");
    let repo = format!("{root}/../../tests/fixtures");
    if !std::path::Path::new(&repo).is_dir() {
        eprintln!("{repo} is absent: not in the repository, so no copy to check");
        return;
    }
    let files = ["workshop.csv", "summary.json", "compare.json", "programme.csv", "rollup.json"]
        .map(|f| format!("contract/{f}"))
        .into_iter()
        .chain(["rollup/worked.csv", "rollup/worked.json"].map(String::from));
    for name in files {
        let read = |path: String| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (ours, theirs) = (read(format!("{root}/tests/fixtures/{name}")), read(format!("{repo}/{name}")));
        assert_eq!(ours, theirs, "tests/fixtures/{name} differs from the repository's; copy it again");
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
