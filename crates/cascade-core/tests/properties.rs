//! Properties of the scoring, the documents and the tidy CSV reader, checked on generated
//! input: each is a statement of the scoring contract (`tests/fixtures/contract/scoring.md`)
//! that a wrong number, a lost rating or a wrong line would break.
//!
//! Case counts are kept moderate so the file runs in a few seconds in a debug build.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read};

use cascade_core::{
    Action, Agreed, Assessment, Dataset, Direction, Domain, ErrorKind, Framework, Group, Level, Note, Rating, Respondent,
    Round, Score, Session, Tally, Target, sign_test, tidy,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

const CASCADE: [&str; 7] = ["clarity", "contact", "structures", "outcomes", "learning", "integration", "evidence"];

#[path = "support/cases.rs"]
mod cases;

use cases::{config, doc_from_json, doc_to_json};

fn group() -> impl Strategy<Value = Group> {
    select(Group::ALL.to_vec())
}

/// A valid framework with three domains and a scale of `scale` levels.
fn framework(scale: u8) -> Framework {
    let fw = Framework {
        id: format!("scale-{scale}"),
        version: "1".into(),
        name: format!("{scale} levels"),
        levels: (1..=scale).map(|l| Level { label: format!("Level {l}") }).collect(),
        domains: ["talk", "plan", "learn"]
            .iter()
            .map(|id| Domain {
                id: (*id).into(),
                letter: id[..1].to_uppercase(),
                title: format!("Domain {id}"),
                description: format!("About {id}."),
                descriptors: (1..=scale).map(|l| format!("{id} at level {l}")).collect(),
            })
            .collect(),
    };
    assert_eq!(fw.validate(), Ok(()));
    fw
}

/// Feeds a reader's bytes out a few at a time, so records straddle every buffer boundary.
/// The first read hands over the whole first line, as a line-buffered pipe would; see
/// `separator_does_not_depend_on_how_the_input_arrives` for why.
struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl<'a> Chunked<'a> {
    fn new(data: &'a [u8], sizes: &[usize]) -> Chunked<'a> {
        let sizes = if sizes.is_empty() { vec![1] } else { sizes.iter().map(|&s| s.max(1)).collect() };
        Chunked { data, sizes, next: 0 }
    }
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let first_line = self.data.iter().position(|&b| b == b'\n').map_or(self.data.len(), |i| i + 1);
        let size = if self.next == 0 { first_line } else { self.sizes[self.next % self.sizes.len()] };
        let n = size.min(buf.len()).min(self.data.len());
        self.next += 1;
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

// =============================================================================================
// Statistics of one domain, for any counts per level.

#[derive(Debug, Clone)]
struct StatsCase {
    scale: u8,
    /// (domain, group, votes per level, unsure votes), at most one per domain and group.
    tallies: Vec<(usize, Group, Vec<u32>, u32)>,
    /// Anonymous ratings: (domain, group, level or unsure).
    ratings: Vec<(usize, Group, Option<u8>)>,
    agreed: Vec<Option<u8>>,
    targets: Vec<Option<u8>>,
}

fn stats_case() -> impl Strategy<Value = StatsCase> {
    (2u8..=10).prop_flat_map(|scale| {
        let count = prop_oneof![4 => Just(0u32), 6 => 0u32..5, 1 => 0u32..40];
        let tally = (0usize..3, group(), vec(count, usize::from(scale)), prop_oneof![Just(0u32), 0u32..4]);
        let rating = (0usize..3, group(), prop::option::weighted(0.85, 1..=scale));
        let level = prop::option::weighted(0.3, 1..=scale);
        (Just(scale), vec(tally, 0..7), vec(rating, 0..25), vec(level.clone(), 3), vec(level, 3)).prop_map(
            |(scale, mut tallies, ratings, agreed, targets)| {
                let mut seen = HashSet::new();
                tallies.retain(|t| seen.insert((t.0, t.1)));
                StatsCase { scale, tallies, ratings, agreed, targets }
            },
        )
    })
}

/// The contract's statistics, computed the obvious way from a list of ratings.
#[derive(Debug)]
struct Reference {
    n: u64,
    counts: Vec<u64>,
    mean: f64,
    median: f64,
    min: u8,
    max: u8,
    sd: Option<f64>,
    within: u64,
}

fn reference(levels: &[u8], scale: u8) -> Option<Reference> {
    if levels.is_empty() {
        return None;
    }
    let mut sorted = levels.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let mut counts = vec![0u64; usize::from(scale)];
    for &l in &sorted {
        counts[usize::from(l) - 1] += 1;
    }
    let sum: u64 = sorted.iter().map(|&l| u64::from(l)).sum();
    let mean = sum as f64 / n as f64;
    let median = if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    };
    let sd = (n >= 2).then(|| {
        let ss: f64 = sorted.iter().map(|&l| (f64::from(l) - mean).powi(2)).sum();
        (ss / (n - 1) as f64).sqrt()
    });
    let within = sorted.iter().filter(|&&l| (f64::from(l) - median).abs() <= 1.0).count() as u64;
    Some(Reference { n: n as u64, counts, mean, median, min: sorted[0], max: sorted[n - 1], sd, within })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn statistics_of_any_counts(case in stats_case()) {
        let fw = framework(case.scale);
        let mut a = Assessment::new("Vale", &fw);
        a.rounds.truncate(1);
        // What went in, per domain: numeric levels with their groups, and unsure votes.
        let mut levels: Vec<Vec<(Group, u8)>> = vec![Vec::new(); 3];
        let mut unsure = [0u64; 3];
        for (d, g, counts, u) in &case.tallies {
            a.tallies.push(Tally {
                round: "baseline".into(),
                domain: fw.domains[*d].id.clone(),
                group: *g,
                counts: counts.clone(),
                unsure: *u,
            });
            unsure[*d] += u64::from(*u);
            for (i, &c) in counts.iter().enumerate() {
                levels[*d].extend(std::iter::repeat_n((*g, i as u8 + 1), c as usize));
            }
        }
        for (d, g, l) in &case.ratings {
            a.ratings.push(Rating {
                round: "baseline".into(),
                respondent: None,
                group: *g,
                domain: fw.domains[*d].id.clone(),
                score: l.map_or(Score::Unsure, Score::Level),
            });
            match l {
                Some(l) => levels[*d].push((*g, *l)),
                None => unsure[*d] += 1,
            }
        }
        for d in 0..3 {
            if let Some(level) = case.agreed[d] {
                a.agreed.push(Agreed { round: "baseline".into(), domain: fw.domains[d].id.clone(), level });
            }
            if let Some(level) = case.targets[d] {
                a.targets.push(Target { domain: fw.domains[d].id.clone(), level });
            }
        }
        let summary = a.summary(&fw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(summary.rounds.len(), 1);
        let round = &summary.rounds[0];
        prop_assert_eq!(round.domains.len(), 3);

        for (d, s) in round.domains.iter().enumerate() {
            prop_assert_eq!(&s.domain, &fw.domains[d].id);
            let all: Vec<u8> = levels[d].iter().map(|&(_, l)| l).collect();
            prop_assert_eq!(s.unsure, unsure[d]);
            prop_assert_eq!(s.counts.len(), usize::from(case.scale));
            prop_assert_eq!(s.counts.iter().sum::<u64>(), s.n);
            prop_assert_eq!(s.n + s.unsure, all.len() as u64 + unsure[d], "n + unsure is every rating fed in");
            prop_assert!(!s.split || s.n >= 3, "split with n = {}", s.n);
            prop_assert_eq!(s.sd.is_none(), s.n < 2);
            prop_assert_eq!(s.groups.values().map(|g| g.n).sum::<u64>(), s.n, "group n's sum to n");
            let agreed = case.agreed[d];
            prop_assert_eq!(s.agreed, agreed);
            prop_assert_eq!(s.target, case.targets[d]);
            match reference(&all, case.scale) {
                None => {
                    prop_assert_eq!(s.n, 0);
                    prop_assert!(s.counts.iter().all(|&c| c == 0));
                    prop_assert_eq!((s.mean, s.median, s.min, s.max, s.sd, s.agreement), (None, None, None, None, None, None));
                    prop_assert!(!s.split);
                    prop_assert!(s.groups.is_empty());
                    prop_assert_eq!(s.headline, agreed.map(f64::from));
                }
                Some(r) => {
                    let (mean, median) = (s.mean.unwrap_or(f64::NAN), s.median.unwrap_or(f64::NAN));
                    let (min, max) = (f64::from(s.min.unwrap_or(0)), f64::from(s.max.unwrap_or(0)));
                    prop_assert!(min <= median && median <= max, "min {} median {} max {}", min, median, max);
                    prop_assert!(min <= mean && mean <= max, "min {} mean {} max {}", min, mean, max);
                    let agreement = s.agreement.unwrap_or(f64::NAN);
                    prop_assert!((0.0..=1.0).contains(&agreement), "agreement {}", agreement);

                    prop_assert_eq!(s.n, r.n);
                    prop_assert_eq!(&s.counts, &r.counts);
                    prop_assert_eq!(s.mean, Some(r.mean));
                    prop_assert_eq!(s.median, Some(r.median));
                    prop_assert_eq!((s.min, s.max), (Some(r.min), Some(r.max)));
                    match (s.sd, r.sd) {
                        (Some(a), Some(b)) => prop_assert!(close(a, b), "sd {} against {}", a, b),
                        (a, b) => prop_assert_eq!(a, b),
                    }
                    prop_assert_eq!(s.agreement, Some(r.within as f64 / r.n as f64));
                    prop_assert_eq!(s.split, r.n >= 3 && 3 * r.within < 2 * r.n);
                    prop_assert_eq!(s.headline, Some(agreed.map_or(r.median, f64::from)));
                }
            }
            prop_assert_eq!(s.gap, s.target.zip(s.headline).map(|(t, h)| f64::from(t) - h));
            // Per group: only groups with numeric ratings, each with its own statistics.
            let mut by_group: BTreeMap<Group, Vec<u8>> = BTreeMap::new();
            for &(g, l) in &levels[d] {
                by_group.entry(g).or_default().push(l);
            }
            prop_assert_eq!(s.groups.keys().collect::<Vec<_>>(), by_group.keys().copied().collect::<Vec<_>>());
            for (g, ls) in &by_group {
                let r = reference(ls, case.scale).ok_or_else(|| TestCaseError::fail("empty group"))?;
                let got = &s.groups[g];
                prop_assert_eq!((got.n, got.mean, got.median), (r.n, r.mean, r.median), "group {}", g);
            }
        }
        let headlines: Vec<f64> = round.domains.iter().filter_map(|d| d.headline).collect();
        prop_assert_eq!(round.coverage, headlines.len());
        let overall = (headlines.len() == 3).then(|| headlines.iter().sum::<f64>() / 3.0);
        prop_assert_eq!(round.overall, overall);
    }
}

// =============================================================================================
// Tidy CSV in, summary and comparison out.

const AREAS: [&str; 3] = ["Example Vale", "Vale, North", "Old \"Town\""];
const ROUNDS: [&str; 3] = ["baseline", "followup", "workshop-3"];

#[derive(Debug, Clone)]
struct Row {
    area: usize,
    round: usize,
    who: Option<usize>,
    group: Group,
    domain: usize,
    score: Score,
}

fn score(scale: u8) -> impl Strategy<Value = Score> {
    prop::option::weighted(0.9, 1..=scale).prop_map(|l| l.map_or(Score::Unsure, Score::Level))
}

/// Rows of up to three areas and rounds, no respondent rating a domain twice in a round.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    let row = (0usize..3, 0usize..3, prop::option::weighted(0.8, 0usize..6), group(), 0usize..7, score(5))
        .prop_map(|(area, round, who, group, domain, score)| Row { area, round, who, group, domain, score });
    vec(row, 1..90).prop_map(|mut rows| {
        let mut seen = HashSet::new();
        rows.retain(|r| r.who.is_none() || seen.insert((r.area, r.round, r.who, r.domain)));
        // One person speaks for one group: the group of their first row.
        let mut groups: HashMap<(usize, usize), Group> = HashMap::new();
        for r in &mut rows {
            if let Some(w) = r.who {
                r.group = *groups.entry((r.area, w)).or_insert(r.group);
            }
        }
        rows
    })
}

/// A field as a spreadsheet might write it: quoted when it must be, and sometimes when not.
fn field(value: &str, quote: bool) -> String {
    if quote || value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The rows as a tidy CSV file with the columns in the order `perm` gives.
fn csv_of(rows: &[Row], perm: &[usize]) -> String {
    let mut out = String::new();
    let line = |out: &mut String, values: [&str; 6]| {
        let fields: Vec<String> = perm.iter().map(|&c| field(values[c], false)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    };
    line(&mut out, tidy::COLUMNS);
    for r in rows {
        let who = r.who.map(|w| format!("person {w}")).unwrap_or_default();
        let level = r.score.to_string();
        line(&mut out, [AREAS[r.area], ROUNDS[r.round], &who, r.group.as_str(), CASCADE[r.domain], &level]);
    }
    out
}

fn perm() -> impl Strategy<Value = Vec<usize>> {
    Just((0..6).collect::<Vec<usize>>()).prop_shuffle()
}

/// Items in order of first appearance.
fn first_appearance<T: PartialEq + Copy>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn read(csv: &str) -> Result<Dataset, TestCaseError> {
    tidy::read(csv.as_bytes(), &Framework::cascade()).map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))
}

/// Every comparison between two of the three rounds, and the summary, as text to compare.
fn scores(data: &Dataset) -> String {
    let mut out = format!("{:?}\n", data.summary());
    for from in ROUNDS {
        for to in ROUNDS {
            out += &format!("{:?}\n", data.compare(from, to).ok());
        }
    }
    out
}

proptest! {
    #![proptest_config(config(96))]

    /// Making respondent x of an area respondent y is reading the file with y written for x
    /// there; when it is refused (they rated one domain in one round, or are in two groups),
    /// nothing changes.
    #[test]
    fn renaming_a_respondent_is_writing_the_other_id(rows in rows(), area in 0usize..3, x in 0usize..6, y in 0usize..6) {
        let mut data = read(&csv_of(&rows, &[0, 1, 2, 3, 4, 5]))?;
        let before = scores(&data);
        let ids_before: Vec<String> = data.area_respondent_ids(AREAS[area]).unwrap_or_default().into_iter().map(str::to_owned).collect();
        let theirs = |w: usize| rows.iter().filter(move |r| r.area == area && r.who == Some(w));
        let clash = theirs(x).any(|a| theirs(y).any(|b| a.round == b.round && a.domain == b.domain))
            || theirs(x).next().zip(theirs(y).next()).is_some_and(|(a, b)| a.group != b.group);
        let result = data.rename_respondent(AREAS[area], &format!("person {x}"), &format!("person {y}"));
        if clash && x != y {
            let e = result.unwrap_err();
            prop_assert!(matches!(e.kind(), ErrorKind::DuplicateRating | ErrorKind::GroupMismatch), "{e}");
            prop_assert_eq!(scores(&data), before);
            let ids: Vec<String> = data.area_respondent_ids(AREAS[area]).unwrap_or_default().into_iter().map(str::to_owned).collect();
            prop_assert_eq!(ids, ids_before);
        } else {
            prop_assert!(result.is_ok(), "{:?}", result);
            let mut renamed = rows.clone();
            for r in renamed.iter_mut().filter(|r| r.area == area && r.who == Some(x)) {
                r.who = Some(y);
            }
            let expected = read(&csv_of(&renamed, &[0, 1, 2, 3, 4, 5]))?;
            prop_assert_eq!(scores(&data), scores(&expected));
            let mut ids = data.area_respondent_ids(AREAS[area]).unwrap_or_default();
            let mut want = expected.area_respondent_ids(AREAS[area]).unwrap_or_default();
            ids.sort_unstable();
            want.sort_unstable();
            prop_assert_eq!(ids, want);
        }
    }
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn every_row_is_counted_once(rows in rows(), perm in perm(), chunks in vec(1usize..9, 1..6)) {
        let csv = csv_of(&rows, &perm);
        let data = read(&csv)?;
        prop_assert_eq!(data.rating_count(), rows.len() as u64);
        let summary = data.summary();
        // The same file read a few bytes at a time.
        let chunked = tidy::read(Chunked::new(csv.as_bytes(), &chunks), &Framework::cascade())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&chunked.summary(), &summary);

        let areas = first_appearance(rows.iter().map(|r| r.area));
        prop_assert_eq!(
            summary.areas.iter().map(|a| a.area.as_str()).collect::<Vec<_>>(),
            areas.iter().map(|&a| AREAS[a]).collect::<Vec<_>>()
        );
        for (area, s) in areas.iter().zip(&summary.areas) {
            let rounds = first_appearance(rows.iter().filter(|r| r.area == *area).map(|r| r.round));
            prop_assert_eq!(
                s.rounds.iter().map(|r| r.round.as_str()).collect::<Vec<_>>(),
                rounds.iter().map(|&r| ROUNDS[r]).collect::<Vec<_>>()
            );
            for (round, rs) in rounds.iter().zip(&s.rounds) {
                prop_assert_eq!(rs.domains.len(), 7);
                for (d, ds) in rs.domains.iter().enumerate() {
                    let fed: Vec<&Row> =
                        rows.iter().filter(|r| r.area == *area && r.round == *round && r.domain == d).collect();
                    prop_assert_eq!(&ds.domain, CASCADE[d]);
                    prop_assert_eq!(ds.n + ds.unsure, fed.len() as u64, "{} {} {}", AREAS[*area], ROUNDS[*round], CASCADE[d]);
                    prop_assert_eq!(ds.unsure, fed.iter().filter(|r| r.score == Score::Unsure).count() as u64);
                    for level in 1..=5u8 {
                        let want = fed.iter().filter(|r| r.score == Score::Level(level)).count() as u64;
                        prop_assert_eq!(ds.counts[usize::from(level) - 1], want);
                    }
                    prop_assert_eq!(ds.groups.values().map(|g| g.n).sum::<u64>(), ds.n);
                    let groups: HashSet<Group> =
                        fed.iter().filter(|r| r.score != Score::Unsure).map(|r| r.group).collect();
                    prop_assert_eq!(ds.groups.keys().collect::<HashSet<_>>(), groups);
                }
            }
        }
    }

    #[test]
    fn comparing_the_other_way_negates(rows in rows(), from in 0usize..3, to in 0usize..3) {
        let data = read(&csv_of(&rows, &[0, 1, 2, 3, 4, 5]))?;
        let present = data.round_ids().iter().map(|r| (*r).to_owned()).collect::<Vec<_>>();
        let (from, to) = (&present[from % present.len()], &present[to % present.len()]);
        let ab = data.compare(from, to).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ba = data.compare(to, from).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(ab.areas.len(), ba.areas.len());
        let summary = data.summary();
        for (x, y) in ab.areas.iter().zip(&ba.areas) {
            prop_assert_eq!(&x.area, &y.area);
            prop_assert_eq!(x.domains.len(), 7);
            let area = AREAS.iter().position(|a| *a == x.area).ok_or_else(|| TestCaseError::fail("area"))?;
            let rounds = &summary.areas.iter().find(|a| a.area == x.area).ok_or_else(|| TestCaseError::fail("area"))?.rounds;
            let side = |id: &str| rounds.iter().find(|r| r.round == id);
            prop_assert!(side(from).is_some() || side(to).is_some(), "an area with neither round is listed");
            for (d, (p, q)) in x.domains.iter().zip(&y.domains).enumerate() {
                prop_assert_eq!(p.delta, q.delta.map(|v| -v));
                prop_assert_eq!(p.mean_delta, q.mean_delta.map(|v| -v));
                prop_assert_eq!(p.from, q.to);
                prop_assert_eq!(p.to, q.from);
                let flipped = match q.direction {
                    Direction::Improved => Direction::Declined,
                    Direction::Declined => Direction::Improved,
                    other => other,
                };
                prop_assert_eq!(p.direction, flipped);
                prop_assert_eq!(p.direction, Direction::of(p.delta));
                prop_assert_eq!((p.paired.n, p.paired.unchanged), (q.paired.n, q.paired.unchanged));
                prop_assert_eq!((p.paired.improved, p.paired.declined), (q.paired.declined, q.paired.improved));
                prop_assert_eq!(p.paired.p_value, q.paired.p_value);
                prop_assert_eq!(p.paired.n, p.paired.improved + p.paired.unchanged + p.paired.declined);
                prop_assert_eq!(p.paired.p_value, sign_test(p.paired.improved, p.paired.declined));

                // Each side is that round's summary, or nothing.
                for (point, id) in [(&p.from, from), (&p.to, to)] {
                    match side(id) {
                        Some(r) => {
                            let s = &r.domains[d];
                            prop_assert_eq!((point.headline, point.mean, point.n), (s.headline, s.mean, s.n));
                        }
                        None => prop_assert_eq!((point.headline, point.mean, point.n), (None, None, 0)),
                    }
                }
                let delta = match (p.to.headline, p.from.headline) {
                    (Some(t), Some(f)) => Some(t - f),
                    _ => None,
                };
                prop_assert_eq!(p.delta, delta);

                // Pairs, by respondent, over numeric ratings in both rounds.
                let level = |round: &str, who: usize| {
                    rows.iter()
                        .find(|r| r.area == area && ROUNDS[r.round] == round && r.who == Some(who) && r.domain == d)
                        .and_then(|r| r.score.level())
                };
                let (mut up, mut same, mut down) = (0, 0, 0);
                for who in 0..6 {
                    if let (Some(a), Some(b)) = (level(from, who), level(to, who)) {
                        match b.cmp(&a) {
                            std::cmp::Ordering::Greater => up += 1,
                            std::cmp::Ordering::Equal => same += 1,
                            std::cmp::Ordering::Less => down += 1,
                        }
                    }
                }
                prop_assert_eq!((p.paired.improved, p.paired.unchanged, p.paired.declined), (up, same, down));
                if from == to {
                    prop_assert_eq!((up, down), (0, 0));
                    prop_assert!(matches!(p.direction, Direction::Unchanged | Direction::Unknown));
                }
            }
            prop_assert_eq!(x.overall.from, y.overall.to);
            prop_assert_eq!(x.overall.to, y.overall.from);
            prop_assert_eq!(x.overall.delta, y.overall.delta.map(|v| -v));
        }
    }
}

// =============================================================================================
// The sign test.

/// The contract's formula in log space with exactly summed logarithms.
fn sign_reference(improved: u64, declined: u64) -> f64 {
    let m = improved + declined;
    if m == 0 {
        return 1.0;
    }
    let k = improved.min(declined);
    let mut ln_fact = vec![0.0f64; m as usize + 1];
    for i in 1..=m as usize {
        ln_fact[i] = ln_fact[i - 1] + (i as f64).ln();
    }
    let ln_c = |i: u64| ln_fact[m as usize] - ln_fact[i as usize] - ln_fact[(m - i) as usize];
    let top = ln_c(k);
    let sum: f64 = (0..=k).map(|i| (ln_c(i) - top).exp()).sum();
    (2.0 * (top + sum.ln() - m as f64 * std::f64::consts::LN_2).exp()).min(1.0)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn sign_test_is_a_probability(i in 0u64..500, d in 0u64..500) {
        let p = sign_test(i, d);
        prop_assert!(p > 0.0 && p <= 1.0, "sign_test({}, {}) = {}", i, d, p);
        prop_assert_eq!(p, sign_test(d, i));
        let r = sign_reference(i, d);
        prop_assert!((p - r).abs() <= 1e-9 * r, "sign_test({}, {}) = {}, formula gives {}", i, d, p, r);
        // One more change the same way can only make the split less likely by chance.
        if i >= d {
            prop_assert!(sign_test(i + 1, d) <= p, "sign_test({}, {}) > sign_test({}, {})", i + 1, d, i, d);
        }
    }

    #[test]
    fn sign_test_of_an_even_split_is_one(k in 0u64..60) {
        prop_assert_eq!(sign_test(k, k), 1.0);
        // With one more either way, the exact sum is 2^(m-1): p is exactly 1 too.
        prop_assert_eq!(sign_test(k + 1, k), 1.0);
        prop_assert_eq!(sign_test(k, k + 1), 1.0);
    }
}

#[test]
fn sign_test_of_an_even_split_is_one_for_large_samples() {
    // The contract: p = min(1, 2 * sum_{i<=k} C(2k, i) / 2^(2k)), and that sum exceeds 2^(2k-1),
    // so p = 1 exactly, as the exact branch gives for k <= 60.
    for k in [61, 100, 500, 5_000] {
        assert_eq!(sign_test(k, k), 1.0, "sign_test({k}, {k})");
        assert_eq!(sign_test(k + 1, k), 1.0, "sign_test({}, {k})", k + 1);
    }
}

// =============================================================================================
// Assessment documents: generated valid documents survive JSON.

fn nonblank() -> impl Strategy<Value = String> {
    // Any text, with at least one letter so that it is never blank.
    ("\\PC{0,6}", "[A-Za-zé0-9—]", "\\PC{0,6}").prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

/// Text fit for an id or area name: not blank, no spaces round it, within the id rules.
fn id_text() -> impl Strategy<Value = String> {
    nonblank().prop_map(|s| s.trim().to_owned()).prop_filter("the id rules", |s| cascade_core::ids::check_id(s).is_ok())
}

/// A round's label: any text within the rules for names.
fn label() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("the name rules", |s| cascade_core::ids::check_name(s, cascade_core::ids::MAX_NAME_CHARS).is_ok())
}

fn date() -> impl Strategy<Value = String> {
    (1900u32..2100, 1u32..=12, 0u32..31).prop_map(|(y, m, d)| {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 31,
        };
        format!("{y:04}-{m:02}-{:02}", d % days + 1)
    })
}

#[derive(Debug, Clone)]
struct DocParts {
    area: String,
    rounds: Vec<(String, String, Option<String>)>,
    respondents: Vec<(String, Group)>,
    /// (round, respondent: index into respondents or free text, group, domain, score)
    ratings: Vec<(usize, Option<usize>, Group, usize, Score)>,
    tallies: Vec<(usize, usize, Group, Vec<u32>, u32)>,
    agreed: Vec<(usize, usize, u8)>,
    targets: Vec<(usize, u8)>,
    notes: Vec<(usize, String)>,
    actions: Vec<(usize, String, String, Option<String>)>,
}

fn doc_parts() -> impl Strategy<Value = DocParts> {
    (
        id_text(),
        vec((id_text(), label(), prop::option::of(date())), 1..4),
        vec((id_text(), group()), 0..6),
        vec((0usize..4, prop::option::of(0usize..6), group(), 0usize..7, score(5)), 0..30),
        vec((0usize..4, 0usize..7, group(), vec(0..=cascade_core::MAX_VOTES, 5), 0..=cascade_core::MAX_VOTES), 0..3),
        vec((0usize..4, 0usize..7, 1u8..=5), 0..8),
        vec((0usize..7, 1u8..=5), 0..8),
        vec((0usize..7, any::<String>()), 0..3),
        vec((0usize..7, nonblank(), any::<String>(), prop::option::of(date())), 0..4),
    )
        .prop_map(|(area, rounds, respondents, ratings, tallies, agreed, targets, notes, actions)| DocParts {
            area,
            rounds,
            respondents,
            ratings,
            tallies,
            agreed,
            targets,
            notes,
            actions,
        })
}

/// A valid document from the parts: references resolved, duplicates dropped.
fn document(p: &DocParts) -> Assessment {
    let fw = Framework::cascade();
    let mut a = Assessment::new(&p.area, &fw);
    a.rounds.clear();
    for (id, label, date) in &p.rounds {
        if !a.rounds.iter().any(|r| &r.id == id) {
            a.rounds.push(Round { id: id.clone(), label: label.clone(), date: date.clone() });
        }
    }
    let round = |i: usize| a.rounds[i % a.rounds.len()].id.clone();
    for (id, group) in &p.respondents {
        if !a.respondents.iter().any(|r| &r.id == id) {
            a.respondents.push(Respondent { id: id.clone(), group: *group });
        }
    }
    let mut seen = HashSet::new();
    for &(r, who, group, d, score) in &p.ratings {
        let respondent = who.map(|w| match a.respondents.get(w) {
            Some(r) => r.id.clone(),
            None => format!("visitor {w}"),
        });
        // A named rating is in its respondent's group, and its respondent is listed.
        let group = match &respondent {
            None => group,
            Some(id) => match a.respondents.iter().find(|r| &r.id == id) {
                Some(r) => r.group,
                None => {
                    a.respondents.push(Respondent { id: id.clone(), group });
                    group
                }
            },
        };
        if respondent.is_none() || seen.insert((respondent.clone(), round(r), d)) {
            a.ratings.push(Rating { round: round(r), respondent, group, domain: CASCADE[d].into(), score });
        }
    }
    let mut seen = HashSet::new();
    for (r, d, group, counts, unsure) in &p.tallies {
        if seen.insert((round(*r), *d, *group)) {
            a.tallies.push(Tally {
                round: round(*r),
                domain: CASCADE[*d].into(),
                group: *group,
                counts: counts.clone(),
                unsure: *unsure,
            });
        }
    }
    let mut seen = HashSet::new();
    for &(r, d, level) in &p.agreed {
        if seen.insert((round(r), d)) {
            a.agreed.push(Agreed { round: round(r), domain: CASCADE[d].into(), level });
        }
    }
    let mut seen = HashSet::new();
    for &(d, level) in &p.targets {
        if seen.insert(d) {
            a.targets.push(Target { domain: CASCADE[d].into(), level });
        }
    }
    for (d, text) in &p.notes {
        a.notes.push(Note { domain: CASCADE[*d].into(), text: text.clone() });
    }
    for (d, action, owner, due) in &p.actions {
        a.actions.push(Action {
            domain: CASCADE[*d].into(),
            action: action.clone(),
            owner: owner.clone(),
            due: due.clone(),
        });
    }
    a
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn json_round_trip(parts in doc_parts()) {
        let fw = Framework::cascade();
        let a = document(&parts);
        prop_assert_eq!(a.validate(&fw), Ok(()));
        let text = doc_to_json(&a);
        let back = doc_from_json(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(back.validate(&fw), Ok(()));
        // Compact JSON, as the widget's JSON.stringify writes it, reads the same.
        let compact = serde_json::to_string(&a).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&doc_from_json(&compact).map_err(|e| TestCaseError::fail(e.to_string()))?, &a);
        // And a valid document always scores.
        let summary = a.summary(&fw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(summary.rounds.len(), a.rounds.len());
    }
}

// =============================================================================================
// One rule of validity: serde, from_json, validate, Session, Dataset and the CSV readers agree.

/// A change that may break a valid document, picked by number; some leave it valid.
fn damage(a: &mut Assessment, how: usize, pick: usize) {
    let n = a.ratings.len();
    match how {
        // A named rating of someone not among the respondents.
        0 => a.ratings.push(Rating::new(&a.rounds[0].id.clone(), Some("stranger"), Group::Other, "clarity", Score::Level(2))),
        // A named rating in another group than its respondent's.
        1 if n > 0 => {
            let r = &mut a.ratings[pick % n];
            r.group = if r.group == Group::Education { Group::MentalHealth } else { Group::Education };
        }
        // A round the document does not have.
        2 if n > 0 => a.ratings[pick % n].round = "zzz".into(),
        // A domain the framework does not have.
        3 if n > 0 => a.ratings[pick % n].domain = "nope".into(),
        // A level off the five-level scale, and off every scale.
        4 => a.agreed.push(Agreed { round: a.rounds[0].id.clone(), domain: "contact".into(), level: 9 + (pick % 3) as u8 }),
        // The same rating twice.
        5 if n > 0 => {
            let r = a.ratings[pick % n].clone();
            a.ratings.push(r);
        }
        // A tally for another scale.
        6 => a.tallies.push(Tally { round: a.rounds[0].id.clone(), domain: "evidence".into(), group: Group::Commissioner, counts: vec![1; 1 + pick % 12], unsure: 0 }),
        // A date that is no day.
        7 => {
            let i = pick % a.rounds.len();
            a.rounds[i].date = Some("2026-02-30".into());
        }
        // Another framework's document.
        8 => a.framework.version = "2".into(),
        _ => {}
    }
}

/// Kinds that need the framework to find, and so pass serde but not `validate`.
fn needs_framework(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::UnknownDomain | ErrorKind::Level | ErrorKind::Tally | ErrorKind::FrameworkMismatch)
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn every_reader_and_editor_agrees_on_what_is_valid(
        parts in doc_parts(),
        harm in vec((0usize..12, any::<usize>()), 0..3),
    ) {
        let fw = Framework::cascade();
        let mut a = document(&parts);
        for &(how, pick) in &harm {
            damage(&mut a, how, pick);
        }
        let valid = a.validate(&fw);
        // Session and Dataset accept exactly the valid documents, with the same error.
        prop_assert_eq!(Session::new(a.clone(), &fw).err(), valid.clone().err());
        prop_assert_eq!(Dataset::from_assessment(&a, &fw).err(), valid.clone().err());
        // serde reads what validate accepts; what it refuses, validate refuses with the same
        // words; what only the framework can catch, serde lets through.
        let text = doc_to_json(&a);
        match (doc_from_json(&text), &valid) {
            (Ok(back), _) => {
                prop_assert_eq!(&back, &a);
                if let Err(e) = &valid {
                    prop_assert!(needs_framework(e.kind()), "serde read a document validate refuses: {}", e);
                }
            }
            (Err(e), Ok(())) => return Err(TestCaseError::fail(format!("a valid document was refused: {e}"))),
            // The same item named: "assessment: rating 3: ..." (a level's words differ, as serde
            // knows no scale but the largest).
            // validate may meet a rule that needs the framework before the one serde met.
            (Err(_), Err(v)) if needs_framework(v.kind()) => {}
            (Err(e), Err(v)) => {
                let item = |m: String| m.splitn(3, ": ").take(2).collect::<Vec<_>>().join(": ");
                prop_assert_eq!(item(e.to_string()), item(v.to_string()), "{} / {}", e, v);
            }
        }
        // A valid document goes out as tidy CSV and back in as valid documents, by both readers
        // (when its tallies are a room's, not the tens of thousands of rows the limit allows).
        let votes: u64 = a.tallies.iter().flat_map(|t| t.counts.iter().chain([&t.unsure])).map(|&c| u64::from(c)).sum();
        if valid.is_ok() && votes < 1000 {
            let csv = tidy::to_string(std::slice::from_ref(&a));
            let docs = tidy::read_assessments(csv.as_bytes(), &fw).map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))?;
            for d in &docs {
                prop_assert_eq!(d.validate(&fw), Ok(()));
                prop_assert!(Session::new(d.clone(), &fw).is_ok());
            }
            prop_assert!(tidy::read(csv.as_bytes(), &fw).is_ok());
        }
    }

    #[test]
    fn both_csv_readers_refuse_the_same_files(rows in rows(), regroup in vec((0usize..90, group()), 0..3)) {
        // Rows of one person in two groups, sometimes: both readers refuse such a file, alike.
        let mut rows = rows;
        for &(i, g) in &regroup {
            if let Some(r) = rows.get_mut(i) {
                r.group = g;
            }
        }
        let csv = csv_of(&rows, &[0, 1, 2, 3, 4, 5]);
        let fw = Framework::cascade();
        let (data, docs) = (tidy::read(csv.as_bytes(), &fw), tidy::read_assessments(csv.as_bytes(), &fw));
        prop_assert_eq!(data.as_ref().err(), docs.as_ref().err(), "{}", csv);
        if let Err(e) = &data {
            prop_assert_eq!(e.kind(), ErrorKind::GroupMismatch, "{}", e);
        }
        for d in docs.iter().flatten() {
            prop_assert_eq!(d.validate(&fw), Ok(()));
        }
    }
}

// =============================================================================================
// Tidy CSV out and back in.

/// Text that survives CSV: spaces, quotes, commas and line breaks inside, but none around
/// it, since readers trim values as spreadsheets pad them.
fn csv_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9é—\"]([A-Za-z0-9é—\"',; \t\r\n-]{0,5}[A-Za-z0-9é—\"'])?"
}

#[derive(Debug, Clone)]
struct AreaParts {
    area: String,
    rounds: Vec<String>,
    ratings: Vec<(usize, Option<String>, Group, usize, Score)>,
    tallies: Vec<(usize, usize, Group, Vec<u32>, u32)>,
}

fn area_parts() -> impl Strategy<Value = AreaParts> {
    (
        csv_text(),
        vec(csv_text(), 1..4),
        vec((0usize..4, prop::option::weighted(0.8, csv_text()), group(), 0usize..7, score(5)), 1..25),
        vec((0usize..4, 0usize..7, group(), vec(0u32..3, 5), 0u32..3), 0..3),
    )
        .prop_map(|(area, rounds, ratings, tallies)| AreaParts { area, rounds, ratings, tallies })
}

/// A valid document whose rounds are in the order their rows appear in the tidy file, as a
/// reader of that file finds them; no agreed levels or targets, which the format does not hold.
fn csv_document(p: &AreaParts) -> Assessment {
    let fw = Framework::cascade();
    let mut ids: Vec<String> = Vec::new();
    for id in &p.rounds {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    let round = |i: usize| ids[i % ids.len()].clone();
    let mut a = Assessment::new(&p.area, &fw);
    let mut seen = HashSet::new();
    for (r, who, group, d, score) in &p.ratings {
        if who.is_none() || seen.insert((who.clone(), round(*r), *d)) {
            // Respondents in order of first appearance, with the group of their first row.
            let group = match who {
                None => *group,
                Some(id) => match a.respondents.iter().find(|x| &x.id == id) {
                    Some(x) => x.group,
                    None => {
                        a.respondents.push(Respondent { id: id.clone(), group: *group });
                        *group
                    }
                },
            };
            let rating = Rating {
                round: round(*r),
                respondent: who.clone(),
                group,
                domain: CASCADE[*d].into(),
                score: *score,
            };
            a.ratings.push(rating);
        }
    }
    let mut seen = HashSet::new();
    for (r, d, group, counts, unsure) in &p.tallies {
        if seen.insert((round(*r), *d, *group)) {
            a.tallies.push(Tally {
                round: round(*r),
                domain: CASCADE[*d].into(),
                group: *group,
                counts: counts.clone(),
                unsure: *unsure,
            });
        }
    }
    let used = a
        .ratings
        .iter()
        .map(|r| &r.round)
        .chain(a.tallies.iter().filter(|t| t.unsure > 0 || t.counts.iter().any(|&c| c > 0)).map(|t| &t.round));
    a.rounds =
        first_appearance(used).into_iter().map(|id| Round { id: id.clone(), label: id.clone(), date: None }).collect();
    a
}

/// The rows a document becomes: its ratings, then each tally as anonymous votes.
fn rows_of(a: &Assessment) -> Vec<Rating> {
    let mut out = a.ratings.clone();
    for t in &a.tallies {
        let vote = |score| Rating {
            round: t.round.clone(),
            respondent: None,
            group: t.group,
            domain: t.domain.clone(),
            score,
        };
        out.extend(std::iter::repeat_n(vote(Score::Unsure), t.unsure as usize));
        for (i, &c) in t.counts.iter().enumerate() {
            out.extend(std::iter::repeat_n(vote(Score::Level(i as u8 + 1)), c as usize));
        }
    }
    out
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn csv_round_trip(areas in vec(area_parts(), 1..4), chunks in vec(1usize..9, 1..6)) {
        let fw = Framework::cascade();
        let mut docs: Vec<Assessment> = Vec::new();
        for p in &areas {
            if !docs.iter().any(|d| d.area == p.area) {
                docs.push(csv_document(p));
            }
        }
        for d in &docs {
            prop_assert_eq!(d.validate(&fw), Ok(()));
        }
        let csv = tidy::to_string(&docs);
        let back = tidy::read_assessments(csv.as_bytes(), &fw).map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))?;
        prop_assert_eq!(back.len(), docs.len());
        for (b, d) in back.iter().zip(&docs) {
            prop_assert_eq!(&b.area, &d.area);
            prop_assert_eq!(&b.ratings, &rows_of(d));
            let rounds = |a: &Assessment| a.rounds.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
            prop_assert_eq!(rounds(b), rounds(d));
            // Respondents in order of first appearance, with the group of their first row.
            let mut respondents: Vec<(String, Group)> = Vec::new();
            for r in &d.ratings {
                if let Some(id) = &r.respondent {
                    if !respondents.iter().any(|(i, _)| i == id) {
                        respondents.push((id.clone(), r.group));
                    }
                }
            }
            prop_assert_eq!(b.respondents.iter().map(|r| (r.id.clone(), r.group)).collect::<Vec<_>>(), respondents);
            prop_assert_eq!(b.validate(&fw), Ok(()));
        }
        // The counts read from the file are the counts of the documents.
        let mut want = Dataset::new(&fw);
        for d in &docs {
            want.push_assessment(d).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let got = tidy::read(csv.as_bytes(), &fw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(got.rating_count(), want.rating_count());
        prop_assert_eq!(&got.summary(), &want.summary());
        // One document at a time, against Dataset::from_assessment.
        for d in &docs {
            let one = tidy::to_string(std::slice::from_ref(d));
            let got = tidy::read(one.as_bytes(), &fw).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let want = Dataset::from_assessment(d, &fw).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(got.summary(), want.summary());
        }
        // Read in small pieces, the same.
        let chunked = tidy::read_assessments(Chunked::new(csv.as_bytes(), &chunks), &fw)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&chunked, &back);
        // And written again, the same file.
        prop_assert_eq!(tidy::to_string(&back), csv);
    }
}

// =============================================================================================
// No input makes a reader panic.

const HEADER: &str = "area,round,respondent,group,domain,level\n";

fn sample_csv() -> String {
    format!(
        "\u{feff}{HEADER}Example Vale,baseline,ana,education,clarity,2\r\n\"Vale, \"\"North\"\"\",baseline,,,contact,unsure\n\
         \n,,,,,\nVale,followup,\"two\nlines\",mental-health,evidence, 3.0 \n"
    )
}

/// Bytes that matter to a CSV reader.
fn csv_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        select(b",;\t\"\r\n \xEF\xBB\xBF\xFF\xC3\x800123456789.-".to_vec()),
        select(b"areoundspgvlcityu".to_vec()),
        any::<u8>(),
    ]
}

/// A file with edits: (position, byte to insert, or None to delete the byte there).
fn mutated(base: &[u8], edits: &[(usize, Option<u8>)]) -> Vec<u8> {
    let mut out = base.to_vec();
    for &(at, edit) in edits {
        let at = at % (out.len() + 1);
        match edit {
            Some(b) => out.insert(at, b),
            None if at < out.len() => {
                out.remove(at);
            }
            None => {}
        }
    }
    out
}

fn edits() -> impl Strategy<Value = Vec<(usize, Option<u8>)>> {
    vec((any::<usize>(), prop::option::weighted(0.7, csv_byte())), 1..8)
}

/// Reads bytes both ways; they must agree, and neither may panic.
fn read_both(bytes: &[u8], chunks: &[usize]) -> Result<(), TestCaseError> {
    let fw = Framework::cascade();
    let data = tidy::read(bytes, &fw);
    let docs = tidy::read_assessments(bytes, &fw);
    match (&data, &docs) {
        (Ok(data), Ok(docs)) => {
            prop_assert_eq!(data.rating_count(), docs.iter().map(|d| d.ratings.len() as u64).sum::<u64>());
        }
        (Err(a), Err(b)) => prop_assert_eq!(a, b),
        _ => prop_assert!(false, "read and read_assessments disagree: {:?} against {:?}", data.err(), docs.err()),
    }
    let chunked = tidy::read(Chunked::new(bytes, chunks), &fw);
    prop_assert_eq!(chunked.as_ref().err(), data.as_ref().err(), "read a few bytes at a time");
    if let (Ok(a), Ok(b)) = (&chunked, &data) {
        prop_assert_eq!(a.summary(), b.summary());
    }
    // Bytes in memory read exactly as a reader of them.
    let in_memory = tidy::read_bytes(bytes, &fw);
    prop_assert_eq!(in_memory.as_ref().err(), data.as_ref().err(), "read_bytes");
    if let (Ok(a), Ok(b)) = (&in_memory, &data) {
        prop_assert_eq!(a.summary(), b.summary());
    }
    prop_assert_eq!(tidy::read_assessments_bytes(bytes, &fw), docs, "read_assessments_bytes");
    Ok(())
}

fn json_for_fuzzing() -> String {
    let fw = Framework::cascade();
    let mut a = Assessment::new("Example Vale", &fw);
    a.rounds[0].date = Some("2026-01-20".into());
    a.respondents.push(Respondent { id: "ana".into(), group: Group::Education });
    a.ratings.push(Rating {
        round: "baseline".into(),
        respondent: Some("ana".into()),
        group: Group::Education,
        domain: "clarity".into(),
        score: Score::Level(2),
    });
    a.tallies.push(Tally {
        round: "followup".into(),
        domain: "contact".into(),
        group: Group::Other,
        counts: vec![0, 1, 2, 0, 0],
        unsure: 1,
    });
    a.agreed.push(Agreed { round: "baseline".into(), domain: "clarity".into(), level: 2 });
    a.targets.push(Target { domain: "clarity".into(), level: 4 });
    a.actions.push(Action {
        domain: "clarity".into(),
        action: "Meet".into(),
        owner: "Sam".into(),
        due: Some("2026-02-01".into()),
    });
    serde_json::to_string(&a).unwrap_or_default()
}

/// Anything a JSON reader accepts, the rest of the crate must handle without panicking.
fn use_json(text: &str) {
    let fw = Framework::cascade();
    if let Ok(a) = doc_from_json(text) {
        if a.validate(&fw).is_ok() {
            if let Ok(s) = a.summary(&fw) {
                let ids: Vec<String> = s.rounds.iter().map(|r| r.round.clone()).collect();
                for from in &ids {
                    for to in &ids {
                        let _ = a.compare(&fw, from, to);
                    }
                }
            }
            let _ = tidy::to_string(std::slice::from_ref(&a));
        }
    }
    if let Ok(other) = serde_json::from_str::<Framework>(text) {
        let _ = tidy::read(sample_csv().as_bytes(), &other);
    }
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..300), chunks in vec(1usize..9, 1..4)) {
        read_both(&bytes, &chunks)?;
        let text = String::from_utf8_lossy(&bytes);
        use_json(&text);
        let with_header = [HEADER.as_bytes(), &bytes].concat();
        read_both(&with_header, &chunks)?;
    }

    #[test]
    fn damaged_csv_never_panics(edits in edits(), chunks in vec(1usize..9, 1..4)) {
        read_both(&mutated(sample_csv().as_bytes(), &edits), &chunks)?;
    }

    #[test]
    fn damaged_json_never_panics(edits in edits(), text in any::<String>()) {
        let assessment = json_for_fuzzing();
        use_json(&String::from_utf8_lossy(&mutated(assessment.as_bytes(), &edits)));
        let framework = serde_json::to_string(&Framework::cascade()).unwrap_or_default();
        use_json(&String::from_utf8_lossy(&mutated(framework.as_bytes(), &edits)));
        use_json(&text);
    }
}

// =============================================================================================
// One bad line, anywhere, is named exactly.

const MESSY_AREAS: [&str; 6] =
    ["Example Vale", "Vale, North", "Old \"Town\"", "Two\nline Vale", "Two\r\nline Vale", "Café Vale"];
const MESSY_LEVELS: [&str; 9] = ["1", "2", "3", "4", "5", "unsure", "UNSURE", " 3 ", "3.0"];
const MESSY_GROUPS: [&str; 7] =
    ["", "education", "mental-health", "commissioner", "local-authority", "voluntary-sector", "other"];
const BLANKS: [&str; 7] = ["\n", "\r\n", ",,,,,\n", ",,,,,\r\n", "   \n", " , ,,, ,\r\n", "\t\n"];

#[derive(Debug, Clone)]
struct MessyRow {
    area: usize,
    round: usize,
    named: bool,
    group: usize,
    domain: usize,
    level: usize,
    /// Which fields are quoted without need.
    quotes: u8,
    crlf: bool,
    /// Blank lines after the row.
    blanks: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Messy {
    bom: bool,
    leading: Vec<usize>,
    header_crlf: bool,
    perm: Vec<usize>,
    rows: Vec<MessyRow>,
    bad: usize,
    how: u8,
    variant: usize,
}

fn messy() -> impl Strategy<Value = Messy> {
    let row = (
        0usize..6,
        0usize..2,
        any::<bool>(),
        0usize..7,
        0usize..7,
        0usize..9,
        any::<u8>(),
        any::<bool>(),
        vec(0usize..7, 0..3),
    )
        .prop_map(|(area, round, named, group, domain, level, quotes, crlf, blanks)| MessyRow {
            area,
            round,
            named,
            group,
            domain,
            level,
            quotes,
            crlf,
            // Mostly no blank lines after a row.
            blanks: if quotes % 3 == 0 { blanks } else { Vec::new() },
        });
    (
        any::<bool>(),
        vec(0usize..7, 0..3),
        any::<bool>(),
        perm(),
        vec(row, 1..12),
        any::<usize>(),
        0u8..9,
        any::<usize>(),
    )
        .prop_map(|(bom, leading, header_crlf, perm, rows, bad, how, variant)| {
            let bad = bad % rows.len();
            Messy { bom, leading, header_crlf, perm, rows, bad, how, variant }
        })
}

/// The file, the line its bad row starts on (0 when `corrupt` is false), and the fault made.
fn messy_file(m: &Messy, corrupt: bool) -> (Vec<u8>, u64, String) {
    let mut out: Vec<u8> = Vec::new();
    if m.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    for &b in &m.leading {
        // Not "\t\n": see `separator_of_a_header_after_blank_lines`.
        out.extend_from_slice(BLANKS[b % 6].as_bytes());
    }
    let header: Vec<&str> = m.perm.iter().map(|&c| tidy::COLUMNS[c]).collect();
    out.extend_from_slice(header.join(",").as_bytes());
    out.extend_from_slice(if m.header_crlf { b"\r\n" } else { b"\n" });
    let mut line = 0;
    let mut kind = String::from("none");
    for (i, r) in m.rows.iter().enumerate() {
        let who = if r.named { format!("r{i}") } else { String::new() };
        let mut values: Vec<Vec<u8>> = vec![
            MESSY_AREAS[r.area].into(),
            ROUNDS[r.round].into(),
            who.into(),
            MESSY_GROUPS[r.group].into(),
            CASCADE[r.domain].into(),
            MESSY_LEVELS[r.level].into(),
        ];
        let mut extra: Option<Vec<u8>> = None;
        let mut drop = false;
        if corrupt && i == m.bad {
            line = 1 + out.iter().filter(|&&b| b == b'\n').count() as u64;
            let v = m.variant;
            // A duplicate needs an earlier named row; otherwise the domain is misspelt.
            let earlier = m.rows[..i].iter().enumerate().rev().find(|(_, r)| r.named).map(|(j, _)| j);
            let how = if m.how == 7 && earlier.is_none() { 0 } else { m.how };
            kind = format!("{how}");
            match how {
                0 => values[4] = ["clarty", "claritys", "unsure", "c"][v % 4].into(),
                1 => values[5] = ["6", "0", "2.5", "x", "", "-1", "10", "3,5"][v % 8].into(),
                2 => values[3] = ["teacher", "parent", "health"][v % 3].into(),
                3 => values[0] = ["", "   "][v % 2].into(),
                4 => values[1] = ["", " \t "][v % 2].into(),
                5 => extra = Some(["x", "2", " y "][v % 3].into()),
                6 => drop = true,
                7 => {
                    let j = earlier.unwrap_or(0);
                    let e = &m.rows[j];
                    values[0] = MESSY_AREAS[e.area].into();
                    values[1] = ROUNDS[e.round].into();
                    values[2] = format!("r{j}").into();
                    values[4] = CASCADE[e.domain].into();
                }
                _ => values[[0, 1, 2][v % 3]] = b"Caf\xe9".to_vec(),
            }
        }
        let mut fields: Vec<Vec<u8>> = m
            .perm
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let v = &values[c];
                let special = v.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
                if special || r.quotes & (1 << k) != 0 {
                    let mut q = vec![b'"'];
                    for &b in v {
                        if b == b'"' {
                            q.push(b'"');
                        }
                        q.push(b);
                    }
                    q.push(b'"');
                    q
                } else {
                    v.clone()
                }
            })
            .collect();
        if drop {
            fields.pop();
        }
        if let Some(e) = extra {
            fields.push(e);
        }
        out.extend_from_slice(&fields.join(&b","[..]));
        out.extend_from_slice(if r.crlf { b"\r\n" } else { b"\n" });
        for &b in &r.blanks {
            out.extend_from_slice(BLANKS[b].as_bytes());
        }
    }
    (out, line, kind)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn one_bad_line_is_named(m in messy(), chunks in vec(1usize..9, 1..4)) {
        let fw = Framework::cascade();
        // Without the fault the file reads, every row counted.
        let (clean, _, _) = messy_file(&m, false);
        let data = tidy::read(&clean[..], &fw)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&clean))))?;
        prop_assert_eq!(data.rating_count(), m.rows.len() as u64);

        let (bytes, line, kind) = messy_file(&m, true);
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        let err = match tidy::read(&bytes[..], &fw) {
            Ok(_) => return Err(TestCaseError::fail(format!("fault {kind} on line {line} read without error:\n{shown}"))),
            Err(e) => e,
        };
        // A fault in a row, not in the header or the reading.
        prop_assert!(!matches!(err.kind(), ErrorKind::Header | ErrorKind::EmptyFile | ErrorKind::Io), "{:?}", err);
        prop_assert_eq!(err.line(), Some(line), "fault {}: {}\n{}", kind, err, shown);
        prop_assert!(err.to_string().starts_with(&format!("line {line}: ")), "{}", err);
        // Every way of reading names the same line with the same words.
        prop_assert_eq!(tidy::read_assessments(&bytes[..], &fw).err(), Some(err.clone()));
        prop_assert_eq!(tidy::read(Chunked::new(&bytes, &chunks), &fw).err(), Some(err));
    }
}

// =============================================================================================
// Cases these properties found, kept as plain tests.

/// A file with old Mac line ends (CR only), as Excel for Mac's "CSV (Macintosh)" saves it.
#[test]
fn cr_only_line_ends_read_like_lf() {
    let fw = Framework::cascade();
    let lf = format!("{HEADER}Vale,baseline,ana,education,clarity,2\nVale,baseline,ben,,clarity,3\n");
    let cr = lf.replace('\n', "\r");
    let want = tidy::read(lf.as_bytes(), &fw).map(|d| d.summary());
    assert_eq!(tidy::read(cr.as_bytes(), &fw).map(|d| d.summary()), want);
    assert_eq!(tidy::read_bytes(cr.as_bytes(), &fw).map(|d| d.summary()), want);
    let bad =
        format!("{HEADER}Vale,baseline,ana,education,clarity,2\rVale,baseline,ben,,clarty,3\r").replace('\n', "\r");
    assert_eq!(tidy::read(bad.as_bytes(), &fw).err().and_then(|e| e.line()), Some(3));
    assert_eq!(tidy::read_bytes(bad.as_bytes(), &fw).err().and_then(|e| e.line()), Some(3));
}

/// The header is the first row that is not blank, and the separator is the header's.
#[test]
fn separator_of_a_header_after_blank_lines() {
    let fw = Framework::cascade();
    let plain = "area;round;respondent;group;domain;level\nVale;baseline;ana;education;clarity;2\n";
    let want = tidy::read(plain.as_bytes(), &fw).map(|d| d.summary());
    assert!(want.is_ok());
    for lead in ["\n", "\r\n", "\n\n", "\u{feff}\n"] {
        let text = format!("{lead}{plain}");
        assert_eq!(tidy::read(text.as_bytes(), &fw).map(|d| d.summary()), want, "{lead:?}");
    }
    // A comma file whose first, blank, line holds a tab is read as tab-separated.
    let commas = format!("\t\n{HEADER}Vale,baseline,ana,education,clarity,2\n");
    assert_eq!(tidy::read(commas.as_bytes(), &fw).map(|d| d.summary()), want);
}

/// Input that arrives a few bytes at a time (a pipe, a decompressor) must read as the same
/// bytes in one piece. The separator is sniffed from the first `fill_buf` only, which may
/// end before the header does.
#[test]
fn separator_does_not_depend_on_how_the_input_arrives() {
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = 3.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let fw = Framework::cascade();
    for text in [
        "area;round;respondent;group;domain;level\nVale;baseline;ana;education;clarity;2\n",
        "area\tround\trespondent\tgroup\tdomain\tlevel\nVale\tbaseline\tana\teducation\tclarity\t2\n",
    ] {
        let whole = tidy::read(text.as_bytes(), &fw).map(|d| d.summary());
        assert!(whole.is_ok(), "{whole:?}");
        assert_eq!(tidy::read(Trickle(text.as_bytes()), &fw).map(|d| d.summary()), whole, "{text:?}");
    }
}

/// Round ids that differ only in surrounding spaces are two rounds to `validate`, but one
/// round to the tidy reader, so `to_string` writes a file that cannot be read back.
#[test]
fn ids_with_surrounding_spaces_are_refused() {
    let fw = Framework::cascade();
    let mut a = Assessment::new("Vale", &fw);
    a.respondents.push(Respondent { id: "ana".into(), group: Group::Education });
    a.rounds[1].id = " baseline".into();
    for round in ["baseline", " baseline"] {
        a.ratings.push(Rating {
            round: round.into(),
            respondent: Some("ana".into()),
            group: Group::Education,
            domain: "clarity".into(),
            score: Score::Level(2),
        });
    }
    // Tidy CSV trims values, so validation refuses what would not come back the same.
    assert_eq!(
        a.validate(&fw).map_err(|e| e.to_string()),
        Err("assessment: round 2: id \" baseline\" has spaces at the start or end".into())
    );
    a.rounds[1].id = "followup".into();
    a.ratings.pop();
    a.ratings[0].respondent = Some("ana ".into());
    assert_eq!(
        a.validate(&fw).map_err(|e| e.to_string()),
        Err("assessment: rating 1: respondent \"ana \" has spaces at the start or end".into())
    );
    a.ratings[0].respondent = Some("ana".into());
    assert_eq!(a.validate(&fw), Ok(()));
    let csv = tidy::to_string(std::slice::from_ref(&a));
    let back = tidy::read_assessments(csv.as_bytes(), &fw).map_err(|e| e.to_string());
    assert_eq!(back.map(|docs| docs[0].ratings.clone()), Ok(a.ratings));
}

/// A tally is refused above MAX_VOTES per level, so counts can never saturate.
#[test]
fn huge_tallies_are_refused_not_clipped() {
    let fw = Framework::cascade();
    let mut a = Assessment::new("Vale", &fw);
    a.tallies.push(Tally {
        round: "baseline".into(),
        domain: "clarity".into(),
        group: Group::Other,
        counts: vec![u32::MAX, 0, 0, 0, 0],
        unsure: 0,
    });
    let err = Dataset::from_assessment(&a, &fw).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(err, Err("assessment: tally 1: 4294967295 votes is more than the limit of 100000".into()));
    a.tallies[0].counts[0] = cascade_core::MAX_VOTES;
    let data = Dataset::from_assessment(&a, &fw).map_err(|e| e.to_string());
    let n = data.map(|d| (d.rating_count(), d.summary().areas[0].rounds[0].domains[0].n));
    assert_eq!(n, Ok((100_000, 100_000)));
}

#[test]
fn chunked_reader_feeds_everything() {
    let mut out = Vec::new();
    let data = b"0123456789abcdef";
    Chunked::new(data, &[3, 1, 5]).read_to_end(&mut out).map_err(|e| e.to_string()).ok();
    assert_eq!(out, data);
}
