//! The framework an area is scored on: its domains and its level scale.

use serde::{Deserialize, Serialize};

use crate::error::Error;
#[cfg(feature = "json")]
use crate::error::What;
use crate::quote::Quoted;

/// The fewest levels a scale may have.
pub const MIN_LEVELS: usize = 2;
/// The most levels a scale may have; level codes must fit the compact tallies.
pub const MAX_LEVELS: usize = 10;

/// A scoring framework: the domains an area rates and the scale it rates them on.
///
/// The built-in [`Framework::cascade`] is the CASCADE framework of the Link Programme.
/// Others can be loaded from a framework file with [`Framework::from_json`]. Every way of
/// reading one, serde's `Deserialize` included, checks it with [`Framework::validate`], so a
/// framework read from a file always keeps the rules. One built in code, field by field,
/// should be checked with `validate` before use; the functions that score check it anyway.
///
/// The fields are public and the type is not `#[non_exhaustive]`: a framework file has
/// exactly these fields, and a new one would be a new file format, so a new major release.
///
/// ```
/// use cascade_core::Framework;
///
/// let fw = Framework::cascade();
/// assert_eq!(fw.id, "cascade");
/// assert_eq!(fw.domains.len(), 7);
/// assert_eq!(fw.scale(), 5);
/// assert_eq!(fw.domain("outcomes").map(|d| d.letter.as_str()), Some("C"));
/// assert_eq!(fw.levels[4].label, "Embedded");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "Unchecked")]
pub struct Framework {
    /// Short stable id, recorded in every assessment scored on this framework.
    pub id: String,
    /// Version of the wording and scale; recorded beside the id.
    pub version: String,
    /// Human-readable name.
    pub name: String,
    /// The scale, lowest level first; level `i + 1` is `levels[i]`.
    pub levels: Vec<Level>,
    /// The domains, in the order they are shown and reported.
    pub domains: Vec<Domain>,
}

/// One step of the scale.
///
/// ```
/// use cascade_core::Framework;
///
/// let fw = Framework::cascade();
/// let labels: Vec<&str> = fw.levels.iter().map(|l| l.label.as_str()).collect();
/// assert_eq!(labels, ["Not in place", "Emerging", "Developing", "Established", "Embedded"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Short label, such as "Embedded".
    pub label: String,
}

/// One domain of joint working that an area rates.
///
/// ```
/// use cascade_core::Framework;
///
/// let fw = Framework::cascade();
/// let clarity = fw.domain("clarity").unwrap();
/// assert_eq!(clarity.letter, "C");
/// assert_eq!(clarity.descriptors.len(), fw.levels.len());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Stable id used in files, such as `clarity`.
    pub id: String,
    /// The letter it gives the framework's acronym.
    pub letter: String,
    /// Full title.
    pub title: String,
    /// One sentence on what the domain is about.
    pub description: String,
    /// What each level looks like in this domain, lowest level first.
    pub descriptors: Vec<String>,
}

/// A reference to the framework an assessment was scored on: `{"id": "cascade", "version": "1"}`.
///
/// ```
/// use cascade_core::{Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let doc = Assessment::new("Vale", &fw);
/// assert_eq!(doc.framework, fw.reference());
/// assert_eq!((doc.framework.id.as_str(), doc.framework.version.as_str()), ("cascade", "1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    /// The framework's id.
    pub id: String,
    /// The framework's version.
    pub version: String,
}

mod unchecked {
    use super::{Deserialize, Domain, Level};

    /// A framework as it is read, before [`Framework::validate`]: what serde fills in.
    // Named as the public type, which is what serde's messages name.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Framework {
        pub(super) id: String,
        pub(super) version: String,
        pub(super) name: String,
        pub(super) levels: Vec<Level>,
        pub(super) domains: Vec<Domain>,
    }
}

use unchecked::Framework as Unchecked;

impl TryFrom<Unchecked> for Framework {
    type Error = Error;

    fn try_from(u: Unchecked) -> Result<Framework, Error> {
        let fw = Framework { id: u.id, version: u.version, name: u.name, levels: u.levels, domains: u.domains };
        fw.validate()?;
        Ok(fw)
    }
}

impl Framework {
    /// The built-in CASCADE framework: seven domains, five levels.
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// let letters: String = Framework::cascade().domains.iter().map(|d| d.letter.as_str()).collect();
    /// assert_eq!(letters, "CASCADE");
    /// ```
    #[must_use]
    pub fn cascade() -> Framework {
        // Statics, so the text is data the code reads rather than code that builds the tables.
        static LEVELS: [&str; 5] = ["Not in place", "Emerging", "Developing", "Established", "Embedded"];
        static DOMAINS: [(&str, &str, &str, &str, [&str; 5]); 7] = [
            (
                "clarity",
                "C",
                "Clarity on remit, roles and responsibilities of partner organisations",
                "Everyone knows what each partner does, what it does not do, and who decides.",
                [
                    "Partners are unsure what each other does or who is responsible for what.",
                    "Some staff know some partners' roles; much depends on who you ask.",
                    "Roles are written down and shared, but not yet used the same way everywhere.",
                    "Roles and limits are understood across most schools and services and used day to day.",
                    "Roles are clear to all, reviewed together, and new staff learn them from the start.",
                ],
            ),
            (
                "contact",
                "A",
                "Agreed best use of key points of contact in schools/colleges and mental health services",
                "Named people in schools, colleges and services know each other and how to reach each other.",
                [
                    "There are no named contacts; people find help by chance.",
                    "A few named contacts exist, but not everyone knows who they are.",
                    "Each school and service has a named contact, and the list is shared.",
                    "Contacts meet or speak regularly and the list is kept up to date.",
                    "Contacts are part of how everyone works, with cover when people move on.",
                ],
            ),
            (
                "structures",
                "S",
                "Structures to support shared planning and collaborative working",
                "Regular meetings, forums and agreements let partners plan together.",
                [
                    "Partners plan separately; there is no shared meeting or forum.",
                    "Partners meet now and then, usually about single cases.",
                    "A shared forum exists and meets, but not all partners come.",
                    "Partners plan together in a regular forum with agreed terms of reference.",
                    "Joint planning is routine, shapes commissioning and is reviewed every year.",
                ],
            ),
            (
                "outcomes",
                "C",
                "Common approach to outcome measures for children and young people",
                "Partners agree how they know whether children and young people are better off.",
                [
                    "Each partner measures outcomes its own way, or not at all.",
                    "Partners know what others measure, but nothing is shared.",
                    "Some common measures are agreed and tried in a few places.",
                    "Common measures are used across most schools and services and results are shared.",
                    "Shared outcome data routinely guides decisions and is reviewed together.",
                ],
            ),
            (
                "learning",
                "A",
                "Ability to continue to learn and draw on best practice",
                "Partners learn from each other, from evidence and from what went well or badly.",
                [
                    "There is no joint training or shared learning.",
                    "Occasional joint training happens, depending on individuals.",
                    "Joint training and shared learning are planned, but not yet regular.",
                    "Partners train and reflect together regularly and act on what they learn.",
                    "Learning together is built in, with time, budget and a way to spread good practice.",
                ],
            ),
            (
                "integration",
                "D",
                "Development of integrated working to promote rapid and better access to support",
                "Referral routes and joint work get children and young people the right help quickly.",
                [
                    "Referral routes are unclear and many referrals are bounced back.",
                    "Some routes are known, but access depends on who is asking.",
                    "Routes are agreed and written down; waiting and bounce-backs are still common.",
                    "Routes are used consistently; partners solve problems with cases together.",
                    "Access is quick and seamless, and the pathway is reviewed together with young people.",
                ],
            ),
            (
                "evidence",
                "E",
                "Evidence-based approach to intervention",
                "Support offered in schools and services draws on what is known to work.",
                [
                    "Support is chosen without reference to evidence.",
                    "Some staff know what works, but it is not shared.",
                    "Partners have agreed some evidence-based approaches and begun to use them.",
                    "Evidence-based approaches are used across most settings, with support from services.",
                    "Partners choose, deliver and review interventions together on the best evidence.",
                ],
            ),
        ];
        Framework {
            id: "cascade".to_owned(),
            version: "1".to_owned(),
            name: "CASCADE".to_owned(),
            levels: LEVELS.iter().map(|l| Level { label: (*l).to_owned() }).collect(),
            domains: DOMAINS
                .iter()
                .map(|(id, letter, title, description, descriptors)| Domain {
                    id: (*id).to_owned(),
                    letter: (*letter).to_owned(),
                    title: (*title).to_owned(),
                    description: (*description).to_owned(),
                    descriptors: descriptors.iter().map(|d| (*d).to_owned()).collect(),
                })
                .collect(),
        }
    }

    /// Reads a framework file and checks it with [`validate`](Framework::validate).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json) with the line and column for text that is
    /// not a framework (bad JSON, an unknown or missing field, a wrong type), and
    /// [`ErrorKind::InvalidFramework`](crate::ErrorKind::InvalidFramework) for one that breaks
    /// a rule.
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// let json = r#"{"id": "mini", "version": "1", "name": "Mini",
    ///   "levels": [{"label": "No"}, {"label": "Yes"}],
    ///   "domains": [{"id": "talk", "letter": "T", "title": "Talking",
    ///     "description": "We talk.", "descriptors": ["Rarely", "Often"]}]}"#;
    /// let fw = Framework::from_json(json)?;
    /// assert_eq!(fw.domains[0].id, "talk");
    ///
    /// let err = Framework::from_json(r#"{"id": "x"}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "framework: line 1, column 11: missing field `version`");
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json(text: &str) -> Result<Framework, Error> {
        let u: Unchecked = serde_json::from_str(text).map_err(|e| Error::json(What::Framework, &e))?;
        Framework::try_from(u)
    }

    /// Writes the framework file as pretty-printed JSON, which [`from_json`](Framework::from_json)
    /// reads back.
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// let fw = Framework::cascade();
    /// assert_eq!(Framework::from_json(&fw.to_json())?, fw);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    #[must_use]
    pub fn to_json(&self) -> String {
        // Plain structs with string keys always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the rules every framework must keep: ids unique and non-empty, 2 to 10 levels,
    /// one non-empty descriptor per level in every domain, no empty text.
    ///
    /// ```
    /// use cascade_core::{ErrorKind, Framework};
    ///
    /// let mut fw = Framework::cascade();
    /// fw.levels.truncate(1);
    /// let err = fw.validate().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidFramework);
    /// assert_eq!(err.to_string(), "framework: has 1 levels; a scale needs 2 to 10");
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidFramework`](crate::ErrorKind::InvalidFramework), naming the first
    /// rule broken and where; [`Error::domain`] names the domain, if the rule is about one.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |message: String| Err(Error::framework(message));
        if self.id.trim().is_empty() {
            return bad("id is empty".into());
        }
        if self.version.trim().is_empty() {
            return bad("version is empty".into());
        }
        if self.name.trim().is_empty() {
            return bad("name is empty".into());
        }
        for (field, value) in [("id", &self.id), ("version", &self.version)] {
            crate::ids::check_id(value).or_else(|m| bad(format!("{field} {} {m}", Quoted(value))))?;
        }
        crate::ids::check_name(&self.name, crate::ids::MAX_NAME_CHARS).or_else(|m| bad(format!("name {m}")))?;
        let n = self.levels.len();
        if !(MIN_LEVELS..=MAX_LEVELS).contains(&n) {
            return bad(format!("has {n} levels; a scale needs {MIN_LEVELS} to {MAX_LEVELS}"));
        }
        for (i, level) in self.levels.iter().enumerate() {
            if level.label.trim().is_empty() {
                return bad(format!("level {}: label is empty", i + 1));
            }
            crate::ids::check_name(&level.label, crate::ids::MAX_NAME_CHARS).or_else(|m| bad(format!("level {}: label {m}", i + 1)))?;
        }
        if self.domains.is_empty() {
            return bad("has no domains".into());
        }
        for (i, d) in self.domains.iter().enumerate() {
            self.check_domain(i, d, n).map_err(|m| Error::framework(m).in_domain(&d.id))?;
        }
        Ok(())
    }

    fn check_domain(&self, i: usize, d: &Domain, n: usize) -> Result<(), String> {
        let at = format!("domain {} ({})", i + 1, Quoted(&d.id));
        if d.id.trim().is_empty() {
            return Err(format!("domain {}: id is empty", i + 1));
        }
        if d.id != d.id.trim() || d.id.contains(',') {
            return Err(format!("{at}: id must not contain commas or surrounding spaces"));
        }
        crate::ids::check_id(&d.id).map_err(|m| format!("{at}: id {m}"))?;
        if d.id.eq_ignore_ascii_case("unsure") {
            return Err(format!("{at}: id \"unsure\" is reserved"));
        }
        if let Some(j) = self.domains[..i].iter().position(|o| o.id == d.id) {
            return Err(format!("{at}: id is also used by domain {}", j + 1));
        }
        for (field, value) in [("letter", &d.letter), ("title", &d.title), ("description", &d.description)] {
            if value.trim().is_empty() {
                return Err(format!("{at}: {field} is empty"));
            }
        }
        if d.descriptors.len() != n {
            return Err(format!(
                "{at}: has {} descriptors; the scale has {n} levels",
                d.descriptors.len()
            ));
        }
        if let Some(l) = d.descriptors.iter().position(|t| t.trim().is_empty()) {
            return Err(format!("{at}: descriptor for level {} is empty", l + 1));
        }
        for (field, value, max) in [("letter", &d.letter, 8), ("title", &d.title, crate::ids::MAX_NAME_CHARS)] {
            crate::ids::check_name(value, max).map_err(|m| format!("{at}: {field} {m}"))?;
        }
        for value in std::iter::once(&d.description).chain(&d.descriptors) {
            crate::ids::check_len(value, crate::ids::MAX_TEXT_CHARS).map_err(|m| format!("{at}: a description {m}"))?;
        }
        Ok(())
    }

    /// A domain by id.
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// let fw = Framework::cascade();
    /// assert_eq!(fw.domain("evidence").map(|d| d.title.as_str()), Some("Evidence-based approach to intervention"));
    /// assert!(fw.domain("Evidence").is_none());
    /// ```
    #[must_use]
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// The position of a domain in the framework, by id: the index of its figures in
    /// [`RoundSummary::domains`](crate::RoundSummary::domains) and
    /// [`AreaComparison::domains`](crate::AreaComparison::domains).
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// assert_eq!(Framework::cascade().domain_index("outcomes"), Some(3));
    /// ```
    #[must_use]
    pub fn domain_index(&self, id: &str) -> Option<usize> {
        self.domains.iter().position(|d| d.id == id)
    }

    /// The number of levels on the scale, which is the highest level.
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// assert_eq!(Framework::cascade().scale(), 5);
    /// ```
    #[must_use]
    pub fn scale(&self) -> u8 {
        // validate() bounds this to 10; a larger unchecked scale is cut to what fits.
        u8::try_from(self.levels.len()).unwrap_or(u8::MAX)
    }

    /// The reference recorded in assessments scored on this framework.
    ///
    /// ```
    /// use cascade_core::Framework;
    ///
    /// let r = Framework::cascade().reference();
    /// assert_eq!((r.id.as_str(), r.version.as_str()), ("cascade", "1"));
    /// ```
    #[must_use]
    pub fn reference(&self) -> FrameworkRef {
        FrameworkRef { id: self.id.clone(), version: self.version.clone() }
    }

    /// The domain ids, comma-separated, for error messages.
    pub(crate) fn domain_list(&self) -> String {
        crate::quote::joined(self.domains.iter().map(|d| d.id.as_str()))
    }
}

impl Default for Framework {
    fn default() -> Self {
        Framework::cascade()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_matches_the_contract() {
        let fw = Framework::cascade();
        let ids: Vec<&str> = fw.domains.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["clarity", "contact", "structures", "outcomes", "learning", "integration", "evidence"]
        );
        let letters: String = fw.domains.iter().map(|d| d.letter.as_str()).collect();
        assert_eq!(letters, "CASCADE");
        assert_eq!(fw.domains[1].title, "Agreed best use of key points of contact in schools/colleges and mental health services");
        assert_eq!(fw.levels.len(), 5);
        fw.validate().unwrap();
    }

    fn check(edit: impl FnOnce(&mut Framework), message: &str) {
        let mut fw = Framework::cascade();
        edit(&mut fw);
        assert_eq!(fw.validate().unwrap_err().to_string(), message);
    }

    #[test]
    fn validation_messages() {
        check(|f| f.id = " ".into(), "framework: id is empty");
        check(|f| f.levels.truncate(1), "framework: has 1 levels; a scale needs 2 to 10");
        check(
            |f| f.levels = vec![Level { label: "x".into() }; 11],
            "framework: has 11 levels; a scale needs 2 to 10",
        );
        check(|f| f.levels[2].label.clear(), "framework: level 3: label is empty");
        check(|f| f.domains.clear(), "framework: has no domains");
        check(
            |f| f.domains[3].id = "clarity".into(),
            "framework: domain 4 (\"clarity\"): id is also used by domain 1",
        );
        check(|f| f.domains[2].title = "".into(), "framework: domain 3 (\"structures\"): title is empty");
        check(
            |f| {
                f.domains[0].descriptors.pop();
            },
            "framework: domain 1 (\"clarity\"): has 4 descriptors; the scale has 5 levels",
        );
        check(
            |f| f.domains[6].descriptors[1] = " ".into(),
            "framework: domain 7 (\"evidence\"): descriptor for level 2 is empty",
        );
        check(
            |f| f.domains[0].id = "a,b".into(),
            "framework: domain 1 (\"a,b\"): id must not contain commas or surrounding spaces",
        );
        check(|f| f.domains[0].id = "Unsure".into(), "framework: domain 1 (\"Unsure\"): id \"unsure\" is reserved");
    }

    #[cfg(feature = "json")]
    #[test]
    fn json_round_trip_and_unknown_fields() {
        let fw = Framework::cascade();
        let text = serde_json::to_string(&fw).unwrap();
        assert_eq!(Framework::from_json(&text).unwrap(), fw);
        let bad = text.replacen("\"name\"", "\"colour\":1,\"name\"", 1);
        let err = Framework::from_json(&bad).unwrap_err().to_string();
        assert_eq!(err, "framework: line 1, column 38: unknown field `colour`, expected one of `id`, `version`, `name`, `levels`, `domains`");
    }
}
