//! WebAssembly bindings of `cascade-core`: one handle type, [`Session`], and plain functions.
//!
//! This crate converts and delegates. Scoring, validation, import, export and charts all
//! live in `cascade-core`; errors become JS `Error`s carrying the core's message.

#![forbid(unsafe_code)]

use cascade_core::chart::{self, Series, SeriesStyle};
use cascade_core::__private::{check_schema_version, read_assessments_bytes, Quoted};
use cascade_core::{tidy, Edit, Framework, Group, Score};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[doc(hidden)]
pub mod convert;

/// Talc rather than the default dlmalloc: the same job in 7 KB less of the module.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The one error mapping: every failure reaches JS as an `Error` with the core's message.
fn fail(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// Core value to a plain JS value: objects for maps, `null` for missing values.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    convert::to_js(value).map_err(fail)
}

/// The message of a JS error, without the "Error: " its text form starts with.
fn message_of(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default()
}

fn parse_json(what: &str, text: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(text).map_err(|e| fail(format!("{what}: not valid JSON: {}", message_of(e))))
}

/// The changes `apply` takes, by `op`, with their fields.
const OPS: [(&str, &[&str]); 15] = [
    ("set_area", &["area"]),
    ("add_round", &["label", "date"]),
    ("set_round", &["id", "label", "date"]),
    ("remove_round", &["id"]),
    ("add_respondent", &["id", "group"]),
    ("set_respondent", &["id", "group"]),
    ("remove_respondent", &["id"]),
    ("set_rating", &["round", "respondent", "domain", "level"]),
    ("set_tally", &["round", "domain", "group", "counts", "unsure"]),
    ("set_agreed", &["round", "domain", "level"]),
    ("set_target", &["domain", "level"]),
    ("set_note", &["domain", "text"]),
    ("add_action", &["domain", "action", "owner", "due"]),
    ("set_action", &["index", "domain", "action", "owner", "due"]),
    ("remove_action", &["index"]),
];

/// Reads an edit object field by field. Written out rather than derived: serde's code for an
/// internally tagged enum was the largest single part of the module (about 24 KB).
fn edit_of(v: &JsValue, scale: usize) -> Result<Edit, JsError> {
    let op = get(v, "op").as_string().ok_or_else(|| fail("change: `op` must name the change, such as \"set_agreed\""))?;
    // Position in OPS, so the second dispatch below compares numbers, not strings.
    let Some(kind) = OPS.iter().position(|(name, _)| *name == op) else {
        return Err(fail(format!("change: unknown op \"{op}\"")));
    };
    let fields = OPS[kind].1;
    if !v.is_object() {
        return Err(fail("change: expected an object such as {op: \"set_agreed\", ...}"));
    }
    for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if key != "op" && !fields.contains(&key.as_str()) {
            return Err(fail(format!("change: unknown field `{key}` for {op}; expected {}", cascade_core::__private::joined_by(fields.iter().copied(), ", "))));
        }
    }
    let text = |k: &str| get(v, k).as_string().ok_or_else(|| fail(format!("change: `{k}` of {op} must be text")));
    let maybe_text = |k: &str| {
        let x = get(v, k);
        if x.is_undefined() || x.is_null() { Ok(None) } else { text(k).map(Some) }
    };
    let whole = |k: &str| -> Result<Option<u32>, JsError> {
        let x = get(v, k);
        if x.is_undefined() || x.is_null() {
            return Ok(None);
        }
        match x.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(Some(n as u32)),
            _ => Err(fail(format!("change: `{k}` of {op} must be a whole number"))),
        }
    };
    // The core's levels are bytes; a larger number is refused here, naming the number given.
    let level = |k: &str| -> Result<Option<u8>, JsError> {
        whole(k)?
            .map(|n| u8::try_from(n).map_err(|_| fail(format!("change: level {n} of {op} is not on the scale 1 to {scale}"))))
            .transpose()
    };
    let group = || -> Result<Group, JsError> {
        match maybe_text("group")? {
            None => Ok(Group::Other),
            Some(g) => Group::parse(&g).ok_or_else(|| fail(format!("change: unknown group \"{g}\""))),
        }
    };
    Ok(match kind {
        0 => Edit::SetArea { area: text("area")? },
        1 => Edit::AddRound { label: text("label")?, date: maybe_text("date")? },
        2 => Edit::SetRound { id: text("id")?, label: text("label")?, date: maybe_text("date")? },
        3 => Edit::RemoveRound { id: text("id")? },
        4 => Edit::AddRespondent { id: maybe_text("id")?, group: group()? },
        5 => Edit::SetRespondent { id: text("id")?, group: group()? },
        6 => Edit::RemoveRespondent { id: text("id")? },
        7 => {
            let level = match get(v, "level").as_string() {
                Some(t) if t == "unsure" => Some(Score::Unsure),
                Some(t) => return Err(fail(format!("change: level \"{t}\" must be a number or \"unsure\""))),
                None => level("level")?.map(Score::Level),
            };
            Edit::SetRating { round: text("round")?, respondent: text("respondent")?, domain: text("domain")?, level }
        }
        8 => {
            let list = get(v, "counts");
            if !js_sys::Array::is_array(&list) {
                return Err(fail("change: `counts` of set_tally must be a list of whole numbers"));
            }
            let mut counts = Vec::new();
            for c in list.unchecked_ref::<js_sys::Array>().iter() {
                match c.as_f64() {
                    Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => counts.push(n as u32),
                    _ => return Err(fail("change: `counts` of set_tally must be a list of whole numbers")),
                }
            }
            Edit::SetTally {
                round: text("round")?,
                domain: text("domain")?,
                group: group()?,
                counts,
                unsure: whole("unsure")?.unwrap_or(0),
            }
        }
        9 => Edit::SetAgreed { round: text("round")?, domain: text("domain")?, level: level("level")? },
        10 => Edit::SetTarget { domain: text("domain")?, level: level("level")? },
        11 => Edit::SetNote { domain: text("domain")?, text: text("text")? },
        12 => Edit::AddAction {
            domain: text("domain")?,
            action: text("action")?,
            owner: maybe_text("owner")?.unwrap_or_default(),
            due: maybe_text("due")?,
        },
        13 => Edit::SetAction {
            index: whole("index")?.ok_or_else(|| fail("change: `index` of set_action must be a whole number"))? as usize,
            domain: text("domain")?,
            action: text("action")?,
            owner: maybe_text("owner")?.unwrap_or_default(),
            due: maybe_text("due")?,
        },
        _ => Edit::RemoveAction {
            index: whole("index")?.ok_or_else(|| fail("change: `index` of remove_action must be a whole number"))? as usize,
        },
    })
}

/// Text for JS, made there from UTF-8. Returned as a JS string rather than a `String`: each
/// `String` result costs its own block of glue code to copy it out and free it.
fn text(s: &str) -> js_sys::JsString {
    s.into()
}

/// A list of strings, refused as wasm-bindgen refuses a `Vec<String>` argument. Read here
/// rather than by wasm-bindgen, whose glue for it is larger than this.
fn texts(list: &JsValue) -> Result<Vec<String>, JsError> {
    let wrong = || fail("array contains a value of the wrong type");
    if !js_sys::Array::is_array(list) {
        return Err(wrong());
    }
    list.unchecked_ref::<js_sys::Array>().iter().map(|v| v.as_string().ok_or_else(wrong)).collect()
}

/// A document's everything but its ratings, which are not copied.
fn head(doc: &cascade_core::Assessment) -> cascade_core::Assessment {
    cascade_core::Assessment {
        schema_version: doc.schema_version,
        framework: doc.framework.clone(),
        area: doc.area.clone(),
        rounds: doc.rounds.clone(),
        respondents: doc.respondents.clone(),
        ratings: Vec::new(),
        tallies: doc.tallies.clone(),
        agreed: doc.agreed.clone(),
        targets: doc.targets.clone(),
        notes: doc.notes.clone(),
        actions: doc.actions.clone(),
    }
}

/// Text made here, for JS.
fn text_of(s: String) -> js_sys::JsString {
    text(&s)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `undefined` or `null` means the built-in CASCADE framework.
fn framework_of(value: JsValue) -> Result<Framework, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Framework::cascade());
    }
    let fw = convert::framework(&value).map_err(|e| fail(format!("framework: {e}")))?;
    fw.validate().map_err(fail)?;
    Ok(fw)
}

/// TypeScript types of the values that cross into JS, emitted into `cascade_wasm.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Stakeholder groups. */
export type Group = "education" | "mental-health" | "commissioner" | "local-authority" | "voluntary-sector" | "other";
/** A level from 1 to the top of the scale, or "unsure". */
export type Score = number | "unsure";
export interface Domain { id: string; letter: string; title: string; description: string; descriptors: string[]; }
export interface Framework { id: string; version: string; name: string; levels: { label: string }[]; domains: Domain[]; }
/** The assessment document, schema_version 1 (docs/assessment.schema.json). */
export interface Assessment {
  schema_version: 1;
  framework: { id: string; version: string };
  area: string;
  rounds: { id: string; label: string; date?: string | null }[];
  respondents: { id: string; group: Group }[];
  ratings: { round: string; respondent?: string | null; group: Group; domain: string; level: Score }[];
  tallies: { round: string; domain: string; group: Group; counts: number[]; unsure: number }[];
  agreed: { round: string; domain: string; level: number }[];
  targets: { domain: string; level: number }[];
  notes: { domain: string; text: string }[];
  actions: { domain: string; action: string; owner: string; due?: string | null }[];
}
/** One change; `apply` refuses an invalid one and changes nothing. */
export type Edit =
  | { op: "set_area"; area: string }
  | { op: "add_round"; label: string; date?: string | null }
  | { op: "set_round"; id: string; label: string; date?: string | null }
  | { op: "remove_round"; id: string }
  | { op: "add_respondent"; id?: string | null; group?: Group }
  | { op: "set_respondent"; id: string; group: Group }
  | { op: "remove_respondent"; id: string }
  | { op: "set_rating"; round: string; respondent: string; domain: string; level: Score | null }
  | { op: "set_tally"; round: string; domain: string; group?: Group; counts: number[]; unsure?: number }
  | { op: "set_agreed"; round: string; domain: string; level: number | null }
  | { op: "set_target"; domain: string; level: number | null }
  | { op: "set_note"; domain: string; text: string }
  | { op: "add_action"; domain: string; action: string; owner?: string; due?: string | null }
  | { op: "set_action"; index: number; domain: string; action: string; owner?: string; due?: string | null }
  | { op: "remove_action"; index: number };
export interface GroupSummary { n: number; mean: number; median: number; }
/** One domain in one round, as the scoring contract defines it; statistics are null when n = 0. */
export interface DomainSummary {
  domain: string; n: number; unsure: number; counts: number[];
  mean: number | null; median: number | null; min: number | null; max: number | null; sd: number | null;
  agreement: number | null; split: boolean; headline: number | null;
  agreed: number | null; target: number | null; gap: number | null;
  groups: Partial<Record<Group, GroupSummary>>;
}
export interface RoundSummary { round: string; coverage: number; overall: number | null; domains: DomainSummary[]; }
export interface AreaSummary { area: string; rounds: RoundSummary[]; }
export interface Point { headline: number | null; mean: number | null; n: number; }
export interface DomainComparison {
  domain: string; from: Point; to: Point; delta: number | null; mean_delta: number | null;
  direction: "improved" | "declined" | "unchanged" | "unknown";
  paired: { n: number; improved: number; unchanged: number; declined: number; p_value: number };
  target: number | null; gap: number | null;
}
/** Education's mean minus mental health's, per domain, at two rounds, and whether it narrowed. */
export interface PerceptionGap { domain: string; from: number | null; to: number | null; change: "narrowed" | "widened" | "unchanged" | null; }
export interface AreaComparison {
  area: string; domains: DomainComparison[];
  overall: { from: number | null; to: number | null; delta: number | null };
}
"#;

/// The built-in CASCADE framework, as a plain object.
#[wasm_bindgen(js_name = builtinFramework, unchecked_return_type = "Framework")]
pub fn builtin_framework() -> Result<JsValue, JsError> {
    to_js(&Framework::cascade())
}

/// Reads and validates a framework file's text.
#[wasm_bindgen(js_name = parseFramework, unchecked_return_type = "Framework")]
pub fn parse_framework(text: &str) -> Result<JsValue, JsError> {
    let fw = framework_of(parse_json("framework", text)?)?;
    to_js(&fw)
}

/// Every area of a tidy CSV file, checked, as a tidy CSV text of its own, in order of first
/// appearance. For the page's import worker, which hands the texts to the page.
#[wasm_bindgen(js_name = csvDocuments, unchecked_return_type = "string[]")]
pub fn csv_documents(
    csv: &str,
    #[wasm_bindgen(unchecked_param_type = "Framework | undefined")] framework: JsValue,
) -> Result<js_sys::Array, JsError> {
    let fw = framework_of(framework)?;
    let docs = tidy::read_assessments_bytes(csv.as_bytes(), &fw).map_err(fail)?;
    if docs.is_empty() {
        return Err(fail("the file has a header but no ratings"));
    }
    // Each area as tidy CSV of its own: the page opens it with `Session.fromCsv`, which is
    // far quicker than reading the same document from JSON through JS values.
    let out = js_sys::Array::new();
    for doc in &docs {
        out.push(&text(&tidy::to_string(std::slice::from_ref(doc))));
    }
    Ok(out)
}

/// An assessment being scored: every change is checked, saved state is a JSON document.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Session {
    inner: cascade_core::Session,
}

#[wasm_bindgen]
impl Session {
    /// A new assessment with one round per label.
    pub fn create(
        area: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] rounds: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Framework | undefined")] framework: JsValue,
    ) -> Result<Session, JsError> {
        let rounds = texts(&rounds)?;
        let inner = cascade_core::Session::create(area, &rounds, &framework_of(framework)?).map_err(fail)?;
        Ok(Session { inner })
    }

    /// Opens an assessment JSON document.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "Framework | undefined")] framework: JsValue,
    ) -> Result<Session, JsError> {
        let value = parse_json("assessment", text)?;
        // Not an object at all: let the reader say so, not the version check.
        if value.is_object() {
            let version = js_sys::Reflect::get(&value, &"schema_version".into()).ok().filter(|v| !v.is_undefined());
            check_schema_version(
                version.map(|v| v.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64)),
            )
            .map_err(fail)?;
        }
        let doc = convert::assessment(&value).map_err(|e| fail(format!("assessment: {e}")))?;
        let inner = cascade_core::Session::new(doc, &framework_of(framework)?).map_err(fail)?;
        Ok(Session { inner })
    }

    /// Opens the first area of a tidy CSV file.
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "Framework | undefined")] framework: JsValue,
    ) -> Result<Session, JsError> {
        let fw = framework_of(framework)?;
        let mut docs = read_assessments_bytes(text.as_bytes(), &fw).map_err(fail)?;
        if docs.is_empty() {
            return Err(fail("the file has a header but no ratings"));
        }
        let inner = cascade_core::Session::new(docs.swap_remove(0), &fw).map_err(fail)?;
        Ok(Session { inner })
    }

    /// The assessment document as JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> Result<js_sys::JsString, JsError> {
        let value = to_js(self.inner.document())?;
        let text = js_sys::JSON::stringify_with_replacer_and_space(&value, &JsValue::NULL, &JsValue::from(2))
            .map_err(|_| fail("the document cannot be written as JSON"))?;
        Ok(text)
    }

    /// The ratings as tidy CSV.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> js_sys::JsString {
        text(&tidy::to_string(std::slice::from_ref(self.inner.document())))
    }

    /// The assessment document as a plain object.
    #[wasm_bindgen(unchecked_return_type = "Assessment")]
    pub fn document(&self) -> Result<JsValue, JsError> {
        let doc = self.inner.document();
        if doc.ratings.len() < 256 {
            return to_js(doc);
        }
        // Ratings are most of a big document. Written as JSON text and parsed by the browser,
        // 70,000 of them take a tenth of the time that setting each field from here takes.
        let value = to_js(&head(doc))?;
        let ratings = js_sys::JSON::parse(&convert::ratings_json(&doc.ratings))
            .map_err(|_| fail("the ratings cannot be written as JSON"))?;
        js_sys::Reflect::set(&value, &"ratings".into(), &ratings).map_err(|_| fail("the document cannot be written"))?;
        Ok(value)
    }

    /// The document without its ratings (`ratings` is empty): what a page re-reads after
    /// each change, since the ratings of thousands of people are most of the document.
    /// Their levels come from `ratingsOf` and `ratingCounts`, the whole text from `documentJson`.
    #[wasm_bindgen(js_name = documentHead, unchecked_return_type = "Assessment")]
    pub fn document_head(&self) -> Result<JsValue, JsError> {
        to_js(&head(self.inner.document()))
    }

    /// The whole document as compact JSON text, as `JSON.stringify` writes `document()`: for
    /// keeping it, without making each rating a JS object first.
    #[wasm_bindgen(js_name = documentJson)]
    pub fn document_json(&self) -> Result<js_sys::JsString, JsError> {
        let doc = self.inner.document();
        let text = String::from(
            js_sys::JSON::stringify(&to_js(&head(doc))?).map_err(|_| fail("the document cannot be written as JSON"))?,
        );
        // The head's `"ratings":[]` is the one place that text can hold it: inside a string a
        // quote is escaped.
        const EMPTY: &str = "\"ratings\":[]";
        // Found byte by byte: `str::find` would bring its searcher into the module (1.5 KB).
        let at = text
            .as_bytes()
            .windows(EMPTY.len())
            .position(|w| w == EMPTY.as_bytes())
            .ok_or_else(|| fail("the document cannot be written as JSON"))?;
        // Cut with `get`, not by slicing: a slice's check would bring the panic message's
        // `{:?}` of a char, and with it Unicode's tables, into the module (3.7 KB gzip).
        let cut = || fail("the document cannot be written as JSON");
        let (before, after) = (text.get(..at).ok_or_else(cut)?, text.get(at + EMPTY.len()..).ok_or_else(cut)?);
        let mut out = String::with_capacity(text.len() + doc.ratings.len() * 80);
        out.push_str(before);
        out.push_str("\"ratings\":");
        out.push_str(&convert::ratings_json(&doc.ratings));
        out.push_str(after);
        Ok(text_of(out))
    }

    /// What each of `respondents` rated in `round`: for each person in turn, one entry per
    /// domain in the framework's order, a level, "unsure" or null.
    #[wasm_bindgen(js_name = ratingsOf, unchecked_return_type = "(Score | null)[]")]
    pub fn ratings_of(
        &self,
        round: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] respondents: JsValue,
    ) -> Result<js_sys::Array, JsError> {
        let people = texts(&respondents)?;
        let out = js_sys::Array::new();
        for score in self.inner.ratings_of(round, &people) {
            out.push(&match score {
                None => JsValue::NULL,
                Some(Score::Level(l)) => JsValue::from(l),
                Some(_) => JsValue::from_str("unsure"),
            });
        }
        Ok(out)
    }

    /// How many ratings `round` holds for each domain, in the framework's order.
    #[wasm_bindgen(js_name = ratingCounts, unchecked_return_type = "number[]")]
    pub fn rating_counts(&self, round: &str) -> js_sys::Array {
        self.inner.rating_counts(round).into_iter().map(|n| JsValue::from(n as u32)).collect()
    }

    /// The framework, as a plain object.
    #[wasm_bindgen(unchecked_return_type = "Framework")]
    pub fn framework(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.framework())
    }

    /// Applies one change (`{op: "set_agreed", ...}`); throws and changes nothing if invalid.
    pub fn apply(&mut self, #[wasm_bindgen(unchecked_param_type = "Edit")] edit: JsValue) -> Result<(), JsError> {
        let edit = edit_of(&edit, self.inner.framework().levels.len())?;
        self.inner.apply(edit).map_err(fail)
    }

    /// Applies several changes as one step of undo; throws and changes nothing if any is invalid.
    #[wasm_bindgen(js_name = applyAll)]
    pub fn apply_all(&mut self, #[wasm_bindgen(unchecked_param_type = "Edit[]")] edits: JsValue) -> Result<(), JsError> {
        if !js_sys::Array::is_array(&edits) {
            return Err(fail("changes: expected a list of changes"));
        }
        let scale = self.inner.framework().levels.len();
        let edits = edits.unchecked_ref::<js_sys::Array>().iter().map(|e| edit_of(&e, scale)).collect::<Result<Vec<_>, _>>()?;
        self.inner.apply_all(edits).map_err(fail)
    }

    /// Undoes the last change.
    pub fn undo(&mut self) -> bool {
        self.inner.undo()
    }

    /// Redoes the last undone change.
    pub fn redo(&mut self) -> bool {
        self.inner.redo()
    }

    /// Whether there is a change to undo.
    #[wasm_bindgen(js_name = canUndo)]
    pub fn can_undo(&self) -> bool {
        self.inner.can_undo()
    }

    /// Whether there is a change to redo.
    #[wasm_bindgen(js_name = canRedo)]
    pub fn can_redo(&self) -> bool {
        self.inner.can_redo()
    }

    /// Statistics of every round, as the scoring contract defines them.
    #[wasm_bindgen(unchecked_return_type = "AreaSummary")]
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.summary())
    }

    /// The change from one round to another.
    #[wasm_bindgen(unchecked_return_type = "AreaComparison")]
    pub fn compare(&self, from: &str, to: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.compare(from, to).map_err(fail)?)
    }

    /// Radar chart of the rounds' headlines, the first as baseline, the second as follow-up.
    #[wasm_bindgen(js_name = radarSvg)]
    pub fn radar_svg(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] rounds: JsValue,
        with_target: bool,
    ) -> Result<js_sys::JsString, JsError> {
        let rounds = texts(&rounds)?;
        let summary = self.inner.summary();
        let doc = self.inner.document();
        let mut series = Vec::new();
        for (i, id) in rounds.iter().enumerate() {
            let (Some(r), Some(meta)) =
                (summary.rounds.iter().find(|r| &r.round == id), doc.rounds.iter().find(|r| &r.id == id))
            else {
                continue;
            };
            let style = match i {
                0 => SeriesStyle::Baseline,
                1 => SeriesStyle::Followup,
                n => SeriesStyle::Other(n as u8 - 2),
            };
            series.push(Series::headlines(&meta.label, r, style));
        }
        if let (true, Some(first)) = (with_target, summary.rounds.first()) {
            if first.domains.iter().any(|d| d.target.is_some()) {
                series.push(Series::targets("Target", first));
            }
        }
        Ok(text(&chart::radar(self.inner.framework(), &series)))
    }

    /// Per-domain change chart from one round to another.
    #[wasm_bindgen(js_name = changeSvg)]
    pub fn change_svg(&self, from: &str, to: &str) -> Result<js_sys::JsString, JsError> {
        let cmp = self.inner.compare(from, to).map_err(fail)?;
        let label = |id: &'_ str| self.inner.document().round(id).map_or("", |r| r.label.as_str());
        Ok(text(&chart::change(self.inner.framework(), &cmp, label(from), label(to))))
    }

    /// Distribution of one domain's ratings in one round.
    #[wasm_bindgen(js_name = distributionSvg)]
    pub fn distribution_svg(&self, round: &str, domain: &str) -> Result<js_sys::JsString, JsError> {
        let summary = self.inner.summary();
        let r = summary.round(round).ok_or_else(|| fail(format!("there is no round {}", Quoted(round))))?;
        let d = r.domain(domain).ok_or_else(|| fail(format!("there is no domain {}", Quoted(domain))))?;
        Ok(text(&chart::distribution(self.inner.framework(), d)))
    }

    /// The education and mental-health perception gap of every domain at two rounds.
    #[wasm_bindgen(js_name = perceptionGaps, unchecked_return_type = "PerceptionGap[]")]
    pub fn perception_gaps(&self, from: &str, to: &str) -> Result<JsValue, JsError> {
        let summary = self.inner.summary();
        let round = |id: &str| summary.rounds.iter().find(|r| r.round == id).ok_or_else(|| fail(format!("there is no round {}", Quoted(id))));
        to_js(&cascade_core::perception_gaps(round(from)?, round(to)?))
    }

    /// Education against mental health views, per domain, in one round.
    #[wasm_bindgen(js_name = groupGapSvg)]
    pub fn group_gap_svg(&self, round: &str) -> Result<js_sys::JsString, JsError> {
        let summary = self.inner.summary();
        let r = summary.round(round).ok_or_else(|| fail(format!("there is no round {}", Quoted(round))))?;
        Ok(text(&chart::group_gap(self.inner.framework(), r)))
    }
}
