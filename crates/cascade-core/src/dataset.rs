//! Compact tallies of many areas' ratings: what statistics are computed from.
//!
//! A national file holds about a million ratings, but statistics need only counts per level,
//! so rows are folded into counts as they are read and never kept. Only named respondents'
//! levels are kept, one byte each, because pairing across rounds needs them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::assessment::{Assessment, Score};
use crate::error::Error;
use crate::quote::Quoted;
use crate::framework::Framework;
use crate::group::Group;

/// Level code for "no rating" in the per-respondent table.
const NONE: u8 = 0;
/// Level code for "unsure" in the per-respondent table.
const UNSURE: u8 = u8::MAX;
const GROUPS: usize = Group::ALL.len();

/// The ratings of many areas folded into counts, ready for [`summary`](Dataset::summary)
/// and [`compare`](Dataset::compare).
///
/// Build one from a tidy CSV file with [`tidy::read`](crate::tidy::read), or from assessment
/// documents with [`Dataset::from_assessment`] and [`Dataset::push_assessment`].
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,ana,education,clarity,2
/// Vale,followup,ana,education,clarity,4
/// ";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let cmp = data.compare("baseline", "followup")?;
/// assert_eq!(cmp.areas[0].domains[0].delta, Some(2.0));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(crate) framework: Framework,
    pub(crate) areas: Vec<AreaTally>,
    index: FastMap<usize>,
    ratings: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct AreaTally {
    pub(crate) name: String,
    pub(crate) rounds: Vec<RoundTally>,
    respondents: FastMap<u32>,
    pub(crate) targets: Vec<Option<u8>>,
}

#[derive(Debug, Clone)]
pub(crate) struct RoundTally {
    pub(crate) id: String,
    /// `counts[(domain * GROUPS + group) * (scale + 1) + slot]`; slot 0 is unsure, slot `l` level `l`.
    counts: Vec<u32>,
    pub(crate) agreed: Vec<Option<u8>>,
    /// `levels[respondent * domains + domain]`: [`NONE`], [`UNSURE`] or the level.
    levels: Vec<u8>,
}

impl RoundTally {
    fn new(id: &str, domains: usize, scale: u8) -> RoundTally {
        RoundTally {
            id: id.to_owned(),
            counts: vec![0; domains * GROUPS * (usize::from(scale) + 1)],
            agreed: vec![None; domains],
            levels: Vec::new(),
        }
    }

    /// Counts of one domain and group: slot 0 unsure, then one per level.
    pub(crate) fn group_counts(&self, domain: usize, group: Group, scale: u8) -> &[u32] {
        let slots = usize::from(scale) + 1;
        let at = (domain * GROUPS + group.index()) * slots;
        &self.counts[at..at + slots]
    }

    /// A named respondent's level of a domain, if numeric.
    pub(crate) fn level_of(&self, respondent: usize, domain: usize, domains: usize) -> Option<u8> {
        match self.levels.get(respondent * domains + domain) {
            Some(&l) if l != NONE && l != UNSURE => Some(l),
            _ => None,
        }
    }
}

impl Dataset {
    /// An empty dataset scored on `framework`.
    pub fn new(framework: &Framework) -> Dataset {
        Dataset { framework: framework.clone(), areas: Vec::new(), index: FastMap::default(), ratings: 0 }
    }

    /// The dataset of one assessment document, checked with [`Assessment::validate`].
    pub fn from_assessment(assessment: &Assessment, framework: &Framework) -> Result<Dataset, Error> {
        let mut data = Dataset::new(framework);
        data.push_assessment(assessment)?;
        Ok(data)
    }

    /// Adds an assessment document: its rounds in document order, ratings, tallies,
    /// agreed levels and targets. Nothing is added if the document is invalid.
    pub fn push_assessment(&mut self, a: &Assessment) -> Result<(), Error> {
        a.validate(&self.framework)?;
        if self.index.contains_key(a.area.as_str()) {
            return Err(Error::Assessment { message: format!("area {} is already in the dataset", Quoted(&a.area)) });
        }
        let fw = self.framework.clone();
        let domain = |id: &str| fw.domain_index(id).unwrap_or_default();
        let area = self.area_index(&a.area);
        for r in &a.rounds {
            self.round_index(area, &r.id);
        }
        let round_of = |data: &Dataset, id: &str| {
            data.areas[area].rounds.iter().position(|r| r.id == id).unwrap_or_default()
        };
        // validate() has checked every reference, so the lookups below cannot miss and
        // add() cannot find a duplicate.
        for r in &a.ratings {
            let round = round_of(self, &r.round);
            let who = r.respondent.as_deref().map(|id| self.respondent_index(area, id));
            self.add(area, round, who, r.group, domain(&r.domain), r.score).ok();
        }
        for t in &a.tallies {
            let round = round_of(self, &t.round);
            let d = domain(&t.domain);
            self.add_counts(area, round, d, t.group, 0, t.unsure);
            for (l, &c) in t.counts.iter().enumerate() {
                self.add_counts(area, round, d, t.group, l + 1, c);
            }
        }
        for g in &a.agreed {
            let round = round_of(self, &g.round);
            self.areas[area].rounds[round].agreed[domain(&g.domain)] = Some(g.level);
        }
        for t in &a.targets {
            self.areas[area].targets[domain(&t.domain)] = Some(t.level);
        }
        Ok(())
    }

    /// The framework the dataset is scored on.
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// Area names in order of first appearance.
    pub fn area_names(&self) -> impl Iterator<Item = &str> {
        self.areas.iter().map(|a| a.name.as_str())
    }

    /// Round ids across all areas, in order of first appearance.
    pub fn round_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for r in self.areas.iter().flat_map(|a| &a.rounds) {
            if !ids.contains(&r.id.as_str()) {
                ids.push(&r.id);
            }
        }
        ids
    }

    /// How many ratings (numeric and unsure, tallied votes included) went in.
    pub fn rating_count(&self) -> u64 {
        self.ratings
    }

    pub(crate) fn area_index(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.areas.len();
        self.areas.push(AreaTally {
            name: name.to_owned(),
            rounds: Vec::new(),
            respondents: FastMap::default(),
            targets: vec![None; self.framework.domains.len()],
        });
        self.index.insert(name.into(), i);
        i
    }

    pub(crate) fn round_index(&mut self, area: usize, id: &str) -> usize {
        let rounds = &mut self.areas[area].rounds;
        if let Some(i) = rounds.iter().position(|r| r.id == id) {
            return i;
        }
        rounds.push(RoundTally::new(id, self.framework.domains.len(), self.framework.scale()));
        rounds.len() - 1
    }

    pub(crate) fn respondent_index(&mut self, area: usize, id: &str) -> u32 {
        let map = &mut self.areas[area].respondents;
        if let Some(&i) = map.get(id) {
            return i;
        }
        let i = map.len() as u32;
        map.insert(id.into(), i);
        i
    }

    /// Counts one rating. Fails, changing nothing, if the respondent already rated the
    /// domain in the round; the message is for the caller to place.
    pub(crate) fn add(
        &mut self,
        area: usize,
        round: usize,
        respondent: Option<u32>,
        group: Group,
        domain: usize,
        score: Score,
    ) -> Result<(), DuplicateRating> {
        let domains = self.framework.domains.len();
        let r = &mut self.areas[area].rounds[round];
        if let Some(who) = respondent {
            let at = who as usize * domains + domain;
            if r.levels.len() <= at {
                r.levels.resize((who as usize + 1) * domains, NONE);
            }
            if r.levels[at] != NONE {
                return Err(DuplicateRating);
            }
            r.levels[at] = match score {
                Score::Level(l) => l,
                Score::Unsure => UNSURE,
            };
        }
        let slot = score.level().map_or(0, usize::from);
        self.add_counts(area, round, domain, group, slot, 1);
        Ok(())
    }

    fn add_counts(&mut self, area: usize, round: usize, domain: usize, group: Group, slot: usize, n: u32) {
        let slots = usize::from(self.framework.scale()) + 1;
        let r = &mut self.areas[area].rounds[round];
        let at = (domain * GROUPS + group.index()) * slots + slot;
        r.counts[at] = r.counts[at].saturating_add(n);
        self.ratings += u64::from(n);
    }

    pub(crate) fn respondent_count(&self, area: usize) -> usize {
        self.areas[area].respondents.len()
    }

    /// Adds the counts of `later`, read from a later part of the same file, as if its rows had
    /// followed this dataset's rows: areas, rounds and respondents keep their order of first
    /// appearance. Fails, leaving this dataset partly merged, if a respondent rated a domain
    /// in a round in both; a caller that splits a file should then read it whole, to report
    /// the exact line.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let fw = Framework::cascade();
    /// let head = "area,round,respondent,group,domain,level\n";
    /// let mut first = tidy::read(format!("{head}Vale,baseline,ana,,clarity,2\n").as_bytes(), &fw)?;
    /// let second = tidy::read(format!("{head}Vale,followup,ana,,clarity,4\n").as_bytes(), &fw)?;
    /// first.merge(second)?;
    /// let cmp = first.compare("baseline", "followup")?;
    /// assert_eq!(cmp.areas[0].domains[0].paired.improved, 1);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    pub fn merge(&mut self, later: Dataset) -> Result<(), Error> {
        let domains = self.framework.domains.len();
        if later.framework != self.framework {
            return Err(Error::Assessment { message: "datasets scored on different frameworks cannot be merged".into() });
        }
        for a in later.areas {
            let area = self.area_index(&a.name);
            // Later respondent index to this dataset's index.
            let mut names: Vec<&str> = vec![""; a.respondents.len()];
            for (id, &i) in a.respondents.iter() {
                names[i as usize] = id;
            }
            let remap: Vec<u32> = names.iter().map(|id| self.respondent_index(area, id)).collect();
            for (d, t) in a.targets.iter().enumerate() {
                let mine = &mut self.areas[area].targets[d];
                *mine = mine.or(*t);
            }
            for r in a.rounds {
                let round = self.round_index(area, &r.id);
                let mine = &mut self.areas[area].rounds[round];
                for (m, c) in mine.counts.iter_mut().zip(&r.counts) {
                    *m = m.saturating_add(*c);
                }
                for (m, g) in mine.agreed.iter_mut().zip(&r.agreed) {
                    *m = m.or(*g);
                }
                for (who, row) in r.levels.chunks(domains).enumerate() {
                    let at = remap[who] as usize * domains;
                    if mine.levels.len() < at + domains {
                        mine.levels.resize(at + domains, NONE);
                    }
                    for (d, &level) in row.iter().enumerate() {
                        if level == NONE {
                            continue;
                        }
                        if mine.levels[at + d] != NONE {
                            let id = names[who];
                            return Err(Error::Assessment {
                                message: format!(
                                    "area {}: respondent {} rated {} twice in round {}",
                                    Quoted(&a.name), Quoted(id), self.framework.domains[d].id, Quoted(&r.id)
                                ),
                            });
                        }
                        mine.levels[at + d] = level;
                    }
                }
            }
        }
        self.ratings += later.ratings;
        Ok(())
    }
}

/// Names to indexes. The keys are the file's own names, not attacker-chosen in any way that
/// matters here, so a fast multiply-rotate hash replaces SipHash, which cost as much per
/// lookup as reading a row.
type FastMap<V> = HashMap<Box<str>, V, BuildHasherDefault<FxHasher>>;

/// The Fx hash (from rustc): one multiply and rotate per word.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A respondent rated the same domain twice in one round.
#[derive(Debug)]
pub(crate) struct DuplicateRating;
