//! Compact tallies of many areas' ratings: what statistics are computed from.
//!
//! A national file holds about a million ratings, but statistics need only counts per level,
//! so rows are folded into counts as they are read and never kept. Only named respondents'
//! levels are kept, one byte each, because pairing across rounds needs them.


use crate::assessment::{Assessment, Score};
use crate::error::{Error, ErrorKind, What};
use crate::quote::Quoted;
use crate::framework::Framework;
use crate::group::Group;
use crate::numbering::Numbering;

/// Level code for "no rating" in the per-respondent table.
pub(crate) const NONE: u8 = 0;
/// Level code for "unsure" in the per-respondent table.
const UNSURE: u8 = u8::MAX;
const GROUPS: usize = Group::ALL.len();

/// The ratings of many areas folded into counts, ready for [`summary`](Dataset::summary)
/// and [`compare`](Dataset::compare).
///
/// Build one from a tidy CSV file with [`tidy::read`](crate::tidy::read), or from assessment
/// documents with [`Dataset::from_assessment`] and [`Dataset::push_assessment`]. A dataset
/// holds counts, not rows: it answers [`summary`](Dataset::summary) and
/// [`compare`](Dataset::compare), and the [`flat`](crate::flat) writers print them as CSV.
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
    /// Area names to indexes.
    index: Numbering,
    ratings: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct AreaTally {
    pub(crate) name: String,
    pub(crate) rounds: Vec<RoundTally>,
    pub(crate) respondents: Numbering,
    /// The group of each respondent, by index: one person speaks for one group.
    pub(crate) groups: Vec<Group>,
    pub(crate) targets: Vec<Option<u8>>,
}

impl AreaTally {
    pub(crate) fn respondent_count(&self) -> usize {
        self.respondents.len()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RoundTally {
    pub(crate) id: String,
    /// `counts[(domain * GROUPS + group) * (scale + 1) + slot]`; slot 0 is unsure, slot `l` level `l`.
    counts: Vec<u32>,
    pub(crate) agreed: Vec<Option<u8>>,
    /// `levels[respondent * domains + domain]`: [`NONE`], [`UNSURE`] or the level.
    pub(crate) levels: Vec<u8>,
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
    /// An empty dataset scored on `framework`, to add documents to.
    ///
    /// ```
    /// use cascade_core::{Dataset, Framework};
    ///
    /// let data = Dataset::new(&Framework::cascade());
    /// assert_eq!((data.area_count(), data.rating_count()), (0, 0));
    /// assert!(data.summary().areas.is_empty());
    /// ```
    #[must_use]
    pub fn new(framework: &Framework) -> Dataset {
        Dataset { framework: framework.clone(), areas: Vec::new(), index: Numbering::default(), ratings: 0 }
    }

    /// The dataset of one assessment document.
    ///
    /// ```
    /// use cascade_core::{Assessment, Dataset, Framework, Group, Rating, Score};
    ///
    /// let fw = Framework::cascade();
    /// let mut doc = Assessment::new("Vale", &fw);
    /// doc.ratings.push(Rating::new("baseline", None, Group::Other, "clarity", Score::Level(3)));
    /// let data = Dataset::from_assessment(&doc, &fw)?;
    /// assert_eq!(data.round_ids(), ["baseline", "followup"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Assessment::validate`]: the document must be valid on `framework`.
    pub fn from_assessment(assessment: &Assessment, framework: &Framework) -> Result<Dataset, Error> {
        let mut data = Dataset::new(framework);
        data.push_assessment(assessment)?;
        Ok(data)
    }

    /// Adds an assessment document: its rounds in document order, ratings, tallies,
    /// agreed levels and targets. Nothing is added if the document is refused.
    ///
    /// ```
    /// use cascade_core::{Assessment, Dataset, ErrorKind, Framework};
    ///
    /// let fw = Framework::cascade();
    /// let mut data = Dataset::new(&fw);
    /// data.push_assessment(&Assessment::new("Vale", &fw))?;
    /// data.push_assessment(&Assessment::new("Wold", &fw))?;
    /// let again = data.push_assessment(&Assessment::new("Vale", &fw)).unwrap_err();
    /// assert_eq!(again.kind(), ErrorKind::Duplicate);
    /// assert_eq!(again.to_string(), "assessment: area \"Vale\" is already in the dataset");
    /// assert_eq!(data.area_names().collect::<Vec<_>>(), ["Vale", "Wold"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Assessment::validate`], and [`ErrorKind::Duplicate`] if the dataset already has
    /// the area.
    pub fn push_assessment(&mut self, a: &Assessment) -> Result<(), Error> {
        a.validate(&self.framework)?;
        self.push_valid(a)
    }

    /// [`push_assessment`](Dataset::push_assessment) of a document already known valid on
    /// the framework (a [`Session`](crate::Session)'s), without checking it a second time.
    pub(crate) fn push_valid(&mut self, a: &Assessment) -> Result<(), Error> {
        if self.index.get(&a.area).is_some() {
            return Err(Error::assessment(ErrorKind::Duplicate, format!("area {} is already in the dataset", Quoted(&a.area))));
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
            let who = r.respondent.as_deref().map(|id| self.respondent_index(area, id, r.group));
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
    ///
    /// ```
    /// use cascade_core::{Dataset, Framework};
    ///
    /// assert_eq!(Dataset::new(&Framework::cascade()).framework().id, "cascade");
    /// ```
    #[must_use]
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// Area names in order of first appearance.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nWold,b,,,clarity,2\nVale,b,,,clarity,3\n";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// assert_eq!(data.area_names().collect::<Vec<_>>(), ["Wold", "Vale"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.areas.iter().map(|a| a.name.as_str())
    }

    /// Round ids across all areas, in order of first appearance.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,followup,,,clarity,2\nWold,baseline,,,clarity,3\n";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// assert_eq!(data.round_ids(), ["followup", "baseline"]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
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
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\nVale,b,,,clarity,2\nVale,b,,,clarity,unsure\n";
    /// assert_eq!(tidy::read(csv.as_bytes(), &Framework::cascade())?.rating_count(), 2);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn rating_count(&self) -> u64 {
        self.ratings
    }

    pub(crate) fn area_by_name(&self, name: &str) -> Option<&AreaTally> {
        self.index.get(name).map(|i| &self.areas[i as usize])
    }

    pub(crate) fn area_index(&mut self, name: &str) -> usize {
        let (i, new) = self.index.insert(name);
        if new {
            self.areas.push(AreaTally {
                name: name.to_owned(),
                rounds: Vec::new(),
                respondents: Numbering::default(),
                groups: Vec::new(),
                targets: vec![None; self.framework.domains.len()],
            });
        }
        i as usize
    }

    pub(crate) fn round_index(&mut self, area: usize, id: &str) -> usize {
        let rounds = &mut self.areas[area].rounds;
        if let Some(i) = rounds.iter().position(|r| r.id == id) {
            return i;
        }
        rounds.push(RoundTally::new(id, self.framework.domains.len(), self.framework.scale()));
        rounds.len() - 1
    }

    /// The index of a respondent, added with `group` if new.
    pub(crate) fn respondent_index(&mut self, area: usize, id: &str, group: Group) -> u32 {
        let a = &mut self.areas[area];
        let (i, new) = a.respondents.insert(id);
        if new {
            a.groups.push(group);
        }
        i
    }

    /// Counts one rating. Fails, changing nothing, if the respondent already rated the
    /// domain in the round or is in another group; the message is for the caller to place.
    pub(crate) fn add(
        &mut self,
        area: usize,
        round: usize,
        respondent: Option<u32>,
        group: Group,
        domain: usize,
        score: Score,
    ) -> Result<(), Refused> {
        let domains = self.framework.domains.len();
        let a = &mut self.areas[area];
        let r = &mut a.rounds[round];
        if let Some(who) = respondent {
            let first = a.groups[who as usize];
            if first != group {
                return Err(Refused::Group(first));
            }
            let at = who as usize * domains + domain;
            if r.levels.len() <= at {
                r.levels.resize((who as usize + 1) * domains, NONE);
            }
            if r.levels[at] != NONE {
                return Err(Refused::Duplicate);
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

    /// Adds the counts of `later`, read from a later part of the same file, as if its rows had
    /// followed this dataset's rows: areas, rounds and respondents keep their order of first
    /// appearance. A file split in parts and read in parallel merges to the dataset of the
    /// whole file.
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
    ///
    /// # Errors
    ///
    /// Changing nothing: [`ErrorKind::DuplicateRating`] if a respondent rated a domain in a
    /// round in both datasets, [`ErrorKind::GroupMismatch`] if a respondent is in another
    /// group in each, and [`ErrorKind::FrameworkMismatch`] if they are scored on different
    /// frameworks. A caller that splits a file should then read it whole, to report the line.
    pub fn merge(&mut self, later: Dataset) -> Result<(), Error> {
        if later.framework != self.framework {
            return Err(Error::new(ErrorKind::FrameworkMismatch, "datasets scored on different frameworks cannot be merged")
                .about(What::Assessment));
        }
        self.check_merge(&later)?;
        let domains = self.framework.domains.len();
        for a in later.areas {
            let area = self.area_index(&a.name);
            // Later respondent index to this dataset's index.
            let names = a.names();
            let remap: Vec<u32> =
                names.iter().zip(&a.groups).map(|(id, &g)| self.respondent_index(area, id, g)).collect();
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
                        // check_merge() found no level recorded in both.
                        if level != NONE {
                            mine.levels[at + d] = level;
                        }
                    }
                }
            }
        }
        self.ratings += later.ratings;
        Ok(())
    }

    /// What [`merge`](Dataset::merge) would refuse, found before anything changes.
    fn check_merge(&self, later: &Dataset) -> Result<(), Error> {
        let domains = self.framework.domains.len();
        for a in &later.areas {
            let Some(mine) = self.area_by_name(&a.name) else { continue };
            let names = a.names();
            // This dataset's index of each of later's respondents, where it has them.
            let mut remap: Vec<Option<usize>> = Vec::with_capacity(names.len());
            for (id, &g) in names.iter().zip(&a.groups) {
                let at = mine.respondents.get(id).map(|i| i as usize);
                if let Some(i) = at {
                    if mine.groups[i] != g {
                        return Err(Error::assessment(
                            ErrorKind::GroupMismatch,
                            format!(
                                "area {}: respondent {} is in group {} in one part and {} in another",
                                Quoted(&a.name), Quoted(id), mine.groups[i], g
                            ),
                        ));
                    }
                }
                remap.push(at);
            }
            for r in &a.rounds {
                let Some(m) = mine.rounds.iter().find(|m| m.id == r.id) else { continue };
                for (who, row) in r.levels.chunks(domains).enumerate() {
                    let Some(i) = remap[who] else { continue };
                    for (d, &level) in row.iter().enumerate() {
                        if level != NONE && m.levels.get(i * domains + d).is_some_and(|&l| l != NONE) {
                            return Err(Error::assessment(
                                ErrorKind::DuplicateRating,
                                format!(
                                    "area {}: respondent {} rated {} twice in round {}",
                                    Quoted(&a.name), Quoted(names[who]), self.framework.domains[d].id, Quoted(&r.id)
                                ),
                            )
                            .in_domain(&self.framework.domains[d].id));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl AreaTally {
    /// Respondent ids by index.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.respondents.names().iter().map(|id| &**id).collect()
    }
}


/// Why a rating was not counted.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The respondent already rated the domain in the round.
    Duplicate,
    /// The respondent's earlier ratings are in this group.
    Group(Group),
}
