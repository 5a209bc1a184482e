//! The roll-up across areas, exactly as the scoring contract's last section defines it.

use cascade_core::{tidy, Direction, Framework};
use serde_json::Value;

#[path = "support/contract.rs"]
mod support;

use support::assert_contract;

/// A file under the crate's `tests/fixtures/` (its copy of the contract's examples).
fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn rollup_matches_the_contract_example() {
    let data = tidy::read(fixture("contract/programme.csv").as_bytes(), &Framework::cascade()).unwrap();
    let ours = serde_json::to_value(data.rollup("baseline", "followup").unwrap()).unwrap();
    let theirs: Value = serde_json::from_str(&fixture("contract/rollup.json")).unwrap();
    assert_contract(&ours, &theirs, "rollup");
}

#[test]
fn rollup_matches_the_hand_worked_example() {
    let data = tidy::read(fixture("rollup/worked.csv").as_bytes(), &Framework::cascade()).unwrap();
    let r = data.rollup("baseline", "followup").unwrap();
    let theirs: Value = serde_json::from_str(&fixture("rollup/worked.json")).unwrap();
    assert_contract(&serde_json::to_value(&r).unwrap(), &theirs, "rollup");
    // Brent's people moved but its overall score did not: unchanged, a delta of exactly 0.
    let brent = data.compare("baseline", "followup").unwrap().areas.into_iter().find(|a| a.area == "Brent").unwrap();
    assert_eq!(brent.overall.delta, Some(0.0));
    assert_eq!((r.overall.unchanged, r.overall.min_delta), (1, Some(0.0)));
    assert_eq!(r.lacking_from, ["Dorset"]);
    assert_eq!(r.lacking_to, ["Camden"]);
}

#[test]
fn rollup_agrees_with_the_per_area_comparison() {
    // Every count of the roll-up is a count of the areas' own directions.
    let data = tidy::read(fixture("contract/programme.csv").as_bytes(), &Framework::cascade()).unwrap();
    let cmp = data.compare("baseline", "followup").unwrap();
    let r = data.rollup("baseline", "followup").unwrap();
    assert_eq!(r.areas as usize, cmp.areas.len());
    for (d, dr) in r.domains.iter().enumerate() {
        let count = |dir| cmp.areas.iter().filter(|a| a.domains[d].direction == dir).count() as u64;
        assert_eq!(dr.change.improved, count(Direction::Improved), "{}", dr.domain);
        assert_eq!(dr.change.declined, count(Direction::Declined), "{}", dr.domain);
        assert_eq!(dr.change.unchanged, count(Direction::Unchanged), "{}", dr.domain);
        assert_eq!(dr.change.not_compared, count(Direction::Unknown), "{}", dr.domain);
    }
}

#[test]
fn rollup_of_an_unknown_round_is_refused() {
    let data = tidy::read(fixture("rollup/worked.csv").as_bytes(), &Framework::cascade()).unwrap();
    let err = data.rollup("baseline", "follow-up").unwrap_err();
    assert_eq!(err.to_string(), "no area has a round \"follow-up\"; rounds present: baseline, followup");
}

#[test]
fn rollup_with_no_area_compared_has_nulls_and_p_of_1() {
    let csv = "area,round,respondent,group,domain,level\nVale,baseline,a,,clarity,2\nDale,followup,b,,clarity,3\n";
    let data = tidy::read(csv.as_bytes(), &Framework::cascade()).unwrap();
    let r = data.rollup("baseline", "followup").unwrap();
    let c = &r.domains[0].change;
    assert_eq!((r.areas, c.areas, c.not_compared, c.p_value), (2, 0, 2, 1.0));
    assert_eq!((c.mean_from, c.mean_delta, c.median_delta, c.min_delta), (None, None, None, None));
    assert_eq!(r.domains[0].gap.from.mean, None);
}
