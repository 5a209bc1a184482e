//! The programme across areas: how many areas improved per domain, and by how much.
//!
//! Computed from each area's comparison, as the scoring contract's "Roll-up across areas"
//! defines it. Headlines are whole or half levels, so every domain change is kept as a whole
//! number of half levels and every overall change as a whole number of `1 / (2 × domains)`:
//! directions, means and medians are then exact, with one rounding at the end.

use serde::{Deserialize, Serialize};

use crate::compare::sign_test;
use crate::dataset::{Dataset, RoundTally};
use crate::error::{Error, ErrorKind};
use crate::quote::Quoted;
use crate::group::Group;

/// The roll-up of two rounds across every area that has at least one of them:
/// `cascade rollup --json`. Made by [`Dataset::rollup`].
///
/// This and its parts are `#[non_exhaustive]`, as the other results are: the contract lets
/// fields be added.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,,,clarity,2
/// Vale,followup,,,clarity,3
/// Dale,baseline,,,clarity,3
/// ";
/// let r = tidy::read(csv.as_bytes(), &Framework::cascade())?.rollup("baseline", "followup")?;
/// assert_eq!((r.from.as_str(), r.to.as_str(), r.areas), ("baseline", "followup", 2));
/// assert_eq!(r.lacking_to, ["Dale"]);
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rollup {
    /// The earlier round's id.
    pub from: String,
    /// The later round's id.
    pub to: String,
    /// How many areas have at least one of the two rounds.
    pub areas: u64,
    /// Every domain of the framework, in framework order.
    pub domains: Vec<DomainRollup>,
    /// The areas' overall scores.
    pub overall: RollupChange,
    /// Areas that have the later round but not the earlier one, in order of first appearance
    /// (an extra field).
    pub lacking_from: Vec<String>,
    /// Areas that have the earlier round but not the later one (an extra field).
    pub lacking_to: Vec<String>,
}

impl Rollup {
    /// A domain by id.
    #[must_use]
    pub fn domain(&self, id: &str) -> Option<&DomainRollup> {
        self.domains.iter().find(|d| d.domain == id)
    }
}

/// The roll-up of one domain.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,,,clarity,2
/// Vale,followup,,,clarity,3
/// Dale,baseline,,,clarity,3
/// ";
/// let r = tidy::read(csv.as_bytes(), &Framework::cascade())?.rollup("baseline", "followup")?;
/// let clarity = r.domain("clarity").unwrap();
/// assert_eq!((clarity.change.areas, clarity.change.improved), (1, 1));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DomainRollup {
    /// The domain id.
    pub domain: String,
    /// The change across areas.
    #[serde(flatten)]
    pub change: RollupChange,
    /// The education and mental-health perception gap in each round.
    pub gap: RollupGaps,
}

/// How a headline (or an overall score) changed across the areas compared.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,,,clarity,2
/// Vale,followup,,,clarity,3
/// Dale,baseline,,,clarity,3
/// ";
/// let r = tidy::read(csv.as_bytes(), &Framework::cascade())?.rollup("baseline", "followup")?;
/// let c = r.domains[0].change;
/// assert_eq!((c.areas, c.not_compared, c.mean_delta), (1, 1, Some(1.0)));
/// assert_eq!(r.overall.areas, 0); // no area has all seven headlines
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RollupChange {
    /// Areas with a change (both rounds have a value).
    pub areas: u64,
    /// Of those, how many went up.
    pub improved: u64,
    /// How many stayed exactly the same.
    pub unchanged: u64,
    /// How many went down.
    pub declined: u64,
    /// The exact two-sided sign test of `improved` against `declined`.
    pub p_value: f64,
    /// Mean of the earlier round's values over the areas compared.
    pub mean_from: Option<f64>,
    /// Mean of the later round's values over the areas compared.
    pub mean_to: Option<f64>,
    /// Mean change.
    pub mean_delta: Option<f64>,
    /// Median change (the mean of the two middle ones for an even count).
    pub median_delta: Option<f64>,
    /// Smallest change.
    pub min_delta: Option<f64>,
    /// Largest change.
    pub max_delta: Option<f64>,
    /// Areas in the roll-up without a change.
    pub not_compared: u64,
}

/// The perception gap of a domain at both rounds.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,,,clarity,2
/// Vale,followup,,,clarity,3
/// Dale,baseline,,,clarity,3
/// ";
/// let r = tidy::read(csv.as_bytes(), &Framework::cascade())?.rollup("baseline", "followup")?;
/// let g = r.domains[0].gap;
/// assert_eq!((g.from.areas, g.from.mean, g.to.mean), (0, None, None)); // no group ratings
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RollupGaps {
    /// At the earlier round.
    pub from: RollupGap,
    /// At the later round.
    pub to: RollupGap,
}

/// Education's mean minus mental health's mean, averaged over areas.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,,,clarity,2
/// Vale,followup,,,clarity,3
/// Dale,baseline,,,clarity,3
/// ";
/// let r = tidy::read(csv.as_bytes(), &Framework::cascade())?.rollup("baseline", "followup")?;
/// assert_eq!(r.domains[0].gap.from.areas, 0);
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RollupGap {
    /// Areas whose round has both an education and a mental-health rating of the domain.
    pub areas: u64,
    /// Mean over those areas of (education mean − mental-health mean); `None` when `areas` is 0.
    pub mean: Option<f64>,
}

/// Changes counted in whole units of `1 / unit`: exact sums, medians and signs.
#[derive(Debug, Default)]
struct Tally {
    /// Per area compared: (earlier, later), in units.
    pairs: Vec<(i64, i64)>,
}

impl Tally {
    fn change(mut self, unit: f64, in_rollup: u64) -> RollupChange {
        let n = self.pairs.len() as u64;
        let (mut improved, mut unchanged, mut declined) = (0, 0, 0);
        let (mut sf, mut st) = (0i128, 0i128);
        for &(f, t) in &self.pairs {
            match t.cmp(&f) {
                std::cmp::Ordering::Greater => improved += 1,
                std::cmp::Ordering::Equal => unchanged += 1,
                std::cmp::Ordering::Less => declined += 1,
            }
            sf += i128::from(f);
            st += i128::from(t);
        }
        let mut deltas: Vec<i64> = self.pairs.drain(..).map(|(f, t)| t - f).collect();
        deltas.sort_unstable();
        let mean = |sum: i128| (n > 0).then(|| sum as f64 / (unit * n as f64));
        let median = match deltas.len() {
            0 => None,
            len if len % 2 == 1 => Some(deltas[len / 2] as f64 / unit),
            len => Some((deltas[len / 2 - 1] + deltas[len / 2]) as f64 / (2.0 * unit)),
        };
        RollupChange {
            areas: n,
            improved,
            unchanged,
            declined,
            p_value: sign_test(improved, declined),
            mean_from: mean(sf),
            mean_to: mean(st),
            mean_delta: mean(st - sf),
            median_delta: median,
            min_delta: deltas.first().map(|&d| d as f64 / unit),
            max_delta: deltas.last().map(|&d| d as f64 / unit),
            not_compared: in_rollup - n,
        }
    }
}

/// Per area gaps, summed with compensation so the order of areas does not move the result.
#[derive(Debug, Default, Clone, Copy)]
struct GapSum {
    areas: u64,
    sum: f64,
    carry: f64,
}

impl GapSum {
    fn add(&mut self, x: f64) {
        // Neumaier's sum: the carry keeps the low bits a plain sum would drop.
        let t = self.sum + x;
        self.carry += if self.sum.abs() >= x.abs() { (self.sum - t) + x } else { (x - t) + self.sum };
        self.sum = t;
        self.areas += 1;
    }

    fn gap(self) -> RollupGap {
        RollupGap { areas: self.areas, mean: (self.areas > 0).then(|| (self.sum + self.carry) / self.areas as f64) }
    }
}

impl Dataset {
    /// Rolls the comparison of round `from` with round `to` up across every area that has
    /// at least one of them, as the scoring contract's "Roll-up across areas" defines it.
    ///
    /// # Errors
    ///
    /// As [`compare`](Dataset::compare): [`ErrorKind::UnknownRound`] when no area has one of
    /// the rounds.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,education,clarity,2
    /// Vale,followup,ana,education,clarity,3
    /// Dale,baseline,cy,education,clarity,3
    /// Dale,followup,cy,education,clarity,3
    /// Fell,baseline,di,education,clarity,4
    /// ";
    /// let r = tidy::read(csv.as_bytes(), &Framework::cascade())?.rollup("baseline", "followup")?;
    /// let clarity = &r.domains[0].change;
    /// assert_eq!((r.areas, clarity.areas, clarity.not_compared), (3, 2, 1));
    /// assert_eq!((clarity.improved, clarity.unchanged, clarity.declined), (1, 1, 0));
    /// assert_eq!(clarity.mean_delta, Some(0.5));
    /// assert_eq!(r.lacking_to, ["Fell"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    pub fn rollup(&self, from: &str, to: &str) -> Result<Rollup, Error> {
        // The same check of round names as compare.
        drop(self.area_comparisons(from, to)?);
        let domains = self.framework.domains.len();
        let scale = self.framework.scale();
        let mut per_domain: Vec<Tally> = (0..domains).map(|_| Tally::default()).collect();
        let mut gaps = vec![[GapSum::default(); 2]; domains];
        let mut overall = Tally::default();
        let (mut in_rollup, mut lacking_from, mut lacking_to) = (0u64, Vec::new(), Vec::new());
        for a in &self.areas {
            let find = |id: &str| a.rounds.iter().find(|r| r.id == id);
            let (rf, rt) = (find(from), find(to));
            match (rf, rt) {
                (None, None) => continue,
                (None, Some(_)) => lacking_from.push(a.name.clone()),
                (Some(_), None) => lacking_to.push(a.name.clone()),
                (Some(_), Some(_)) => {}
            }
            in_rollup += 1;
            // Twice each headline: whole numbers.
            let halves = |r: Option<&RoundTally>| -> Vec<Option<i64>> {
                (0..domains)
                    .map(|d| r.and_then(|r| self.domain_stats(r, d).headline).map(|h| (h * 2.0) as i64))
                    .collect()
            };
            let (hf, ht) = (halves(rf), halves(rt));
            for d in 0..domains {
                if let (Some(f), Some(t)) = (hf[d], ht[d]) {
                    per_domain[d].pairs.push((f, t));
                }
                for (side, r) in [rf, rt].into_iter().enumerate() {
                    if let Some(gap) = r.and_then(|r| Self::group_gap(r, d, scale)) {
                        gaps[d][side].add(gap);
                    }
                }
            }
            // An overall score is the sum of twice the headlines over 2 × domains.
            let total = |h: &[Option<i64>]| h.iter().copied().sum::<Option<i64>>();
            if let (Some(f), Some(t)) = (total(&hf), total(&ht)) {
                overall.pairs.push((f, t));
            }
        }
        let domains = per_domain
            .into_iter()
            .zip(gaps)
            .enumerate()
            .map(|(d, (tally, [gf, gt]))| DomainRollup {
                domain: self.framework.domains[d].id.clone(),
                change: tally.change(2.0, in_rollup),
                gap: RollupGaps { from: gf.gap(), to: gt.gap() },
            })
            .collect();
        Ok(Rollup {
            from: from.to_owned(),
            to: to.to_owned(),
            areas: in_rollup,
            domains,
            overall: overall.change(2.0 * self.framework.domains.len() as f64, in_rollup),
            lacking_from,
            lacking_to,
        })
    }

    /// Education's mean minus mental health's in one round and domain, when both rated it.
    fn group_gap(r: &RoundTally, d: usize, scale: u8) -> Option<f64> {
        let sums = |g: Group| {
            let slots = r.group_counts(d, g, scale);
            let (mut n, mut s) = (0i128, 0i128);
            for (l, &c) in slots[1..].iter().enumerate() {
                n += i128::from(c);
                s += i128::from(c) * (l as i128 + 1);
            }
            (n > 0).then_some((s, n))
        };
        let ((se, ne), (sm, nm)) = (sums(Group::Education)?, sums(Group::MentalHealth)?);
        // se/ne − sm/nm as one fraction: one rounding.
        Some((se * nm - sm * ne) as f64 / (ne * nm) as f64)
    }

    /// The round ids of one area, in order of first appearance, or `None` if there is no
    /// such area; for callers that check many files for the same area and round.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,followup,,,clarity,2\nVale,baseline,,,clarity,3\n";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// assert_eq!(data.area_round_ids("Vale"), Some(vec!["followup", "baseline"]));
    /// assert_eq!(data.area_round_ids("Dale"), None);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area_round_ids(&self, area: &str) -> Option<Vec<&str>> {
        Some(self.area_by_name(area)?.rounds.iter().map(|r| r.id.as_str()).collect())
    }
}

impl Dataset {
    /// Gives round `old` the id `new` in every area, so rounds spelt differently in
    /// different files count as one.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,,clarity,2
    /// Dale,Baseline,cy,,clarity,3
    /// ";
    /// let mut data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// data.rename_round("Baseline", "baseline")?;
    /// assert_eq!(data.round_ids(), ["baseline"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Duplicate`], changing nothing, if an area has both rounds.
    pub fn rename_round(&mut self, old: &str, new: &str) -> Result<(), Error> {
        if old == new {
            return Ok(());
        }
        for a in &self.areas {
            let has = |id: &str| a.rounds.iter().any(|r| r.id == id);
            if has(old) && has(new) {
                return Err(Error::assessment(
                    ErrorKind::Duplicate,
                    format!(
                        "area {} has both round {} and round {}, so they cannot be made one",
                        Quoted(&a.name),
                        Quoted(old),
                        Quoted(new)
                    ),
                ));
            }
        }
        for r in self.areas.iter_mut().flat_map(|a| a.rounds.iter_mut()).filter(|r| r.id == old) {
            new.clone_into(&mut r.id);
        }
        Ok(())
    }
}
