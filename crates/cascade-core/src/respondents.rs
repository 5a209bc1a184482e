//! Named respondents of an area: listing them, and making two spellings of one person one.

use crate::dataset::{Dataset, NONE};
use crate::error::{Error, ErrorKind, What};
use crate::quote::Quoted;

impl Dataset {
    /// The ids of an area's named respondents, in order of first appearance, or `None` if
    /// no area has that name. Anonymous ratings have no id and are not listed.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,Sarah Jones,,clarity,2
    /// Vale,baseline,,,clarity,3
    /// Vale,followup,sarah jones,,clarity,4
    /// ";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// assert_eq!(data.area_respondent_ids("Vale"), Some(vec!["Sarah Jones", "sarah jones"]));
    /// assert_eq!(data.area_respondent_ids("Dale"), None);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn area_respondent_ids(&self, area: &str) -> Option<Vec<&str>> {
        Some(self.area_by_name(area)?.names())
    }

    /// Counts respondent `old` of `area` as respondent `new`, so one person whose id was
    /// typed two ways (say "Sarah Jones" at the baseline and "sarah jones" at the follow-up)
    /// is paired across rounds. If the area has no `new`, `old` is simply renamed; if it has
    /// no `old`, nothing changes.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level
    /// Vale,baseline,Sarah Jones,,clarity,2
    /// Vale,followup,sarah jones,,clarity,4
    /// ";
    /// let mut data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// assert_eq!(data.compare("baseline", "followup")?.areas[0].domains[0].paired.n, 0);
    /// data.rename_respondent("Vale", "sarah jones", "Sarah Jones")?;
    /// assert_eq!(data.area_respondent_ids("Vale"), Some(vec!["Sarah Jones"]));
    /// assert_eq!(data.compare("baseline", "followup")?.areas[0].domains[0].paired.improved, 1);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Changing nothing: [`ErrorKind::GroupMismatch`] if the two are in different groups,
    /// and [`ErrorKind::DuplicateRating`] if both rated the same domain in the same round,
    /// since then they are two people (or one who rated twice).
    pub fn rename_respondent(&mut self, area: &str, old: &str, new: &str) -> Result<(), Error> {
        let domains = self.framework.domains.len();
        let Some(at) = self.area_names().position(|a| a == area) else { return Ok(()) };
        let a = &mut self.areas[at];
        let Some(from) = a.respondents.get(old) else { return Ok(()) };
        if old == new {
            return Ok(());
        }
        let Some(to) = a.respondents.get(new) else {
            a.respondents.rename(from, new);
            return Ok(());
        };
        let (from, to) = (from as usize, to as usize);
        if a.groups[from] != a.groups[to] {
            return Err(Error::new(
                ErrorKind::GroupMismatch,
                format!(
                    "area {}: respondent {} is in group {} and {} in group {}, so they cannot be made one",
                    Quoted(area),
                    Quoted(old),
                    a.groups[from].as_str(),
                    Quoted(new),
                    a.groups[to].as_str()
                ),
            )
            .about(What::Input));
        }
        let level = |levels: &[u8], who: usize, d: usize| levels.get(who * domains + d).copied().unwrap_or(NONE);
        for r in &a.rounds {
            if let Some(d) = (0..domains).find(|&d| level(&r.levels, from, d) != NONE && level(&r.levels, to, d) != NONE) {
                let domain = &self.framework.domains[d].id;
                return Err(Error::new(
                    ErrorKind::DuplicateRating,
                    format!(
                        "area {}: respondents {} and {} both rated {} in round {}, so they cannot be made one",
                        Quoted(area),
                        Quoted(old),
                        Quoted(new),
                        domain,
                        Quoted(&r.id)
                    ),
                )
                .about(What::Input)
                .in_domain(domain));
            }
        }
        // Checked: now move `old`'s levels to `new` and close the gap `old` leaves, so the
        // indexes stay dense. The counts are unchanged, as both are in one group.
        for r in &mut a.rounds {
            for d in 0..domains {
                let l = level(&r.levels, from, d);
                if l != NONE {
                    if r.levels.len() < (to + 1) * domains {
                        r.levels.resize((to + 1) * domains, NONE);
                    }
                    r.levels[to * domains + d] = l;
                }
            }
            let start = (from * domains).min(r.levels.len());
            let end = ((from + 1) * domains).min(r.levels.len());
            r.levels.drain(start..end);
        }
        a.groups.remove(from);
        // The numbers after `old`'s move down one, as the groups and levels just did.
        a.respondents.remove(from as u32);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{tidy, ErrorKind, Framework};

    const HEAD: &str = "area,round,respondent,group,domain,level\n";

    fn read(rows: &str) -> crate::Dataset {
        tidy::read(format!("{HEAD}{rows}").as_bytes(), &Framework::cascade()).unwrap()
    }

    #[test]
    fn merged_respondents_pair_and_keep_the_others_levels() {
        // Three people; the middle one's follow-up was typed in another case.
        let rows = |later: &str| {
            format!(
                "Vale,baseline,ana,education,clarity,1\n\
                 Vale,baseline,Sarah Jones,education,clarity,2\n\
                 Vale,baseline,cy,education,clarity,3\n\
                 Vale,followup,ana,education,clarity,2\n\
                 Vale,followup,{later},education,clarity,4\n\
                 Vale,followup,{later},education,contact,unsure\n\
                 Vale,followup,cy,education,clarity,3\n"
            )
        };
        let mut data = read(&rows("sarah jones"));
        let before = data.compare("baseline", "followup").unwrap();
        assert_eq!(before.areas[0].domains[0].paired.n, 2);
        data.rename_respondent("Vale", "sarah jones", "Sarah Jones").unwrap();
        assert_eq!(data.area_respondent_ids("Vale").unwrap(), ["ana", "Sarah Jones", "cy"]);
        let after = data.compare("baseline", "followup").unwrap();
        let p = &after.areas[0].domains[0].paired;
        assert_eq!((p.n, p.improved, p.unchanged, p.declined), (3, 2, 1, 0));
        // The round's counts are those of the file: nothing counted twice or lost.
        assert_eq!(after.areas[0].domains[0].to.n, 3);
        assert_eq!(data.summary(), read(&rows("Sarah Jones")).summary());
    }

    #[test]
    fn a_rename_to_a_new_id_or_of_no_one_is_simple() {
        let mut data = read("Vale,baseline,ana,,clarity,1\n");
        data.rename_respondent("Vale", "ana", "Ana").unwrap();
        assert_eq!(data.area_respondent_ids("Vale").unwrap(), ["Ana"]);
        data.rename_respondent("Vale", "bo", "Ana").unwrap();
        data.rename_respondent("Dale", "ana", "Ana").unwrap();
        assert_eq!(data.area_respondent_ids("Vale").unwrap(), ["Ana"]);
    }

    #[test]
    fn two_people_are_not_made_one() {
        let mut data = read(
            "Vale,baseline,Sam,education,clarity,1\n\
             Vale,baseline,sam,education,clarity,2\n\
             Vale,baseline,Jo,education,clarity,1\n\
             Vale,followup,jo,mental-health,clarity,2\n",
        );
        let e = data.rename_respondent("Vale", "sam", "Sam").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DuplicateRating);
        assert_eq!(e.domain(), Some("clarity"));
        assert_eq!(
            e.to_string(),
            "area \"Vale\": respondents \"sam\" and \"Sam\" both rated clarity in round \"baseline\", so they cannot be made one"
        );
        let e = data.rename_respondent("Vale", "jo", "Jo").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::GroupMismatch);
        assert_eq!(
            e.to_string(),
            "area \"Vale\": respondent \"jo\" is in group mental-health and \"Jo\" in group education, so they cannot be made one"
        );
        // Nothing changed.
        assert_eq!(data.area_respondent_ids("Vale").unwrap(), ["Sam", "sam", "Jo", "jo"]);
    }
}
