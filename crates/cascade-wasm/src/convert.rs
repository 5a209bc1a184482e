//! Core values to plain JS values and back.
//!
//! Written here rather than taken from `serde-wasm-bindgen`, which was the largest part of the
//! module: this does only what the core's types need. Values are written through the core's
//! serde derives and become plain objects, arrays, strings, numbers and `null` (the shapes
//! `serde_wasm_bindgen::Serializer::json_compatible` gave). Documents and frameworks are read
//! back by hand, one small function per type, with serde_json's messages for missing, unknown
//! and mistyped fields (`tests/web.rs` checks them against serde_json). No float is ever
//! formatted in Rust: that would pull in the float printing code, the largest single function
//! of the module, so a float in a message is printed by JS.

use std::fmt;

use cascade_core::{
    Action, Agreed, Assessment, Domain, Framework, FrameworkRef, Group, Level, Note, Rating, Respondent, Round, Score,
    Tally, Target,
};
use cascade_core::__private::{joined_by, Quoted};
use js_sys::{Array, Object, Reflect};
use serde::ser::{self, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// A value that cannot be read or written; the message is serde's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// A float as serde writes it in messages, `2.5` or `3.0`, printed by JS's `Number#toString`.
fn float_text(v: f64) -> String {
    let mut text: String = js_sys::Number::from(v).to_string_with_radix(10).map(String::from).unwrap_or_default();
    if v.is_finite() && !text.contains(['.', 'e']) {
        text.push_str(".0");
    }
    text
}

/// A core value as a plain JS value: objects for structs and maps, arrays for sequences,
/// `null` for `None`, strings for unit variants such as a [`Group`](cascade_core::Group).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value.serialize(Ser).map_err(|e| Error(e.to_string()))
}

/// What the core's types never hold: bytes, tuple and struct variants. Carries no message,
/// so every step of writing a value returns a plain value.
#[derive(Debug)]
struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value cannot be converted to a JS value")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

struct Ser;

/// An array being filled.
struct Seq(Array);

/// An object being filled, with the key waiting for its value.
struct Map(Object, JsValue);

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A plain object being written.
    type Plain;
    /// `obj[key] = value`. Setting a property of a plain object cannot throw, so this skips the
    /// exception guard `Reflect.set` is bound with.
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn put(this: &Plain, key: &JsValue, value: &JsValue);
}

fn set(obj: &Object, key: &JsValue, value: &JsValue) {
    obj.unchecked_ref::<Plain>().put(key, value);
}

impl ser::Serializer for Ser {
    type Ok = JsValue;
    type Error = Unsupported;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = ser::Impossible<JsValue, Unsupported>;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = ser::Impossible<JsValue, Unsupported>;

    // Shorter than serde's versions, which go through `serialize_seq` with a length hint:
    // there is one copy of this per element type.
    fn collect_seq<I>(self, items: I) -> Result<JsValue, Unsupported>
    where
        I: IntoIterator,
        I::Item: Serialize,
    {
        let array = Array::new();
        for item in items {
            array.push(&item.serialize(Ser)?);
        }
        Ok(array.into())
    }

    fn serialize_bool(self, v: bool) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result<JsValue, Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<JsValue, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<JsValue, Unsupported> {
        Ok(JsValue::NULL)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue, Unsupported> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<JsValue, Unsupported> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<JsValue, Unsupported> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<JsValue, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsValue, Unsupported> {
        let obj = Object::new();
        set(&obj, &JsValue::from_str(variant), &value.serialize(self)?);
        Ok(obj.into())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq, Unsupported> {
        Ok(Seq(Array::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq, Unsupported> {
        Ok(Seq(Array::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq, Unsupported> {
        Ok(Seq(Array::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map, Unsupported> {
        Ok(Map(Object::new(), JsValue::UNDEFINED))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Map, Unsupported> {
        Ok(Map(Object::new(), JsValue::UNDEFINED))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.0.push(&value.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.0.into())
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.0.into())
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.0.into())
    }
}

impl ser::SerializeMap for Map {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.1 = key.serialize(Ser)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        set(&self.0, &self.1, &value.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.0.into())
    }
}

impl ser::SerializeStruct for Map {
    type Ok = JsValue;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Unsupported> {
        set(&self.0, &JsValue::from_str(key), &value.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, Unsupported> {
        Ok(self.0.into())
    }
}

// Reading documents. Written out per type rather than through serde's derived `Deserialize`,
// which was over 30 KB of the module: each struct here is one closure over its fields.
// The messages are serde's, as `serde_json` gives them without the line and column, and the
// order is serde's: fields in the order the object has them, then missing fields.

/// What a JS value is, in the words of serde's messages.
fn describe(v: &JsValue) -> String {
    if v.is_null() || v.is_undefined() {
        "null".into()
    } else if let Some(b) = v.as_bool() {
        format!("boolean `{b}`")
    } else if let Some(n) = v.as_f64() {
        match whole(n) {
            Some(i) => format!("integer `{i}`"),
            None => format!("floating point `{}`", float_text(n)),
        }
    } else if let Some(s) = v.as_string() {
        format!("string {}", Quoted(&s))
    } else if Array::is_array(v) {
        "sequence".into()
    } else {
        "map".into()
    }
}

/// A number that is a safe integer, as `JSON.parse` gives for both `3` and `3.0`.
fn whole(n: f64) -> Option<i64> {
    (n.trunc() == n && n.abs() <= 9_007_199_254_740_991.0).then_some(n as i64)
}

#[cold]
fn invalid_type(v: &JsValue, expected: &str) -> Error {
    Error(format!("invalid type: {}, expected {expected}", describe(v)))
}

#[cold]
fn invalid_value(v: &JsValue, expected: &str) -> Error {
    Error(format!("invalid value: {}, expected {expected}", describe(v)))
}

/// Reads an object's fields in the object's order, handing each known one to `field` with
/// its position in `names`; returns which were present, one bit per name.
fn fields(
    v: &JsValue,
    what: &str,
    names: &[&str],
    field: &mut dyn FnMut(usize, &JsValue) -> Result<(), Error>,
) -> Result<u32, Error> {
    if !v.is_object() || Array::is_array(v) {
        return Err(invalid_type(v, what));
    }
    let mut seen = 0;
    for key in Object::keys(v.unchecked_ref::<Object>()) {
        let name = key.as_string().unwrap_or_default();
        let Some(i) = names.iter().position(|n| *n == name) else {
            let expected = match names {
                [a] => format!("`{a}`"),
                [a, b] => format!("`{a}` or `{b}`"),
                _ => format!("one of `{}`", joined_by(names.iter().copied(), "`, `")),
            };
            return Err(Error(format!("unknown field `{name}`, expected {expected}")));
        };
        field(i, &Reflect::get(v, &key).unwrap_or_default())?;
        seen |= 1 << i;
    }
    Ok(seen)
}

/// The first of the `required` fields (one bit per name) that was not `seen`.
fn require(seen: u32, required: u32, names: &[&str]) -> Result<(), Error> {
    match (0..names.len()).find(|&i| required & !seen & (1 << i) != 0) {
        Some(i) => Err(Error(format!("missing field `{}`", names[i]))),
        None => Ok(()),
    }
}

fn text(v: &JsValue) -> Result<String, Error> {
    v.as_string().ok_or_else(|| invalid_type(v, "a string"))
}

fn maybe_text(v: &JsValue) -> Result<Option<String>, Error> {
    if v.is_null() || v.is_undefined() { Ok(None) } else { text(v).map(Some) }
}

/// A whole number from 0 to `max`, named `expected` (`u8`, `u32`) in messages.
fn count(v: &JsValue, max: u32, expected: &str) -> Result<u32, Error> {
    match v.as_f64().map(whole) {
        Some(Some(i)) if (0..=i64::from(max)).contains(&i) => Ok(i as u32),
        Some(Some(_)) => Err(invalid_value(v, expected)),
        _ => Err(invalid_type(v, expected)),
    }
}

fn level(v: &JsValue) -> Result<u8, Error> {
    count(v, u8::MAX.into(), "u8").map(|l| l as u8)
}

fn list<T>(v: &JsValue, item: fn(&JsValue) -> Result<T, Error>) -> Result<Vec<T>, Error> {
    let mut out = Vec::new();
    each(v, &mut |v| {
        out.push(item(v)?);
        Ok(())
    })?;
    Ok(out)
}

/// Hands each element of an array to `item`; one copy for every element type.
fn each(v: &JsValue, item: &mut dyn FnMut(&JsValue) -> Result<(), Error>) -> Result<(), Error> {
    if !Array::is_array(v) {
        return Err(invalid_type(v, "a sequence"));
    }
    let items: &Array = v.unchecked_ref();
    for i in 0..items.length() {
        item(&items.get(i))?;
    }
    Ok(())
}

fn group(v: &JsValue) -> Result<Group, Error> {
    let name = v.as_string().ok_or_else(|| invalid_type(v, "enum Group"))?;
    match Group::parse(&name) {
        Some(g) if !name.is_empty() => Ok(g),
        _ => {
            let names: Vec<&str> = Group::ALL.iter().map(|g| g.as_str()).collect();
            Err(Error(format!("unknown variant `{name}`, expected one of `{}`", joined_by(names.iter().copied(), "`, `"))))
        }
    }
}

fn score(v: &JsValue) -> Result<Score, Error> {
    const EXPECTED: &str = "a level from 1 to 10 or \"unsure\"";
    if let Some(s) = v.as_string() {
        return if s == "unsure" { Ok(Score::Unsure) } else { Err(invalid_value(v, EXPECTED)) };
    }
    match v.as_f64() {
        Some(n) => match whole(n) {
            Some(l @ 1..=10) => Ok(Score::Level(l as u8)),
            _ => Err(invalid_value(v, EXPECTED)),
        },
        None => Err(invalid_type(v, EXPECTED)),
    }
}

/// An assessment document, read as `serde_json` reads one; unknown fields are refused.
pub fn assessment(v: &JsValue) -> Result<Assessment, Error> {
    const NAMES: &[&str] = &[
        "schema_version", "framework", "area", "rounds", "respondents", "ratings", "tallies", "agreed", "targets", "notes",
        "actions",
    ];
    let mut a = Assessment {
        schema_version: 0,
        framework: FrameworkRef { id: String::new(), version: String::new() },
        area: String::new(),
        rounds: Vec::new(),
        respondents: Vec::new(),
        ratings: Vec::new(),
        tallies: Vec::new(),
        agreed: Vec::new(),
        targets: Vec::new(),
        notes: Vec::new(),
        actions: Vec::new(),
    };
    let seen = fields(v, "struct Assessment", NAMES, &mut |i, v| {
        match i {
            0 => a.schema_version = count(v, u32::MAX, "u32")?,
            1 => a.framework = framework_ref(v)?,
            2 => a.area = text(v)?,
            3 => a.rounds = list(v, round)?,
            4 => a.respondents = list(v, respondent)?,
            5 => a.ratings = list(v, rating)?,
            6 => a.tallies = list(v, tally)?,
            7 => a.agreed = list(v, agreed)?,
            8 => a.targets = list(v, target)?,
            9 => a.notes = list(v, note)?,
            _ => a.actions = list(v, action)?,
        }
        Ok(())
    })?;
    require(seen, 0b1111, NAMES)?;
    Ok(a)
}

fn framework_ref(v: &JsValue) -> Result<FrameworkRef, Error> {
    const NAMES: &[&str] = &["id", "version"];
    let mut r = FrameworkRef { id: String::new(), version: String::new() };
    let seen = fields(v, "struct FrameworkRef", NAMES, &mut |i, v| {
        match i {
            0 => r.id = text(v)?,
            _ => r.version = text(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b11, NAMES)?;
    Ok(r)
}

fn round(v: &JsValue) -> Result<Round, Error> {
    const NAMES: &[&str] = &["id", "label", "date"];
    let mut r = Round { id: String::new(), label: String::new(), date: None };
    let seen = fields(v, "struct Round", NAMES, &mut |i, v| {
        match i {
            0 => r.id = text(v)?,
            1 => r.label = text(v)?,
            _ => r.date = maybe_text(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b11, NAMES)?;
    Ok(r)
}

fn respondent(v: &JsValue) -> Result<Respondent, Error> {
    const NAMES: &[&str] = &["id", "group"];
    let mut r = Respondent { id: String::new(), group: Group::Other };
    let seen = fields(v, "struct Respondent", NAMES, &mut |i, v| {
        match i {
            0 => r.id = text(v)?,
            _ => r.group = group(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b1, NAMES)?;
    Ok(r)
}

fn rating(v: &JsValue) -> Result<Rating, Error> {
    const NAMES: &[&str] = &["round", "respondent", "group", "domain", "level"];
    let mut r = Rating {
        round: String::new(),
        respondent: None,
        group: Group::Other,
        domain: String::new(),
        score: Score::Unsure,
    };
    let seen = fields(v, "struct Rating", NAMES, &mut |i, v| {
        match i {
            0 => r.round = text(v)?,
            1 => r.respondent = maybe_text(v)?,
            2 => r.group = group(v)?,
            3 => r.domain = text(v)?,
            _ => r.score = score(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b11001, NAMES)?;
    Ok(r)
}

fn tally(v: &JsValue) -> Result<Tally, Error> {
    const NAMES: &[&str] = &["round", "domain", "group", "counts", "unsure"];
    let mut t = Tally { round: String::new(), domain: String::new(), group: Group::Other, counts: Vec::new(), unsure: 0 };
    let seen = fields(v, "struct Tally", NAMES, &mut |i, v| {
        match i {
            0 => t.round = text(v)?,
            1 => t.domain = text(v)?,
            2 => t.group = group(v)?,
            3 => t.counts = list(v, |v| count(v, u32::MAX, "u32"))?,
            _ => t.unsure = count(v, u32::MAX, "u32")?,
        }
        Ok(())
    })?;
    require(seen, 0b1011, NAMES)?;
    Ok(t)
}

fn agreed(v: &JsValue) -> Result<Agreed, Error> {
    const NAMES: &[&str] = &["round", "domain", "level"];
    let mut a = Agreed { round: String::new(), domain: String::new(), level: 0 };
    let seen = fields(v, "struct Agreed", NAMES, &mut |i, v| {
        match i {
            0 => a.round = text(v)?,
            1 => a.domain = text(v)?,
            _ => a.level = level(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b111, NAMES)?;
    Ok(a)
}

fn target(v: &JsValue) -> Result<Target, Error> {
    const NAMES: &[&str] = &["domain", "level"];
    let mut t = Target { domain: String::new(), level: 0 };
    let seen = fields(v, "struct Target", NAMES, &mut |i, v| {
        match i {
            0 => t.domain = text(v)?,
            _ => t.level = level(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b11, NAMES)?;
    Ok(t)
}

fn note(v: &JsValue) -> Result<Note, Error> {
    const NAMES: &[&str] = &["domain", "text"];
    let mut n = Note { domain: String::new(), text: String::new() };
    let seen = fields(v, "struct Note", NAMES, &mut |i, v| {
        match i {
            0 => n.domain = text(v)?,
            _ => n.text = text(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b11, NAMES)?;
    Ok(n)
}

fn action(v: &JsValue) -> Result<Action, Error> {
    const NAMES: &[&str] = &["domain", "action", "owner", "due"];
    let mut a = Action { domain: String::new(), action: String::new(), owner: String::new(), due: None };
    let seen = fields(v, "struct Action", NAMES, &mut |i, v| {
        match i {
            0 => a.domain = text(v)?,
            1 => a.action = text(v)?,
            2 => a.owner = text(v)?,
            _ => a.due = maybe_text(v)?,
        }
        Ok(())
    })?;
    require(seen, 0b11, NAMES)?;
    Ok(a)
}

/// A framework, read as `serde_json` reads one; unknown fields are refused. Not validated.
pub fn framework(v: &JsValue) -> Result<Framework, Error> {
    const NAMES: &[&str] = &["id", "version", "name", "levels", "domains"];
    let mut f =
        Framework { id: String::new(), version: String::new(), name: String::new(), levels: Vec::new(), domains: Vec::new() };
    let seen = fields(v, "struct Framework", NAMES, &mut |i, v| {
        match i {
            0 => f.id = text(v)?,
            1 => f.version = text(v)?,
            2 => f.name = text(v)?,
            3 => f.levels = list(v, level_of_scale)?,
            _ => f.domains = list(v, domain)?,
        }
        Ok(())
    })?;
    require(seen, 0b11111, NAMES)?;
    Ok(f)
}

fn level_of_scale(v: &JsValue) -> Result<Level, Error> {
    const NAMES: &[&str] = &["label"];
    let mut l = Level { label: String::new() };
    let seen = fields(v, "struct Level", NAMES, &mut |_, v| {
        l.label = text(v)?;
        Ok(())
    })?;
    require(seen, 0b1, NAMES)?;
    Ok(l)
}

fn domain(v: &JsValue) -> Result<Domain, Error> {
    const NAMES: &[&str] = &["id", "letter", "title", "description", "descriptors"];
    let mut d = Domain {
        id: String::new(),
        letter: String::new(),
        title: String::new(),
        description: String::new(),
        descriptors: Vec::new(),
    };
    let seen = fields(v, "struct Domain", NAMES, &mut |i, v| {
        match i {
            0 => d.id = text(v)?,
            1 => d.letter = text(v)?,
            2 => d.title = text(v)?,
            3 => d.description = text(v)?,
            _ => d.descriptors = list(v, text)?,
        }
        Ok(())
    })?;
    require(seen, 0b11111, NAMES)?;
    Ok(d)
}

/// Ratings as JSON text, exactly as [`to_js`] would make them (`round`, `respondent` or null,
/// `group`, `domain`, `level` as a number or "unsure"), for the browser's own parser.
pub fn ratings_json(ratings: &[Rating]) -> String {
    let mut out = String::with_capacity(ratings.len() * 80);
    out.push('[');
    for (i, r) in ratings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"round\":");
        json_str(&mut out, &r.round);
        out.push_str(",\"respondent\":");
        match &r.respondent {
            Some(who) => json_str(&mut out, who),
            None => out.push_str("null"),
        }
        out.push_str(",\"group\":");
        json_str(&mut out, r.group.as_str());
        out.push_str(",\"domain\":");
        json_str(&mut out, &r.domain);
        out.push_str(",\"level\":");
        match r.score.level() {
            Some(l) => {
                if l >= 10 {
                    out.push(char::from(b'0' + l / 10));
                }
                out.push(char::from(b'0' + l % 10));
            }
            // Unsure, the one score without a level.
            None => out.push_str("\"unsure\""),
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// A JSON string: quotes, backslashes and control characters escaped.
fn json_str(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // The short escapes, as JSON.stringify writes them, so that a record written
            // from this text reads and writes back the same.
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[n >> 4]));
                out.push(char::from(HEX[n & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
