//! Per-domain statistics of one round, as the scoring contract defines them.


use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, RoundTally};
use crate::group::Group;

/// The summary of every round of every area in a dataset, made by
/// [`Dataset::summary`]; in JSON, what `cascade summary --json` prints.
///
/// This and the other results are `#[non_exhaustive]`: the scoring contract lets fields be
/// added, so they may gain fields in minor releases. Read them by field or look parts up by
/// id; they are made by this crate, or read back from their JSON with serde.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,ana,education,clarity,2\n";
/// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
/// let clarity = summary.area("Vale").and_then(|a| a.round("baseline")).and_then(|r| r.domain("clarity"));
/// assert_eq!(clarity.map(|d| d.n), Some(1));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// The framework id.
    pub framework: String,
    /// Areas in order of first appearance.
    pub areas: Vec<AreaSummary>,
}

/// The rounds of one area: an element of [`Summary::areas`], or what
/// [`Assessment::summary`](crate::Assessment::summary) and
/// [`Session::summary`](crate::Session::summary) give.
///
/// ```
/// use cascade_core::{Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let area = Assessment::new("Vale", &fw).summary(&fw)?;
/// assert_eq!(area.area, "Vale");
/// assert_eq!(area.rounds.len(), 2);
/// assert!(area.round("baseline").is_some());
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AreaSummary {
    /// The area's name.
    pub area: String,
    /// Rounds in order of first appearance.
    pub rounds: Vec<RoundSummary>,
}

/// One round of one area.
///
/// ```
/// use cascade_core::{Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let area = Assessment::new("Vale", &fw).summary(&fw)?;
/// let baseline = area.round("baseline").unwrap();
/// assert_eq!((baseline.coverage, baseline.overall), (0, None));
/// assert_eq!(baseline.domains.len(), 7);
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoundSummary {
    /// The round id.
    pub round: String,
    /// How many domains have a headline.
    pub coverage: usize,
    /// The mean of the headlines; `None` unless every domain has one.
    pub overall: Option<f64>,
    /// Every domain of the framework, in framework order.
    pub domains: Vec<DomainSummary>,
}

/// The statistics of one domain in one round, as the scoring contract defines them.
/// With `n = 0` every statistic is `None`.
///
/// ```
/// use cascade_core::{tidy, Framework, Group};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,education,clarity,2
/// Vale,baseline,ben,mental-health,clarity,4
/// Vale,baseline,cat,,clarity,unsure
/// ";
/// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
/// let d = &summary.areas[0].rounds[0].domains[0];
/// assert_eq!((d.n, d.unsure, d.counts.as_slice()), (2, 1, &[0, 1, 0, 1, 0][..]));
/// assert_eq!((d.mean, d.median, d.min, d.max), (Some(3.0), Some(3.0), Some(2), Some(4)));
/// assert_eq!(d.group(Group::Education).map(|g| g.mean), Some(2.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DomainSummary {
    /// The domain id.
    pub domain: String,
    /// Number of numeric ratings.
    pub n: u64,
    /// Number of unsure ratings.
    pub unsure: u64,
    /// Ratings per level, from level 1 up.
    pub counts: Vec<u64>,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// The middle rating; with an even `n`, the mean of the two middle ones.
    pub median: Option<f64>,
    /// Lowest rating.
    pub min: Option<u8>,
    /// Highest rating.
    pub max: Option<u8>,
    /// Sample standard deviation (divisor n − 1); `None` when n < 2.
    pub sd: Option<f64>,
    /// Share of ratings within one level of the median.
    pub agreement: Option<f64>,
    /// True when n ≥ 3 and agreement < 2/3: the room disagrees.
    pub split: bool,
    /// The agreed level where one was recorded, else the median.
    pub headline: Option<f64>,
    /// The agreed level, where one was recorded (an extra field).
    pub agreed: Option<u8>,
    /// The area's target level for the domain (an extra field).
    pub target: Option<u8>,
    /// Target minus headline: how far is left to go (an extra field).
    pub gap: Option<f64>,
    /// Per group with numeric ratings, in [`Group::ALL`] order; JSON writes it as an object
    /// keyed by group id.
    pub groups: GroupSummaries,
}

/// The groups of a [`DomainSummary`] that gave numeric ratings, each once, in
/// [`Group::ALL`] order: a small map, looked up like a `BTreeMap`.
///
/// ```
/// use cascade_core::{tidy, Framework, Group};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,,mental-health,clarity,3
/// Vale,baseline,,education,clarity,2
/// ";
/// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
/// let groups = &summary.areas[0].rounds[0].domains[0].groups;
/// assert_eq!(groups.keys().collect::<Vec<_>>(), [Group::Education, Group::MentalHealth]);
/// assert_eq!(groups[&Group::Education].mean, 2.0);
/// assert!(groups.get(&Group::Other).is_none());
/// assert_eq!(serde_json::to_string(groups)?, r#"{"education":{"n":1,"mean":2.0,"median":2.0},"mental-health":{"n":1,"mean":3.0,"median":3.0}}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct GroupSummaries(Vec<(Group, GroupSummary)>);

impl GroupSummaries {
    /// The summary of `group`, if it gave numeric ratings.
    #[must_use]
    pub fn get(&self, group: &Group) -> Option<&GroupSummary> {
        self.0.iter().find(|(g, _)| g == group).map(|(_, s)| s)
    }

    /// Whether `group` gave numeric ratings.
    #[must_use]
    pub fn contains_key(&self, group: &Group) -> bool {
        self.get(group).is_some()
    }

    /// How many groups gave numeric ratings.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no group gave numeric ratings.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each group and its summary, in [`Group::ALL`] order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Group, &GroupSummary)> {
        self.0.iter().map(|(g, s)| (*g, s))
    }

    /// The groups, in [`Group::ALL`] order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = Group> + '_ {
        self.0.iter().map(|(g, _)| *g)
    }

    /// The summaries, in [`Group::ALL`] order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &GroupSummary> {
        self.0.iter().map(|(_, s)| s)
    }
}

impl std::ops::Index<&Group> for GroupSummaries {
    type Output = GroupSummary;

    /// # Panics
    ///
    /// If `group` gave no numeric rating; [`get`](GroupSummaries::get) does not panic.
    fn index(&self, group: &Group) -> &GroupSummary {
        self.get(group).expect("no summary for that group")
    }
}

impl std::fmt::Debug for GroupSummaries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(g, s)| (g, s))).finish()
    }
}

impl Serialize for GroupSummaries {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (g, s) in &self.0 {
            map.serialize_entry(g, s)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for GroupSummaries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = GroupSummaries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of group ids to group summaries")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<GroupSummaries, A::Error> {
                let mut out: Vec<(Group, GroupSummary)> = Vec::new();
                while let Some((g, s)) = map.next_entry::<Group, GroupSummary>()? {
                    if out.iter().any(|(h, _)| *h == g) {
                        return Err(serde::de::Error::custom(format_args!("group {} is given twice", g.as_str())));
                    }
                    out.push((g, s));
                }
                out.sort_by_key(|(g, _)| g.index());
                Ok(GroupSummaries(out))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// The ratings of one stakeholder group in one domain and round; see
/// [`DomainSummary::group`].
///
/// ```
/// use cascade_core::{tidy, Framework, Group};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,,mental-health,clarity,3\n";
/// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
/// let g = summary.areas[0].rounds[0].domains[0].group(Group::MentalHealth).unwrap();
/// assert_eq!((g.n, g.mean, g.median), (1, 3.0, 3.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupSummary {
    /// Number of numeric ratings.
    pub n: u64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median, as for the whole room.
    pub median: f64,
}

impl Summary {
    /// An area by name.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,baseline,,,clarity,2\n";
    /// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
    /// assert!(summary.area("Vale").is_some());
    /// assert!(summary.area("vale").is_none());
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area(&self, name: &str) -> Option<&AreaSummary> {
        self.areas.iter().find(|a| a.area == name)
    }
}

impl AreaSummary {
    /// A round by id.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework};
    ///
    /// let fw = Framework::cascade();
    /// let area = Assessment::new("Vale", &fw).summary(&fw)?;
    /// assert_eq!(area.round("followup").map(|r| r.round.as_str()), Some("followup"));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn round(&self, id: &str) -> Option<&RoundSummary> {
        self.rounds.iter().find(|r| r.round == id)
    }
}

impl RoundSummary {
    /// A domain by id.
    ///
    /// ```
    /// use cascade_core::{Assessment, Framework};
    ///
    /// let fw = Framework::cascade();
    /// let area = Assessment::new("Vale", &fw).summary(&fw)?;
    /// assert_eq!(area.rounds[0].domain("evidence").map(|d| d.n), Some(0));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn domain(&self, id: &str) -> Option<&DomainSummary> {
        self.domains.iter().find(|d| d.domain == id)
    }
}

impl DomainSummary {
    /// The figures of one group, if it has numeric ratings.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework, Group};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,baseline,,education,clarity,2\n";
    /// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
    /// let clarity = &summary.areas[0].rounds[0].domains[0];
    /// assert_eq!(clarity.group(Group::Education).map(|g| g.n), Some(1));
    /// assert!(clarity.group(Group::MentalHealth).is_none());
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn group(&self, group: Group) -> Option<&GroupSummary> {
        self.groups.get(&group)
    }
}

/// Plain statistics of a list of counts per level (index 0 is level 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stats {
    pub(crate) n: u64,
    pub(crate) mean: f64,
    pub(crate) median: f64,
    pub(crate) min: u8,
    pub(crate) max: u8,
    pub(crate) sd: Option<f64>,
    pub(crate) agreement: f64,
    pub(crate) split: bool,
}

impl Stats {
    /// `None` when there are no ratings.
    pub(crate) fn of(counts: &[u64]) -> Option<Stats> {
        let n: u64 = counts.iter().sum();
        if n == 0 {
            return None;
        }
        let level = |i: usize| (i + 1) as u64;
        // Levels are at most 10 and counts at most 2^32 per slot, so these sums fit in u64.
        let (mut s1, mut s2) = (0u64, 0u64);
        for (i, &c) in counts.iter().enumerate() {
            s1 += level(i) * c;
            s2 += level(i) * level(i) * c;
        }
        let min = counts.iter().position(|&c| c > 0).map_or(0, |i| i + 1) as u8;
        let max = counts.iter().rposition(|&c| c > 0).map_or(0, |i| i + 1) as u8;
        // Twice the median, so halves stay whole numbers.
        let median2 = if n % 2 == 1 { 2 * kth(counts, n / 2 + 1) } else { kth(counts, n / 2) + kth(counts, n / 2 + 1) };
        // Exact integer sums give one rounding in the mean and two in the sd.
        let mean = s1 as f64 / n as f64;
        let sd = (n >= 2).then(|| {
            // n * s2 can pass 2^64 on huge inputs; widen only the products.
            let num = u128::from(n) * u128::from(s2) - u128::from(s1) * u128::from(s1);
            let den = u128::from(n) * u128::from(n - 1);
            // Converting from u64 is much cheaper than from u128; both round to the nearest
            // float, so the result is the same.
            match (u64::try_from(num), u64::try_from(den)) {
                (Ok(small_num), Ok(small_den)) => (small_num as f64 / small_den as f64).sqrt(),
                _ => (num as f64 / den as f64).sqrt(),
            }
        });
        let within: u64 = counts
            .iter()
            .enumerate()
            .filter(|&(i, _)| (2 * level(i)).abs_diff(median2) <= 2)
            .map(|(_, &c)| c)
            .sum();
        Some(Stats {
            n,
            mean,
            median: median2 as f64 / 2.0,
            min,
            max,
            sd,
            agreement: within as f64 / n as f64,
            // agreement < 2/3, in integers.
            split: n >= 3 && 3 * within < 2 * n,
        })
    }
}

/// A domain's statistics in a round, over all groups.
pub(crate) struct DomainStats {
    pub(crate) stats: Option<Stats>,
    pub(crate) headline: Option<f64>,
    /// Ratings per level, from level 1 up.
    pub(crate) counts: Vec<u64>,
    pub(crate) unsure: u64,
}

/// A round's overall score: the mean of the domains' headlines, `None` unless all have one.
pub(crate) fn overall(headlines: &[Option<f64>]) -> Option<f64> {
    let sum = headlines.iter().copied().sum::<Option<f64>>()?;
    Some(sum / headlines.len() as f64)
}

/// The `k`-th smallest rating (from 1) of a list of counts per level.
fn kth(counts: &[u64], k: u64) -> u64 {
    let mut seen = 0;
    for (i, &c) in counts.iter().enumerate() {
        seen += c;
        if seen >= k {
            return (i + 1) as u64;
        }
    }
    counts.len() as u64
}

impl Dataset {
    /// Summary statistics for every round of every area.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,ana,education,clarity,2
    /// Vale,baseline,ben,mental-health,clarity,3
    /// Vale,baseline,cat,education,clarity,1
    /// Vale,baseline,dev,commissioner,clarity,unsure
    /// Vale,baseline,,education,clarity,4
    /// ";
    /// let summary = tidy::read(csv.as_bytes(), &Framework::cascade())?.summary();
    /// let clarity = &summary.areas[0].rounds[0].domains[0];
    /// assert_eq!((clarity.n, clarity.unsure), (4, 1));
    /// assert_eq!(clarity.median, Some(2.5));
    /// assert_eq!(clarity.sd, Some(1.2909944487358056));
    /// assert!(clarity.split);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn summary(&self) -> Summary {
        Summary { framework: self.framework.id.clone(), areas: self.area_summaries().collect() }
    }

    /// The summary one area at a time, in order of first appearance, for writing a large
    /// summary out without holding all of it in memory.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,b,,,clarity,2\nWold,b,,,clarity,3\n";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let names: Vec<String> = data.area_summaries().map(|a| a.area).collect();
    /// assert_eq!(names, ["Vale", "Wold"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area_summaries(&self) -> impl ExactSizeIterator<Item = AreaSummary> + '_ {
        self.areas.iter().map(|a| self.summary_of(a))
    }

    /// The summary of one area, by name; for callers that split the work among threads.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,baseline,,,clarity,2\n";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// assert_eq!(data.area_summary("Vale").map(|a| a.rounds.len()), Some(1));
    /// assert!(data.area_summary("Wold").is_none());
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area_summary(&self, name: &str) -> Option<AreaSummary> {
        self.area_by_name(name).map(|a| self.summary_of(a))
    }

    fn summary_of(&self, a: &crate::dataset::AreaTally) -> AreaSummary {
        AreaSummary { area: a.name.clone(), rounds: a.rounds.iter().map(|r| self.round_summary(r, &a.targets)).collect() }
    }

    /// How many areas the dataset holds.
    ///
    /// ```
    /// use cascade_core::{Dataset, Framework};
    ///
    /// assert_eq!(Dataset::new(&Framework::cascade()).area_count(), 0);
    /// ```
    #[must_use]
    pub fn area_count(&self) -> usize {
        self.areas.len()
    }

    pub(crate) fn round_summary(&self, r: &RoundTally, targets: &[Option<u8>]) -> RoundSummary {
        let domains: Vec<DomainSummary> =
            (0..self.framework.domains.len()).map(|d| self.domain_summary(r, d, targets[d])).collect();
        let headlines: Vec<Option<f64>> = domains.iter().map(|d| d.headline).collect();
        RoundSummary {
            round: r.id.clone(),
            coverage: headlines.iter().flatten().count(),
            overall: overall(&headlines),
            domains,
        }
    }

    /// A domain's figures over all groups: all a comparison needs, and the base of a summary.
    pub(crate) fn domain_stats(&self, r: &RoundTally, domain: usize) -> DomainStats {
        let scale = self.framework.scale();
        let mut counts = vec![0u64; usize::from(scale)];
        let mut unsure = 0;
        for g in Group::ALL {
            let slots = r.group_counts(domain, g, scale);
            unsure += u64::from(slots[0]);
            for (c, &s) in counts.iter_mut().zip(&slots[1..]) {
                *c += u64::from(s);
            }
        }
        let stats = Stats::of(&counts);
        // The agreed level where one was recorded, else the median.
        let headline = r.agreed[domain].map(f64::from).or(stats.map(|s| s.median));
        DomainStats { stats, headline, counts, unsure }
    }

    fn domain_summary(&self, r: &RoundTally, d: usize, target: Option<u8>) -> DomainSummary {
        let DomainStats { stats, headline, counts, unsure } = self.domain_stats(r, d);
        let agreed = r.agreed[d];
        let mut groups = GroupSummaries::default();
        // Only groups with ratings; in the common case one or two of the six.
        for g in Group::ALL {
            let slots = r.group_counts(d, g, self.framework.scale());
            if slots[1..].iter().all(|&c| c == 0) {
                continue;
            }
            let counts: Vec<u64> = slots[1..].iter().map(|&c| u64::from(c)).collect();
            if let Some(s) = Stats::of(&counts) {
                groups.0.push((g, GroupSummary { n: s.n, mean: s.mean, median: s.median }));
            }
        }
        DomainSummary {
            domain: self.framework.domains[d].id.clone(),
            n: stats.map_or(0, |s| s.n),
            unsure,
            counts,
            mean: stats.map(|s| s.mean),
            median: stats.map(|s| s.median),
            min: stats.map(|s| s.min),
            max: stats.map(|s| s.max),
            sd: stats.and_then(|s| s.sd),
            agreement: stats.map(|s| s.agreement),
            split: stats.is_some_and(|s| s.split),
            headline,
            agreed,
            target,
            gap: target.zip(headline).map(|(t, h)| f64::from(t) - h),
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_counts() {
        assert_eq!(Stats::of(&[0, 0, 0, 0, 0]), None);
        let s = Stats::of(&[1, 1, 1, 1, 0]).unwrap();
        assert_eq!((s.n, s.mean, s.median, s.min, s.max), (4, 2.5, 2.5, 1, 4));
        assert_eq!(s.sd, Some(1.2909944487358056));
        assert_eq!((s.agreement, s.split), (0.5, true));
        let one = Stats::of(&[0, 0, 1, 0, 0]).unwrap();
        assert_eq!((one.median, one.sd, one.agreement, one.split), (3.0, None, 1.0, false));
        // Two of three within one level of the median is exactly 2/3: not split.
        let edge = Stats::of(&[1, 0, 1, 1, 0]).unwrap();
        assert_eq!((edge.median, edge.split), (3.0, false));
        let wide = Stats::of(&[1, 0, 0, 0, 2]).unwrap();
        assert_eq!((wide.median, wide.agreement, wide.split), (5.0, 2.0 / 3.0, false));
        let far = Stats::of(&[2, 0, 0, 0, 2]).unwrap();
        assert_eq!((far.median, far.agreement, far.split), (3.0, 0.0, true));
    }
}
