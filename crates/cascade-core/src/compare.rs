//! Baseline against follow-up: the change per domain, and whether it is more than chance.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dataset::{AreaTally, Dataset, RoundTally};
use crate::error::{Error, ErrorKind};
use crate::quote::Quoted;
use crate::summary::overall;

/// The comparison of two rounds across every area, made by [`Dataset::compare`]; in JSON,
/// what `cascade compare --json` prints.
///
/// This and the other results are `#[non_exhaustive]`: the scoring contract lets fields be
/// added, so they may gain fields in minor releases.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,,clarity,2
/// Vale,followup,ana,,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let change = data.compare("baseline", "followup")?;
/// assert_eq!((change.from.as_str(), change.to.as_str()), ("baseline", "followup"));
/// let clarity = change.area("Vale").and_then(|a| a.domain("clarity")).unwrap();
/// assert_eq!(clarity.delta, Some(2.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The earlier round's id.
    pub from: String,
    /// The later round's id.
    pub to: String,
    /// Every area that has at least one of the two rounds, in order of first appearance.
    pub areas: Vec<AreaComparison>,
}

/// The comparison of one area: an element of [`Comparison::areas`], or what
/// [`Assessment::compare`](crate::Assessment::compare) and
/// [`Session::compare`](crate::Session::compare) give.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,,clarity,2
/// Vale,followup,ana,,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let change = data.compare("baseline", "followup")?;
/// let vale = &change.areas[0];
/// assert_eq!(vale.area, "Vale");
/// assert_eq!(vale.overall.delta, None); // six domains have no headline
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AreaComparison {
    /// The area's name.
    pub area: String,
    /// Every domain of the framework, in framework order.
    pub domains: Vec<DomainComparison>,
    /// The change of the round's overall score.
    pub overall: OverallChange,
}

/// The change of one domain.
///
/// ```
/// use cascade_core::{tidy, Direction, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,,clarity,2
/// Vale,followup,ana,,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let change = data.compare("baseline", "followup")?;
/// let clarity = &change.areas[0].domains[0];
/// assert_eq!((clarity.from.headline, clarity.to.headline), (Some(2.0), Some(4.0)));
/// assert_eq!((clarity.delta, clarity.mean_delta), (Some(2.0), Some(2.0)));
/// assert_eq!(clarity.direction, Direction::Improved);
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DomainComparison {
    /// The domain id.
    pub domain: String,
    /// The earlier round.
    pub from: Point,
    /// The later round.
    pub to: Point,
    /// `to.headline - from.headline`.
    pub delta: Option<f64>,
    /// `to.mean - from.mean`.
    pub mean_delta: Option<f64>,
    /// Which way the headline moved.
    pub direction: Direction,
    /// Respondents who rated the domain in both rounds.
    pub paired: Paired,
    /// The area's target level (an extra field).
    pub target: Option<u8>,
    /// Target minus the later headline (an extra field).
    pub gap: Option<f64>,
}

/// One round's side of a domain comparison.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,,clarity,2
/// Vale,followup,ana,,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let change = data.compare("baseline", "followup")?;
/// let contact = &change.areas[0].domains[1].from;
/// assert_eq!((contact.headline, contact.mean, contact.n), (None, None, 0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Point {
    /// The round's headline.
    pub headline: Option<f64>,
    /// The round's mean.
    pub mean: Option<f64>,
    /// The number of numeric ratings.
    pub n: u64,
}

/// Which way a headline moved. `Display` and [`as_str`](Direction::as_str) give the word the
/// JSON output uses, such as `improved`.
///
/// ```
/// use cascade_core::Direction;
///
/// assert_eq!(Direction::of(Some(0.5)), Direction::Improved);
/// assert_eq!(Direction::of(None).to_string(), "unknown");
/// ```
///
/// More directions may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Direction {
    /// The headline went up.
    Improved,
    /// The headline went down.
    Declined,
    /// The headline stayed the same.
    Unchanged,
    /// A round has no headline.
    Unknown,
}

/// Changes of respondents with an id and a numeric rating in both rounds.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,,clarity,2
/// Vale,followup,ana,,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let change = data.compare("baseline", "followup")?;
/// let paired = change.areas[0].domains[0].paired;
/// assert_eq!((paired.n, paired.improved, paired.unchanged, paired.declined), (1, 1, 0, 0));
/// assert_eq!(paired.p_value, 1.0);
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Paired {
    /// Number of pairs.
    pub n: u64,
    /// Pairs whose rating went up.
    pub improved: u64,
    /// Pairs whose rating stayed the same.
    pub unchanged: u64,
    /// Pairs whose rating went down.
    pub declined: u64,
    /// The exact two-sided sign test over the pairs that changed.
    pub p_value: f64,
}

/// The change of an area's overall score: the mean of its headlines, where every domain
/// has one in both rounds.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,,clarity,2
/// Vale,followup,ana,,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let change = data.compare("baseline", "followup")?;
/// let overall = change.areas[0].overall;
/// assert_eq!((overall.from, overall.to, overall.delta), (None, None, None));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OverallChange {
    /// The earlier round's overall.
    pub from: Option<f64>,
    /// The later round's overall.
    pub to: Option<f64>,
    /// `to - from`.
    pub delta: Option<f64>,
}

impl Comparison {
    /// An area by name.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,,clarity,2
    /// Vale,followup,ana,,clarity,4
    /// ";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let change = data.compare("baseline", "followup")?;
    /// assert!(change.area("Vale").is_some());
    /// assert!(change.area("Wold").is_none());
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area(&self, name: &str) -> Option<&AreaComparison> {
        self.areas.iter().find(|a| a.area == name)
    }
}

impl AreaComparison {
    /// A domain by id.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,,clarity,2
    /// Vale,followup,ana,,clarity,4
    /// ";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let change = data.compare("baseline", "followup")?;
    /// let clarity = change.areas[0].domain("clarity").unwrap();
    /// assert_eq!(clarity.delta, Some(2.0));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn domain(&self, id: &str) -> Option<&DomainComparison> {
        self.domains.iter().find(|d| d.domain == id)
    }
}

impl Direction {
    /// The direction of a change: up, down, none, or unknown where there is no change to
    /// measure.
    ///
    /// ```
    /// use cascade_core::Direction;
    ///
    /// assert_eq!(Direction::of(Some(-1.0)), Direction::Declined);
    /// assert_eq!(Direction::of(Some(0.0)), Direction::Unchanged);
    /// assert_eq!(Direction::of(None), Direction::Unknown);
    /// ```
    #[must_use]
    pub fn of(delta: Option<f64>) -> Direction {
        match delta {
            Some(d) if d > 0.0 => Direction::Improved,
            Some(d) if d < 0.0 => Direction::Declined,
            Some(_) => Direction::Unchanged,
            None => Direction::Unknown,
        }
    }

    /// The word for it in JSON and CSV output: `improved`, `declined`, `unchanged` or `unknown`.
    ///
    /// ```
    /// use cascade_core::Direction;
    ///
    /// assert_eq!(Direction::Improved.as_str(), "improved");
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Declined => "declined",
            Direction::Unchanged => "unchanged",
            Direction::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The exact two-sided sign test: the chance of a split at least this uneven between
/// `improved` and `declined` if both were equally likely.
///
/// With m = improved + declined and k = min(improved, declined),
/// p = min(1, 2 × Σ_{i=0..k} C(m, i) / 2^m), and p = 1 when m = 0.
///
/// ```
/// use cascade_core::sign_test;
///
/// assert_eq!(sign_test(2, 0), 0.5);
/// assert_eq!(sign_test(1, 1), 1.0);
/// assert_eq!(sign_test(0, 0), 1.0);
/// assert_eq!(sign_test(10, 0), 0.001953125);
/// assert_eq!(sign_test(9, 1), 0.021484375);
/// ```
#[must_use]
pub fn sign_test(improved: u64, declined: u64) -> f64 {
    let m = improved + declined;
    let k = improved.min(declined);
    // With k at least half of m - 1, the sum is at least half of 2^m, so p is 1 exactly.
    if m == 0 || 2 * k + 1 >= m {
        return 1.0;
    }
    let p = if m <= 120 {
        // Exact: C(m, 0..=k) from Pascal's triangle, by additions alone (a 128-bit division
        // would bring its 1 KB routine into the WebAssembly module). C(120, 60) < 2^127, and
        // dividing by 2^m is exact in floats. k < m / 2 <= 60 here.
        let mut row = [0u128; 61];
        row[0] = 1;
        let k = k as usize;
        for n in 1..=m as usize {
            for i in (1..=n.min(k)).rev() {
                row[i] += row[i - 1];
            }
        }
        let sum: u128 = row[..=k].iter().sum();
        2.0 * sum as f64 / 2f64.powi(m as i32)
    } else {
        // Large m: add the terms in log space, largest (i = k) first to keep precision.
        let ln_c = |i: u64| ln_factorial(m) - ln_factorial(i) - ln_factorial(m - i);
        let top = ln_c(k);
        let mut sum = 0.0;
        for i in (0..=k).rev() {
            let t = (ln_c(i) - top).exp();
            sum += t;
            if t < 1e-17 * sum {
                break;
            }
        }
        2.0 * (top - m as f64 * std::f64::consts::LN_2 + sum.ln()).exp()
    };
    p.min(1.0)
}

fn ln_factorial(n: u64) -> f64 {
    if n < 256 {
        return (2..=n).map(|i| (i as f64).ln()).sum();
    }
    // Stirling's series, accurate far beyond f64 precision for n >= 256.
    let x = n as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x) - 1.0 / (360.0 * x * x * x)
}

impl Dataset {
    /// Compares round `from` with round `to` in every area that has at least one of them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownRound`] when no area has one of the rounds, which is almost always
    /// a misspelt round id.
    ///
    /// ```
    /// use cascade_core::{tidy, Direction, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,education,clarity,2
    /// Vale,baseline,ben,mental-health,clarity,3
    /// Vale,followup,ana,education,clarity,3
    /// Vale,followup,ben,mental-health,clarity,3
    /// ";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let clarity = &data.compare("baseline", "followup")?.areas[0].domains[0];
    /// assert_eq!(clarity.delta, Some(0.5));
    /// assert_eq!(clarity.direction, Direction::Improved);
    /// assert_eq!((clarity.paired.improved, clarity.paired.unchanged), (1, 1));
    /// assert_eq!(clarity.paired.p_value, 1.0);
    ///
    /// let err = data.compare("baseline", "follow-up").unwrap_err();
    /// assert_eq!(err.to_string(), "no area has a round \"follow-up\"; rounds present: baseline, followup");
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    pub fn compare(&self, from: &str, to: &str) -> Result<Comparison, Error> {
        let areas = self.area_comparisons(from, to)?.collect();
        Ok(Comparison { from: from.to_owned(), to: to.to_owned(), areas })
    }

    /// The comparison one area at a time, for writing a large comparison out without
    /// holding all of it in memory.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,,clarity,2
    /// Vale,followup,ana,,clarity,4
    /// ";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let change = data.compare("baseline", "followup")?;
    /// let areas: Vec<_> = data.area_comparisons("baseline", "followup")?.collect();
    /// assert_eq!(areas, change.areas);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`compare`](Dataset::compare).
    pub fn area_comparisons<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
    ) -> Result<impl Iterator<Item = AreaComparison> + 'a, Error> {
        let present = self.round_ids();
        for round in [from, to] {
            if !present.contains(&round) {
                return Err(Error::new(
                    ErrorKind::UnknownRound,
                    format!("no area has a round {}; rounds present: {}", Quoted(round), crate::quote::joined(present.iter().copied())),
                ));
            }
        }
        Ok(self.areas.iter().filter_map(move |a| self.comparison_of(a, from, to)))
    }

    /// The comparison of one area, by name, or `None` if there is no such area or it has
    /// neither round; for callers that split the work among threads. Round ids are not
    /// checked here, as they are by [`compare`](Dataset::compare).
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,,clarity,2
    /// Vale,followup,ana,,clarity,4
    /// ";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let change = data.compare("baseline", "followup")?;
    /// let vale = data.area_comparison("Vale", "baseline", "followup").unwrap();
    /// assert_eq!(vale, change.areas[0]);
    /// assert!(data.area_comparison("Vale", "x", "y").is_none());
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area_comparison(&self, name: &str, from: &str, to: &str) -> Option<AreaComparison> {
        self.comparison_of(self.area_by_name(name)?, from, to)
    }

    fn comparison_of(&self, a: &AreaTally, from: &str, to: &str) -> Option<AreaComparison> {
        let find = |id: &str| a.rounds.iter().find(|r| r.id == id);
        let (rf, rt) = (find(from), find(to));
        if rf.is_none() && rt.is_none() {
            return None;
        }
        // Only headline, mean and n of each side: no group breakdowns.
        let points = |r: Option<&RoundTally>| -> Vec<Point> {
            (0..self.framework.domains.len())
                .map(|d| match r {
                    Some(r) => {
                        let s = self.domain_stats(r, d);
                        Point { headline: s.headline, mean: s.stats.map(|s| s.mean), n: s.stats.map_or(0, |s| s.n) }
                    }
                    None => Point { headline: None, mean: None, n: 0 },
                })
                .collect()
        };
        let (sf, st) = (points(rf), points(rt));
        let domains = (0..self.framework.domains.len())
            .map(|d| {
                let (pf, pt) = (sf[d], st[d]);
                let delta = diff(pt.headline, pf.headline);
                let target = a.targets[d];
                DomainComparison {
                    domain: self.framework.domains[d].id.clone(),
                    from: pf,
                    to: pt,
                    delta,
                    mean_delta: diff(pt.mean, pf.mean),
                    direction: Direction::of(delta),
                    paired: paired(a, rf, rt, d, self.framework.domains.len()),
                    target,
                    gap: diff(target.map(f64::from), pt.headline),
                }
            })
            .collect();
        let overall = |p: &[Point]| overall(&p.iter().map(|p| p.headline).collect::<Vec<_>>());
        let (of, ot) = (overall(&sf), overall(&st));
        Some(AreaComparison {
            area: a.name.clone(),
            domains,
            overall: OverallChange { from: of, to: ot, delta: diff(ot, of) },
        })
    }

}

fn paired(area: &AreaTally, from: Option<&RoundTally>, to: Option<&RoundTally>, d: usize, domains: usize) -> Paired {
        let (mut improved, mut unchanged, mut declined) = (0, 0, 0);
        if let (Some(f), Some(t)) = (from, to) {
            for who in 0..area.respondent_count() {
                if let (Some(a), Some(b)) = (f.level_of(who, d, domains), t.level_of(who, d, domains)) {
                    match b.cmp(&a) {
                        std::cmp::Ordering::Greater => improved += 1,
                        std::cmp::Ordering::Equal => unchanged += 1,
                        std::cmp::Ordering::Less => declined += 1,
                    }
                }
            }
        }
        Paired {
            n: improved + unchanged + declined,
            improved,
            unchanged,
            declined,
            p_value: sign_test(improved, declined),
        }
}

fn diff(to: Option<f64>, from: Option<f64>) -> Option<f64> {
    Some(to? - from?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sum by the contract's formula, in exact rationals for small m.
    fn reference(improved: u64, declined: u64) -> f64 {
        let m = improved + declined;
        if m == 0 {
            return 1.0;
        }
        let k = improved.min(declined);
        let mut c = vec![vec![0u128; (m + 1) as usize]; (m + 1) as usize];
        for i in 0..=m as usize {
            c[i][0] = 1;
            for j in 1..=i {
                c[i][j] = c[i - 1][j - 1] + if j < i { c[i - 1][j] } else { 0 };
            }
        }
        let sum: u128 = (0..=k as usize).map(|i| c[m as usize][i]).sum();
        (2.0 * sum as f64 / 2f64.powi(m as i32)).min(1.0)
    }

    #[test]
    fn sign_test_matches_the_formula() {
        for i in 0..40 {
            for d in 0..40 {
                assert_eq!(sign_test(i, d), reference(i, d), "{i} {d}");
            }
        }
        assert_eq!(sign_test(3, 3), 1.0);
        assert_eq!(sign_test(5, 0), 0.0625);
        assert_eq!(sign_test(0, 6), 0.03125);
    }

    #[test]
    fn sign_test_large_samples_stay_sane() {
        // Symmetric: p = 1 (up to rounding of the log-space sum).
        assert!((sign_test(500, 500) - 1.0).abs() < 1e-9);
        // Near the exact boundary both methods agree.
        let exact = sign_test(60, 66);
        let approx = sign_test(61, 66);
        assert!(exact > 0.5 && approx > 0.5 && (exact - approx).abs() < 0.1);
        let tiny = sign_test(10_000, 100);
        assert!((0.0..1e-300).contains(&tiny));
        assert!(sign_test(1_000_000, 999_000) > 0.0);
    }
}
