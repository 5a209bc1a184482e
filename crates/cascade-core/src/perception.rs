//! The perception gap: how far education's view of joint working is from mental health's,
//! and whether the two came closer between rounds. The Link Programme exists to close it.

use serde::{Deserialize, Serialize};

use crate::group::Group;
use crate::summary::{DomainSummary, RoundSummary};

impl DomainSummary {
    /// Education's mean rating minus mental health's, where both groups gave numeric
    /// ratings of the domain: positive when schools and colleges rate joint working higher.
    ///
    /// ```
    /// use cascade_core::{tidy, Framework};
    ///
    /// let csv = "area,round,respondent,group,domain,level\n\
    ///            Vale,baseline,a,education,clarity,4\n\
    ///            Vale,baseline,b,education,clarity,3\n\
    ///            Vale,baseline,c,mental-health,clarity,2\n";
    /// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
    /// let clarity = &data.summary().areas[0].rounds[0].domains[0];
    /// assert_eq!(clarity.perception_gap(), Some(1.5));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn perception_gap(&self) -> Option<f64> {
        let education = self.groups.get(&Group::Education)?;
        let mental_health = self.groups.get(&Group::MentalHealth)?;
        Some(education.mean - mental_health.mean)
    }
}

/// Whether education and mental health came closer on a domain between two rounds.
/// `Display` and [`as_str`](GapChange::as_str) give the word JSON uses, such as `narrowed`.
///
/// ```
/// use cascade_core::GapChange;
///
/// assert_eq!(GapChange::Narrowed.to_string(), "narrowed");
/// ```
///
/// More kinds of change may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GapChange {
    /// The gap is smaller at the later round.
    Narrowed,
    /// The gap is larger at the later round.
    Widened,
    /// The gap is the same size.
    Unchanged,
}

impl GapChange {
    /// The word for it in JSON: `narrowed`, `widened` or `unchanged`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            GapChange::Narrowed => "narrowed",
            GapChange::Widened => "widened",
            GapChange::Unchanged => "unchanged",
        }
    }
}

impl std::fmt::Display for GapChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One domain's perception gap at two rounds, made by [`perception_gaps`].
///
/// ```
/// use cascade_core::{perception_gaps, Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let area = Assessment::new("Vale", &fw).summary(&fw)?;
/// let gaps = perception_gaps(&area.rounds[0], &area.rounds[1]);
/// assert_eq!((gaps[0].domain.as_str(), gaps[0].from, gaps[0].change), ("clarity", None, None));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PerceptionGap {
    /// The domain id.
    pub domain: String,
    /// The gap at the earlier round; `None` unless both groups rated the domain then.
    pub from: Option<f64>,
    /// The gap at the later round.
    pub to: Option<f64>,
    /// Narrowed or widened, by the size of the gap whichever group is higher; `None` unless
    /// both rounds have a gap.
    pub change: Option<GapChange>,
}

/// The perception gap of every domain at two rounds of one area, in framework order.
///
/// ```
/// use cascade_core::{perception_gaps, tidy, Framework, GapChange};
///
/// let csv = "area,round,respondent,group,domain,level\n\
///            Vale,baseline,a,education,clarity,4\n\
///            Vale,baseline,c,mental-health,clarity,1\n\
///            Vale,followup,a,education,clarity,4\n\
///            Vale,followup,c,mental-health,clarity,3\n";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let area = &data.summary().areas[0];
/// let gaps = perception_gaps(&area.rounds[0], &area.rounds[1]);
/// assert_eq!((gaps[0].from, gaps[0].to, gaps[0].change), (Some(3.0), Some(1.0), Some(GapChange::Narrowed)));
/// assert_eq!(gaps[1].change, None); // nobody rated contact
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn perception_gaps(from: &RoundSummary, to: &RoundSummary) -> Vec<PerceptionGap> {
    from.domains
        .iter()
        .map(|d| {
            let before = d.perception_gap();
            let after = to.domains.iter().find(|t| t.domain == d.domain).and_then(DomainSummary::perception_gap);
            let change = match (before, after) {
                (Some(b), Some(a)) => Some(match a.abs().partial_cmp(&b.abs()) {
                    Some(std::cmp::Ordering::Less) => GapChange::Narrowed,
                    Some(std::cmp::Ordering::Greater) => GapChange::Widened,
                    _ => GapChange::Unchanged,
                }),
                _ => None,
            };
            PerceptionGap { domain: d.domain.clone(), from: before, to: after, change }
        })
        .collect()
}
