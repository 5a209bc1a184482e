//! Charts as SVG text, for the facilitator's page: shown on a projector, printed on A4.
//!
//! Every function returns one complete `<svg>` element as a `String`, the same bytes for the
//! same input. The charts keep to what a strict Content-Security-Policy (`style-src 'self'`)
//! allows: no `style` attributes or elements, only presentation attributes, and a `cascade-…`
//! class on each part for the page's stylesheet to theme. They use no ids, so any number of
//! charts can share a page. Colour is never the only cue: each series has its own dash pattern
//! and marker shape, which the legend repeats. The root has `role="img"` and an `aria-label`,
//! and its `<desc>` states every number in words for screen readers. Text from the data is
//! XML-escaped.
//!
//! All text is drawn at one size, [`TEXT`] units, and each chart is at most [`WIDE`] units
//! wide (30 lines of text high per width of 30 characters, roughly): a page that shows a
//! chart `width / TEXT` em wide draws its text at the size of the words around it, and even
//! squeezed into a phone's 360 px the text stays at 12 px.
//!
//! ```
//! use cascade_core::chart::{self, Series, SeriesStyle};
//! use cascade_core::{tidy, Framework};
//!
//! let csv = "area,round,respondent,group,domain,level
//! Vale,baseline,ana,education,clarity,2
//! Vale,baseline,ben,mental-health,clarity,3
//! Vale,followup,ana,education,clarity,3
//! Vale,followup,ben,mental-health,clarity,4
//! ";
//! let fw = Framework::cascade();
//! let data = tidy::read(csv.as_bytes(), &fw)?;
//! let summary = data.summary();
//! let rounds = &summary.areas[0].rounds;
//! let svg = chart::radar(&fw, &[
//!     Series::headlines("Baseline", &rounds[0], SeriesStyle::Baseline),
//!     Series::headlines("Follow-up", &rounds[1], SeriesStyle::Followup),
//! ]);
//! assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
//! assert!(svg.contains("Baseline: C clarity 2.5, A contact no data"));
//!
//! let change = data.compare("baseline", "followup")?;
//! let svg = chart::change(&fw, &change.areas[0], "Baseline", "Follow-up");
//! assert!(svg.contains(">+1</text>"));
//! assert!(!svg.contains("style="));
//! # Ok::<(), cascade_core::Error>(())
//! ```

use std::fmt::{self, Display, Write};

use crate::compare::AreaComparison;
use crate::framework::Framework;
use crate::group::Group;
use crate::summary::{DomainSummary, RoundSummary};

/// One line of a radar chart: a value per domain, in framework order.
///
/// ```
/// use cascade_core::chart::{Series, SeriesStyle};
///
/// let s = Series::new("Room vote", vec![Some(2.0), None, Some(3.5)], SeriesStyle::Other(0));
/// assert_eq!((s.label.as_str(), s.values.len()), ("Room vote", 3));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Series {
    /// Shown in the legend and read out, such as "Baseline".
    pub label: String,
    /// One value per domain; `None` where there is none, which leaves a gap in the line.
    pub values: Vec<Option<f64>>,
    /// How the line and its markers look.
    pub style: SeriesStyle,
}

/// How a series is drawn: each style has its own colour, dash pattern and marker shape.
///
/// ```
/// use cascade_core::chart::{self, Series, SeriesStyle};
/// use cascade_core::Framework;
///
/// let fw = Framework::cascade();
/// let svg = chart::radar(&fw, &[Series::new("Plan", vec![Some(3.0); 7], SeriesStyle::Target)]);
/// assert!(svg.contains("Plan"));
/// ```
///
/// More styles may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SeriesStyle {
    /// Dashed blue line, filled circles.
    Baseline,
    /// Solid orange line, open squares.
    Followup,
    /// Dotted green line, open diamonds.
    Target,
    /// Other series; the number picks one of three further looks (triangles up or down, crosses).
    Other(u8),
}

impl Series {
    /// A series of any values, one per domain in framework order.
    #[must_use]
    pub fn new(label: &str, values: Vec<Option<f64>>, style: SeriesStyle) -> Series {
        Series { label: label.to_owned(), values, style }
    }

    /// The headlines of a round, one per domain.
    ///
    /// ```
    /// use cascade_core::chart::{Series, SeriesStyle};
    /// use cascade_core::{Assessment, Framework};
    ///
    /// let fw = Framework::cascade();
    /// let summary = Assessment::new("Vale", &fw).summary(&fw)?;
    /// let s = Series::headlines("Baseline", &summary.rounds[0], SeriesStyle::Baseline);
    /// assert_eq!(s.values, vec![None; 7]);
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn headlines(label: &str, round: &RoundSummary, style: SeriesStyle) -> Series {
        Series { label: label.to_owned(), values: round.domains.iter().map(|d| d.headline).collect(), style }
    }

    /// The area's target levels, as a round's summary carries them.
    ///
    /// ```
    /// use cascade_core::chart::Series;
    /// use cascade_core::{Assessment, Framework, Target};
    ///
    /// let fw = Framework::cascade();
    /// let mut doc = Assessment::new("Vale", &fw);
    /// doc.targets.push(Target { domain: "contact".into(), level: 4 });
    /// let summary = doc.summary(&fw)?;
    /// assert_eq!(Series::targets("Target", &summary.rounds[0]).values[1], Some(4.0));
    /// # Ok::<(), cascade_core::Error>(())
    /// ```
    #[must_use]
    pub fn targets(label: &str, round: &RoundSummary) -> Series {
        let values = round.domains.iter().map(|d| d.target.map(f64::from)).collect();
        Series { label: label.to_owned(), values, style: SeriesStyle::Target }
    }
}

macro_rules! w {
    ($o:expr, $($a:tt)*) => {{
        let _ = write!($o, $($a)*);
    }};
}

/// The size of every text in a chart, in viewBox units (the root's `font-size`).
pub const TEXT: f64 = 16.0;
/// The widest chart, in viewBox units: 30 times [`TEXT`].
pub const WIDE: f64 = 480.0;
/// The distribution chart's width, which sits in a narrower column: 27 times [`TEXT`].
const NARROW: f64 = 432.0;

const INK: &str = "#1a1a1a";
const GREY: &str = "#4d4d4d";
const RULE: &str = "#8c8c8c";

/// A coordinate: at most two decimals, trailing zeros trimmed.
struct N(f64);
/// A number in visible text: as [`N`], with a real minus sign.
struct T(f64);
/// Text escaped for XML.
struct E<'a>(&'a str);

fn num(f: &mut fmt::Formatter<'_>, v: f64, minus: &str) -> fmt::Result {
    let c = if v.is_finite() { (v * 100.0).round() as i64 } else { 0 };
    if c < 0 {
        f.write_str(minus)?;
    }
    let a = c.unsigned_abs();
    write!(f, "{}", a / 100)?;
    match a % 100 {
        0 => Ok(()),
        r if r % 10 == 0 => write!(f, ".{}", r / 10),
        r => write!(f, ".{}{}", r / 10, r % 10),
    }
}

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        num(f, self.0, "-")
    }
}

impl Display for T {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        num(f, self.0, "\u{2212}")
    }
}

impl Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&apos;")?,
                // Control characters are not allowed in XML at all, nor are U+FFFE and U+FFFF.
                c if c < ' ' => f.write_char(' ')?,
                '\u{fffe}' | '\u{ffff}' => {}
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// A value in words: the number, or "no data".
fn val(o: &mut String, v: Option<f64>) {
    match v.filter(|v| v.is_finite()) {
        Some(v) => w!(o, "{}", T(v)),
        None => o.push_str("no data"),
    }
}

/// A change in words: "+0.5", "−1", "no change" or "no data".
fn delta(o: &mut String, d: Option<f64>) {
    match d.filter(|d| d.is_finite()) {
        Some(d) if (d * 100.0).round() == 0.0 => o.push_str("no change"),
        Some(d) => w!(o, "{}{}", if d > 0.0 { "+" } else { "" }, T(d)),
        None => o.push_str("no data"),
    }
}

/// Words in lines of at most `max` characters, at most `most` lines, cut with "…".
fn wrap(s: &str, max: usize, most: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match out.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    let cut = out.len() > most;
    out.truncate(most);
    let last = out.len().saturating_sub(1);
    for (i, l) in out.iter_mut().enumerate() {
        if l.chars().count() > max || (cut && i == last) {
            *l = l.chars().take(max - 1).chain(['…']).collect();
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// One line of text, cut with "…" to at most `max` characters.
fn clip(s: &str, max: usize) -> String {
    wrap(s, max, 1).swap_remove(0)
}

/// Marker shapes, in drawing order: the open ones first.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Diamond,
    Square,
    Cross,
    Up,
    Down,
    Circle,
}

/// How a series or group is drawn.
#[derive(Clone, Copy)]
struct Look {
    class: &'static str,
    other: Option<u8>,
    colour: &'static str,
    /// `stroke-dasharray`, empty for solid.
    dash: &'static str,
    mark: Mark,
}

impl SeriesStyle {
    fn look(self) -> Look {
        let l = |class, colour, dash, mark| Look { class, other: None, colour, dash, mark };
        match self {
            SeriesStyle::Baseline => l("baseline", "#1f4e79", "8 8", Mark::Circle),
            SeriesStyle::Followup => l("followup", "#b35900", "", Mark::Square),
            SeriesStyle::Target => l("target", "#2e7d32", "0.5 7", Mark::Diamond),
            SeriesStyle::Other(n) => {
                let i = usize::from(n % 3);
                Look {
                    class: "other",
                    other: Some(n),
                    colour: ["#6a1b9a", "#37474f", "#ad1457"][i],
                    dash: ["14 7 0.5 7", "3 7", "20 7"][i],
                    mark: [Mark::Up, Mark::Down, Mark::Cross][i],
                }
            }
        }
    }
}

const EDUCATION: Look = Look { class: "education", other: None, colour: "#6a1b9a", dash: "", mark: Mark::Circle };
const MENTAL_HEALTH: Look =
    Look { class: "mental-health", other: None, colour: "#00695c", dash: "", mark: Mark::Square };

/// Opens a group with a role class ("series", "marks" or "key") and the look's classes.
fn group(o: &mut String, role: &str, k: &Look) {
    w!(o, r#"<g class="cascade-{role} cascade-{}"#, k.class);
    if let Some(n) = k.other {
        w!(o, " cascade-other-{n}");
    }
    o.push_str("\">");
}

/// The stroke attributes of the look's line.
fn pen(o: &mut String, k: &Look) {
    w!(o, r#" fill="none" stroke="{}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round""#, k.colour);
    if !k.dash.is_empty() {
        w!(o, r#" stroke-dasharray="{}""#, k.dash);
    }
}

/// The look's marker centred on (x, y), about `r` in radius.
fn mark(o: &mut String, k: &Look, x: f64, y: f64, r: f64) {
    let c = k.colour;
    // Open markers are filled white, to hide what runs under them; they are drawn first.
    let open = r##"fill="#fff" stroke-width="2.5""##;
    match k.mark {
        Mark::Circle => w!(o, r#"<circle cx="{}" cy="{}" r="{}" fill="{c}"/>"#, N(x), N(y), N(r)),
        Mark::Square => {
            let h = 1.2 * r;
            w!(
                o,
                r#"<rect x="{}" y="{}" width="{}" height="{}" {open} stroke="{c}"/>"#,
                N(x - h),
                N(y - h),
                N(2.0 * h),
                N(2.0 * h)
            );
        }
        Mark::Diamond => {
            let d = N(r * 1.4);
            w!(o, r#"<path d="M{} {}l{d} {d} -{d} {d} -{d} -{d}z" {open} stroke="{c}"/>"#, N(x), N(y - r * 1.4));
        }
        Mark::Up | Mark::Down => {
            let s = if k.mark == Mark::Up { 1.0 } else { -1.0 };
            w!(
                o,
                r#"<path d="M{} {}L{} {}H{}z" fill="{c}"/>"#,
                N(x),
                N(y - s * 1.3 * r),
                N(x + 1.2 * r),
                N(y + s * 0.8 * r),
                N(x - 1.2 * r)
            );
        }
        Mark::Cross => {
            let d = N(2.0 * r);
            w!(o, r#"<path d="M{} {}l{d} {d}m0 -{d}l-{d} {d}" stroke="{c}" stroke-width="3"/>"#, N(x - r), N(y - r));
        }
    }
}

/// Series with open markers first, to be drawn under filled ones: equal values show both.
fn by_mark(series: &[Series]) -> impl Iterator<Item = &Series> {
    (0..6).flat_map(move |m| series.iter().filter(move |s| s.style.look().mark as u8 == m))
}

/// `v` within `lo..=hi`; unlike `f64::clamp`, it cannot panic, so it pulls no float formatting
/// into the WebAssembly build.
fn within(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// Sine and cosine of `a` in `0..=TAU` by their series: smaller than the library's in
/// WebAssembly, and the same bits on every platform.
fn sin_cos(a: f64) -> (f64, f64) {
    let a = if a > std::f64::consts::PI { a - std::f64::consts::TAU } else { a };
    let (mut s, mut c, mut t) = (0.0, 0.0, 1.0);
    for k in 0..26 {
        match k % 4 {
            0 => c += t,
            1 => s += t,
            2 => c -= t,
            _ => s -= t,
        }
        t *= a / f64::from(k + 1);
    }
    (s, c)
}

/// A rough width of text in viewBox units.
fn width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// A legend row (wrapping when full) centred on `y`; returns the y below it.
fn legend(o: &mut String, items: &[(Look, &str, bool)], mut y: f64, w: f64) -> f64 {
    let mut x = 16.0;
    for (k, label, line) in items {
        let (mx, tx) = if *line { (20.0, 48.0) } else { (8.0, 24.0) };
        let iw = tx + 26.0 + width(label, TEXT);
        if x > 16.0 && x + iw > w - 16.0 {
            x = 16.0;
            y += 28.0;
        }
        group(o, "key", k);
        if *line {
            w!(o, r#"<path d="M{} {}h40""#, N(x), N(y));
            pen(o, k);
            o.push_str("/>");
        }
        mark(o, k, x + mx, y, 6.0);
        w!(o, r#"<text x="{}" y="{}">{}</text></g>"#, N(x + tx), N(y + 5.0), E(label));
        x += iw;
    }
    y + 24.0
}

/// The whole chart: root element, title, description, white ground, body.
fn svg(kind: &str, w: f64, h: f64, title: &str, desc: &str, body: &str) -> String {
    let mut o = String::with_capacity(body.len() + title.len() * 2 + desc.len() + 400);
    w!(
        o,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="cascade-chart cascade-{kind}" role="img" aria-label="{title}" font-family="Arial, Helvetica, sans-serif" font-size="16" fill="{INK}"><title>{title}</title><desc>{desc}</desc><rect class="cascade-ground" width="{}" height="{}" fill="#fff"/>"##,
        N(w),
        N(h),
        N(w),
        N(h)
    );
    o.push_str(body);
    o.push_str("</svg>");
    o
}

/// A domain's letter and title, wrapped to fit `w` units, from baseline `y`; returns the last baseline.
fn heading(o: &mut String, letter: &str, title: &str, mut y: f64, x: f64, w: f64) -> f64 {
    let letter = clip(letter, 3);
    let fits = ((w - 2.0 * x) / (TEXT * 0.56)) as usize;
    for (k, line) in wrap(title, fits.saturating_sub(letter.chars().count() + 1).max(8), 2).iter().enumerate() {
        if k > 0 {
            y += 20.0;
        }
        w!(o, r#"<text x="{}" y="{}" class="cascade-domain">"#, N(x), N(y));
        if k == 0 && !letter.is_empty() {
            w!(o, r#"<tspan font-weight="700">{}</tspan> "#, E(&letter));
        }
        w!(o, "{}</text>", E(line));
    }
    y
}

/// "C clarity", for descriptions.
fn name(o: &mut String, fw: &Framework, i: usize) {
    let d = &fw.domains[i];
    w!(o, "{} {}", E(&d.letter), E(&d.id));
}

/// The level axis of the row charts; the change or gap is written to its right, at [`X1`] + 18.
const X0: f64 = 28.0;
const X1: f64 = 372.0;

/// Draws a row's marks: given the domain's index, the level-to-x map and the axis's y.
type Row<'a> = dyn FnMut(&mut String, usize, &dyn Fn(f64) -> f64, f64) + 'a;

/// A chart with one row per domain: title, then an axis 1..scale on which `row` draws.
fn rows(
    fw: &Framework,
    kind: &str,
    title: &str,
    desc: &str,
    items: &[(Look, &str, bool)],
    // `dyn`, so the layout is compiled once, not once per chart.
    row: &mut Row<'_>,
) -> String {
    let s = f64::from(fw.scale()).max(2.0);
    let x = |v: f64| X0 + (within(v, 1.0, s) - 1.0) / (s - 1.0) * (X1 - X0);
    let mut b = String::new();
    let mut y = if items.is_empty() { 8.0 } else { legend(&mut b, items, 28.0, WIDE) };
    let n = fw.levels.len();
    let labels = n <= 6;
    // Labels take turns on two lines when there are more than three, so each has the room
    // of two steps of the axis; the end ones are aligned inwards so they stay on the chart.
    let lines: u8 = if n > 3 { 2 } else { 1 };
    let room = (X1 - X0) / (s - 1.0) * f64::from(lines) - 12.0;
    b.push_str(r#"<g class="cascade-levels" text-anchor="middle">"#);
    for (i, l) in fw.levels.iter().enumerate() {
        let lx = x((i + 1) as f64);
        w!(b, r#"<text x="{}" y="{}" font-weight="700">{}</text>"#, N(lx), N(y + 16.0), i + 1);
        if labels {
            let t = clip(&l.label, (room / (TEXT * 0.56)) as usize);
            let (tx, anchor) = match i {
                0 => (lx - 10.0, r#" text-anchor="start""#),
                _ if i + 1 == n => (lx + 10.0, r#" text-anchor="end""#),
                _ => (lx, ""),
            };
            let ty = y + 36.0 + 20.0 * (i % usize::from(lines)) as f64;
            w!(b, r#"<text x="{}" y="{}"{anchor} fill="{GREY}">{}</text>"#, N(tx), N(ty), E(&t));
        }
    }
    b.push_str("</g>");
    y += if labels { 24.0 + 20.0 * f64::from(lines) } else { 24.0 };
    for (i, d) in fw.domains.iter().enumerate() {
        y = heading(&mut b, &d.letter, &d.title, y + 30.0, 16.0, WIDE) + 28.0;
        w!(b, r#"<path class="cascade-axis" d="M{} {}H{}"#, N(X0), N(y), N(X1));
        for v in 1..=fw.scale() {
            w!(b, "M{} {}v16", N(x(f64::from(v))), N(y - 8.0));
        }
        w!(b, r#"" stroke="{RULE}" stroke-width="1.5" fill="none"/>"#);
        row(&mut b, i, &x, y);
        y += 14.0;
    }
    svg(kind, WIDE, y + 16.0, title, desc, &b)
}

/// Right-hand text of a row.
fn note(o: &mut String, y: f64, text: &str) {
    w!(o, r#"<text x="{}" y="{}" font-weight="700" class="cascade-note">{text}</text>"#, N(X1 + 18.0), N(y + 6.0));
}

/// Radar (spider) chart of the framework's domains, one closed line per series.
///
/// Each spoke is a domain, labelled with its letter and id; rings mark the levels
/// 1 to [`Framework::scale`], labelled with their numbers. A missing value leaves a gap:
/// the line stops at the domains either side of it and no point is drawn. With fewer than
/// three domains, where a radar makes no sense, each domain becomes a row with a level axis.
///
/// ```
/// use cascade_core::chart::{self, Series, SeriesStyle};
/// use cascade_core::Framework;
///
/// let fw = Framework::cascade();
/// let svg = chart::radar(&fw, &[Series::new("Baseline", vec![Some(2.0); 7], SeriesStyle::Baseline)]);
/// assert!(svg.contains(r#"role="img""#));
/// assert!(svg.contains("Baseline: C clarity 2,"));
/// ```
#[must_use]
pub fn radar(fw: &Framework, series: &[Series]) -> String {
    let n = fw.domains.len();
    let mut title = String::new();
    w!(title, "{} radar", E(&fw.name));
    for (i, s) in series.iter().enumerate() {
        w!(title, "{} {}", if i > 0 { "," } else { ":" }, E(&s.label));
    }
    let mut desc = String::new();
    w!(desc, "Scores of {n} domains on levels 1 to {}.", fw.scale());
    let get = |s: &Series, i: usize| s.values.get(i).copied().flatten().filter(|v| v.is_finite());
    for s in series {
        w!(desc, " {}:", E(&s.label));
        for i in 0..n {
            desc.push_str(if i > 0 { ", " } else { " " });
            name(&mut desc, fw, i);
            desc.push(' ');
            val(&mut desc, get(s, i));
        }
        desc.push('.');
    }
    let items: Vec<(Look, &str, bool)> = series.iter().map(|s| (s.style.look(), s.label.as_str(), n >= 3)).collect();
    if n < 3 {
        return rows(fw, "radar", &title, &desc, &items, &mut |o, i, x, y| {
            for s in by_mark(series) {
                if let Some(v) = get(s, i) {
                    let k = s.style.look();
                    group(o, "marks", &k);
                    mark(o, &k, x(v), y, 7.0);
                    o.push_str("</g>");
                }
            }
        });
    }
    let mut b = String::new();
    let top = legend(&mut b, &items, 28.0, WIDE);
    // The radius leaves room at each side for a label such as "D integration".
    let r = 116.0;
    let (cx, cy) = (WIDE / 2.0, top + r + 40.0);
    let s = f64::from(fw.scale());
    // Unit vectors of the spokes, clockwise from the top.
    let u: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let (sin, cos) = sin_cos(std::f64::consts::TAU * i as f64 / n as f64);
            (sin, -cos)
        })
        .collect();
    let at = |i: usize, v: f64| {
        let d = r * within(v, 0.0, s) / s;
        (cx + d * u[i].0, cy + d * u[i].1)
    };
    // Rings, spokes, then numbers: the grid under the lines.
    w!(b, r#"<path class="cascade-grid" fill="none" stroke="{RULE}" d=""#);
    for v in 1..=fw.scale() {
        for i in 0..n {
            let (px, py) = at(i, f64::from(v));
            w!(b, "{}{} {}", if i == 0 { "M" } else { "L" }, N(px), N(py));
        }
        b.push('z');
    }
    for i in 0..n {
        let (px, py) = at(i, s);
        w!(b, "M{} {}L{} {}", N(cx), N(cy), N(px), N(py));
    }
    // Level numbers beside the top spoke, haloed in white to stand clear of the rings.
    w!(
        b,
        r##""/><g class="cascade-levels" fill="{GREY}" text-anchor="end" stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">"##
    );
    // Every other level on long scales, where the rings are close.
    let step = if fw.scale() > 6 { 2 } else { 1 };
    for v in (step..=fw.scale()).step_by(step.into()) {
        w!(b, r#"<text x="{}" y="{}">{v}</text>"#, N(cx - 10.0), N(cy - r * f64::from(v) / s - 3.0));
    }
    b.push_str(r#"</g><g class="cascade-domains">"#);
    for (i, d) in fw.domains.iter().enumerate() {
        let (ux, uy) = u[i];
        let anchor = if ux > 0.2 {
            "start"
        } else if ux < -0.2 {
            "end"
        } else {
            "middle"
        };
        w!(
            b,
            r#"<text x="{}" y="{}" text-anchor="{anchor}"><tspan font-weight="700">{}</tspan> {}</text>"#,
            N(cx + (r + 14.0) * ux),
            N(cy + (r + 14.0) * uy + 5.0 + 12.0 * uy),
            E(&clip(&d.letter, 3)),
            E(&clip(&d.id, 13))
        );
    }
    b.push_str("</g>");
    // Lines first, then every marker above every line.
    for s in series {
        let k = s.style.look();
        group(&mut b, "series", &k);
        let pts: Vec<Option<(f64, f64)>> = (0..n).map(|i| get(s, i).map(|v| at(i, v))).collect();
        let line = |b: &mut String, tag: &str, run: &[(f64, f64)]| {
            w!(b, "<{tag} points=\"");
            for (j, (px, py)) in run.iter().enumerate() {
                w!(b, "{}{},{}", if j > 0 { " " } else { "" }, N(*px), N(*py));
            }
            b.push('"');
            pen(b, &k);
            b.push_str("/>");
        };
        if let Some(all) = pts.iter().copied().collect::<Option<Vec<_>>>() {
            line(&mut b, "polygon", &all);
        } else {
            // Runs of present points, going round from just after a gap.
            let start = pts.iter().position(Option::is_none).unwrap_or(0);
            let mut run = Vec::new();
            for j in 1..=n {
                match pts[(start + j) % n] {
                    Some(p) => run.push(p),
                    None => {
                        if run.len() > 1 {
                            line(&mut b, "polyline", &run);
                        }
                        run.clear();
                    }
                }
            }
        }
        b.push_str("</g>");
    }
    for s in by_mark(series) {
        let k = s.style.look();
        group(&mut b, "marks", &k);
        for i in 0..n {
            if let Some(v) = get(s, i) {
                let (px, py) = at(i, v);
                mark(&mut b, &k, px, py, 5.5);
            }
        }
        b.push_str("</g>");
    }
    svg("radar", WIDE, cy + r + 44.0, &title, &desc, &b)
}

/// Per-domain change between two rounds of one area, whose labels (such as "Baseline" and
/// "Follow-up") the legend and the text for screen readers use.
///
/// Each domain is a row with its title and a level axis: a dot at the earlier headline, an
/// arrow to the later headline (an open square), the target as an open diamond where one is
/// set, and the change as text: "+0.5", "−1", "no change" or "no data".
///
/// ```
/// use cascade_core::{chart, Edit, Framework, Session};
///
/// let fw = Framework::cascade();
/// let mut s = Session::create("Vale", &["Autumn", "Spring"], &fw)?;
/// s.apply(Edit::SetAgreed { round: "autumn".into(), domain: "clarity".into(), level: Some(2) })?;
/// s.apply(Edit::SetAgreed { round: "spring".into(), domain: "clarity".into(), level: Some(3) })?;
/// let svg = chart::change(&fw, &s.compare("autumn", "spring")?, "Autumn", "Spring");
/// assert!(svg.contains("C clarity: Autumn 2, Spring 3, +1."));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn change(fw: &Framework, cmp: &AreaComparison, from: &str, to: &str) -> String {
    let (base, follow, target) =
        (SeriesStyle::Baseline.look(), SeriesStyle::Followup.look(), SeriesStyle::Target.look());
    let mut title = String::new();
    w!(title, "{}: change per domain", E(&cmp.area));
    let mut desc = String::new();
    w!(desc, "Headlines on levels 1 to {}, {} to {}.", fw.scale(), E(from), E(to));
    for (i, d) in cmp.domains.iter().enumerate().take(fw.domains.len()) {
        desc.push(' ');
        name(&mut desc, fw, i);
        if d.from.headline.is_none() && d.to.headline.is_none() {
            desc.push_str(": no data");
        } else {
            w!(desc, ": {} ", E(from));
            val(&mut desc, d.from.headline);
            w!(desc, ", {} ", E(to));
            val(&mut desc, d.to.headline);
            desc.push_str(", ");
            delta(&mut desc, d.delta);
        }
        if let Some(t) = d.target {
            w!(desc, ", target {t}");
        }
        desc.push('.');
    }
    let mut items = vec![(base, from, false), (follow, to, true)];
    if cmp.domains.iter().any(|d| d.target.is_some()) {
        items.push((target, "Target", false));
    }
    rows(fw, "change", &title, &desc, &items, &mut |o, i, x, y| {
        let Some(d) = cmp.domains.get(i) else { return };
        if let Some(t) = d.target {
            group(o, "marks", &target);
            mark(o, &target, x(f64::from(t)), y, 8.0);
            o.push_str("</g>");
        }
        let (f, t) = (d.from.headline, d.to.headline);
        if let Some(t) = t {
            group(o, "marks", &follow);
            if let Some(f) = f {
                let (fx, tx) = (x(f), x(t));
                if (tx - fx).abs() > 20.0 {
                    let dir = if tx > fx { 1.0 } else { -1.0 };
                    let tip = tx - dir * 10.0;
                    w!(o, r#"<path d="M{} {}H{}""#, N(fx + dir * 7.0), N(y), N(tip - dir * 8.0));
                    pen(o, &follow);
                    w!(o, r#"/><path d="M{} {}l{} -7v14z" fill="{}"/>"#, N(tip), N(y), N(-dir * 12.0), follow.colour);
                }
            }
            mark(o, &follow, x(t), y, 7.0);
            o.push_str("</g>");
        }
        if let Some(f) = f {
            group(o, "marks", &base);
            mark(o, &base, x(f), y, 6.0);
            o.push_str("</g>");
        }
        let mut t = String::new();
        delta(&mut t, d.delta);
        note(o, y, &t);
    })
}

/// Ratings per level of one domain in one round, as horizontal bars.
///
/// Each level is a bar labelled with its number and label and the count as text; a
/// triangle marks the median; the number of unsure ratings is stated below, and a boxed
/// "Split room" note appears when the room disagrees.
///
/// ```
/// use cascade_core::{chart, tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,b,,,clarity,2\nVale,b,,,clarity,2\nVale,b,,,clarity,unsure\n";
/// let fw = Framework::cascade();
/// let summary = tidy::read(csv.as_bytes(), &fw)?.summary();
/// let svg = chart::distribution(&fw, &summary.areas[0].rounds[0].domains[0]);
/// assert!(svg.contains("Level 2 Emerging: 2."));
/// assert!(svg.contains("2 rated, 1 unsure. Median 2."));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn distribution(fw: &Framework, d: &DomainSummary) -> String {
    let dom = fw.domain_index(&d.domain).map(|i| &fw.domains[i]);
    let (letter, full) = dom.map_or(("", d.domain.as_str()), |x| (x.letter.as_str(), x.title.as_str()));
    let mut title = String::new();
    w!(title, "{} {}: ratings per level", E(letter), E(full));
    let title = title.trim_start();
    let mut desc = String::new();
    for (i, l) in fw.levels.iter().enumerate() {
        let c = d.counts.get(i).copied().unwrap_or(0);
        w!(desc, "Level {} {}: {c}. ", i + 1, E(&l.label));
    }
    w!(desc, "{} rated, {} unsure. Median ", d.n, d.unsure);
    val(&mut desc, d.median);
    desc.push('.');
    if d.split {
        desc.push_str(" Split room: fewer than two thirds rated within one level of the median.");
    }
    let mut b = String::new();
    let mut y = heading(&mut b, letter, full, 24.0, 16.0, NARROW);
    if d.split {
        w!(
            b,
            r##"<g class="cascade-split"><rect x="16" y="{}" width="{}" height="50" rx="4" fill="#fff4e5" stroke="#b35900" stroke-width="2"/><text x="28" y="{}"><tspan font-weight="700">Split room:</tspan> under two thirds rated</text><text x="28" y="{}">within one level of the median</text></g>"##,
            N(y + 12.0),
            N(NARROW - 32.0),
            N(y + 32.0),
            N(y + 52.0)
        );
        y += 62.0;
    }
    let top = y + 14.0;
    let most = d.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let row = |l: f64| top + (l - 1.0) * 32.0 + 16.0;
    b.push_str(r#"<g class="cascade-bars">"#);
    for (i, l) in fw.levels.iter().enumerate() {
        let c = d.counts.get(i).copied().unwrap_or(0);
        let ry = row((i + 1) as f64);
        // Bars from x 160, leaving room for a count of three digits at the right.
        let bw = (NARROW - 160.0 - 40.0) * c as f64 / most;
        w!(
            b,
            r#"<text x="140" y="{}" text-anchor="end"><tspan font-weight="700">{}</tspan> {}</text>"#,
            N(ry + 5.0),
            i + 1,
            E(&clip(&l.label, 12))
        );
        if c > 0 {
            w!(
                b,
                r##"<rect class="cascade-bar" x="160" y="{}" width="{}" height="22" fill="#1f4e79"/>"##,
                N(ry - 11.0),
                N(bw)
            );
        }
        w!(b, r#"<text x="{}" y="{}" font-weight="700">{c}</text>"#, N(168.0 + bw), N(ry + 5.0));
    }
    let bottom = top + 32.0 * fw.levels.len() as f64;
    w!(b, r#"<path d="M160 {}V{}" stroke="{GREY}" stroke-width="1.5"/></g>"#, N(top), N(bottom));
    let tri = |b: &mut String, x: f64, y: f64| {
        w!(b, r#"<path class="cascade-median" d="M{} {}l12 8 -12 8z" fill="{INK}"/>"#, N(x), N(y - 8.0));
    };
    y = bottom + 26.0;
    let mut foot = String::new();
    if let Some(m) = d.median {
        tri(&mut b, 145.0, row(m));
        tri(&mut b, 16.0, y - 5.0);
        w!(foot, "median {} · ", T(m));
    } else {
        foot.push_str("no ratings · ");
    }
    w!(
        b,
        r#"<text x="{}" y="{}">{foot}{} rated · {} unsure</text>"#,
        if d.median.is_some() { 36 } else { 16 },
        N(y),
        d.n,
        d.unsure
    );
    svg("distribution", NARROW, y + 16.0, title, &desc, &b)
}

/// The education mean and the mental-health mean of each domain in one round, side by side.
///
/// Education is a filled dot and mental health an open square on a level axis, joined by a
/// grey bar; the gap between them is stated as text, or "no data" when a group has none.
///
/// ```
/// use cascade_core::{chart, tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,b,,education,clarity,2\nVale,b,,mental-health,clarity,4\n";
/// let fw = Framework::cascade();
/// let summary = tidy::read(csv.as_bytes(), &fw)?.summary();
/// let svg = chart::group_gap(&fw, &summary.areas[0].rounds[0]);
/// assert!(svg.contains("C clarity: education 2, mental health 4, gap 2, mental health higher."));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn group_gap(fw: &Framework, round: &RoundSummary) -> String {
    let mean = |i: usize, g: Group| round.domains.get(i).and_then(|d| d.groups.get(&g)).map(|g| g.mean);
    let mut title = String::new();
    w!(title, "Education and mental health means: {}", E(&round.round));
    let mut desc = String::new();
    w!(desc, "Means on levels 1 to {}.", fw.scale());
    for i in 0..fw.domains.len() {
        let (e, m) = (mean(i, Group::Education), mean(i, Group::MentalHealth));
        desc.push(' ');
        name(&mut desc, fw, i);
        if e.is_none() && m.is_none() {
            desc.push_str(": no data.");
            continue;
        }
        desc.push_str(": education ");
        val(&mut desc, e);
        desc.push_str(", mental health ");
        val(&mut desc, m);
        if let (Some(e), Some(m)) = (e, m) {
            let higher = if e > m { ", education higher" } else { ", mental health higher" };
            w!(desc, ", gap {}{}", T((e - m).abs()), if e == m { "" } else { higher });
        }
        desc.push('.');
    }
    let items = [(EDUCATION, "Education", false), (MENTAL_HEALTH, "Mental health", false)];
    rows(fw, "gap", &title, &desc, &items, &mut |o, i, x, y| {
        let (e, m) = (mean(i, Group::Education), mean(i, Group::MentalHealth));
        if let (Some(e), Some(m)) = (e, m) {
            w!(o, r##"<path d="M{} {}H{}" stroke="#b3b3b3" stroke-width="6"/>"##, N(x(e)), N(y), N(x(m)));
        }
        for (k, v) in [(MENTAL_HEALTH, m), (EDUCATION, e)] {
            if let Some(v) = v {
                group(o, "marks", &k);
                mark(o, &k, x(v), y, 7.0);
                o.push_str("</g>");
            }
        }
        let mut t = String::new();
        match (e, m) {
            (Some(e), Some(m)) if ((e - m) * 100.0).round() == 0.0 => t.push_str("no gap"),
            (Some(e), Some(m)) => w!(t, "gap {}", T((e - m).abs())),
            _ => t.push_str("no data"),
        }
        note(o, y, &t);
    })
}

/// Areas improved, unchanged and declined per domain and overall, across a programme: one
/// bar per domain, its parts labelled with their counts (so colour is not the only cue).
///
/// ```
/// use cascade_core::{chart, tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,a,education,clarity,2
/// Vale,followup,a,education,clarity,3
/// Dale,baseline,b,education,clarity,3
/// Dale,followup,b,education,clarity,3
/// ";
/// let fw = Framework::cascade();
/// let r = tidy::read(csv.as_bytes(), &fw)?.rollup("baseline", "followup")?;
/// let svg = chart::rollup_directions(&fw, &r);
/// assert!(svg.contains("C clarity: 1 of 2 areas improved, 1 unchanged, 0 declined, 0 not compared."));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn rollup_directions(fw: &Framework, r: &crate::rollup::Rollup) -> String {
    const UP: Look = Look { class: "improved", other: None, colour: "#1d6b2a", dash: "", mark: Mark::Circle };
    const SAME: Look = Look { class: "unchanged", other: None, colour: "#6b7280", dash: "", mark: Mark::Circle };
    const DOWN: Look = Look { class: "declined", other: None, colour: "#b0170f", dash: "", mark: Mark::Circle };
    let title = format!("Areas improved per domain, {} to {}", E(&r.from), E(&r.to));
    let mut desc = String::new();
    w!(desc, "Of {} areas:", r.areas);
    let mut rows: Vec<(&str, &str, &crate::rollup::RollupChange)> =
        r.domains.iter().enumerate().map(|(i, d)| (fw.domains[i].letter.as_str(), fw.domains[i].title.as_str(), &d.change)).collect();
    rows.push(("", "Overall score", &r.overall));
    for (i, (_, _, c)) in rows.iter().enumerate() {
        desc.push(' ');
        if i < fw.domains.len() {
            name(&mut desc, fw, i);
        } else {
            desc.push_str("overall");
        }
        w!(
            desc,
            ": {} of {} areas improved, {} unchanged, {} declined, {} not compared.",
            c.improved, c.areas, c.unchanged, c.declined, c.not_compared
        );
    }
    let mut b = String::new();
    let items = [(UP, "Improved", false), (SAME, "Unchanged", false), (DOWN, "Declined", false)];
    let mut y = legend(&mut b, &items, 28.0, WIDE);
    let total = r.areas.max(1) as f64;
    let x = |n: u64| X0 + n as f64 / total * (X1 - X0);
    for (letter, title, c) in rows {
        y = heading(&mut b, letter, title, y + 30.0, 16.0, WIDE) + 12.0;
        let mut at = 0;
        for (k, n) in [(UP, c.improved), (SAME, c.unchanged), (DOWN, c.declined)] {
            if n == 0 {
                continue;
            }
            let (x0, x1) = (x(at), x(at + n));
            w!(
                b,
                r##"<g class="cascade-{}"><rect x="{}" y="{}" width="{}" height="28" fill="{}" stroke="#fff" stroke-width="2"/>"##,
                k.class,
                N(x0),
                N(y),
                N(x1 - x0),
                k.colour
            );
            if x1 - x0 >= 22.0 {
                #[allow(clippy::manual_midpoint, reason = "coordinates of a few hundred units cannot overflow, and the digits written stay as they are")]
                let centre = (x0 + x1) / 2.0;
                w!(b, r##"<text x="{}" y="{}" text-anchor="middle" fill="#fff" font-weight="700">{n}</text>"##, N(centre), N(y + 20.0));
            }
            b.push_str("</g>");
            at += n;
        }
        if c.not_compared > 0 {
            let (x0, x1) = (x(at), x(at + c.not_compared));
            w!(
                b,
                r##"<rect class="cascade-not-compared" x="{}" y="{}" width="{}" height="28" fill="#fff" stroke="{RULE}" stroke-dasharray="4 3"/>"##,
                N(x0),
                N(y + 1.0),
                N((x1 - x0 - 1.0).max(1.0))
            );
        }
        note(&mut b, y + 8.0, &format!("{} of {} up", c.improved, c.areas));
        y += 28.0;
    }
    w!(b, r#"<text x="16" y="{}" font-size="14" fill="{GREY}">Dashed outline: areas without both rounds for that domain.</text>"#, N(y + 30.0));
    svg("rollup-directions", WIDE, y + 44.0, &title, &desc, &b)
}

/// The education and mental-health perception gap per domain at both rounds, across areas:
/// education's mean minus mental health's, averaged over areas with both; 0 is in the middle.
///
/// ```
/// use cascade_core::{chart, tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level
/// Vale,baseline,a,education,clarity,2
/// Vale,baseline,b,mental-health,clarity,4
/// Vale,followup,a,education,clarity,3
/// Vale,followup,b,mental-health,clarity,3
/// ";
/// let fw = Framework::cascade();
/// let r = tidy::read(csv.as_bytes(), &fw)?.rollup("baseline", "followup")?;
/// let svg = chart::rollup_gap(&fw, &r);
/// assert!(svg.contains("C clarity: baseline \u{2212}2 (1 area), followup 0 (1 area)."));
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn rollup_gap(fw: &Framework, r: &crate::rollup::Rollup) -> String {
    let (base, follow) = (SeriesStyle::Baseline.look(), SeriesStyle::Followup.look());
    let title = format!("Education minus mental health, {} and {}", E(&r.from), E(&r.to));
    let mut desc = String::from("Education's mean rating minus mental health's, averaged over areas with both.");
    let span = f64::from(fw.scale().max(2) - 1);
    for (i, d) in r.domains.iter().enumerate().take(fw.domains.len()) {
        desc.push(' ');
        name(&mut desc, fw, i);
        for (k, (label, g)) in [(&r.from, &d.gap.from), (&r.to, &d.gap.to)].into_iter().enumerate() {
            desc.push_str(if k == 0 { ": " } else { ", " });
            w!(desc, "{} ", E(label));
            match g.mean {
                Some(m) => w!(desc, "{} ({} {})", T(m), g.areas, if g.areas == 1 { "area" } else { "areas" }),
                None => desc.push_str("no data"),
            }
        }
        desc.push('.');
    }
    let mut b = String::new();
    let items = [(base, r.from.as_str(), false), (follow, r.to.as_str(), false)];
    let mut y = legend(&mut b, &items, 28.0, WIDE);
    // At most 1 level either way unless a gap is wider.
    let widest = r.domains.iter().flat_map(|d| [d.gap.from.mean, d.gap.to.mean]).flatten().fold(1.0f64, |m, v| m.max(v.abs().ceil()));
    let reach = widest.min(span);
    #[allow(clippy::manual_midpoint, reason = "two constants cannot overflow, and the digits written stay as they are")]
    let mid = (X0 + X1) / 2.0;
    let x = |v: f64| mid + within(v, -reach, reach) / reach * (X1 - X0) / 2.0;
    b.push_str(r#"<g class="cascade-levels" text-anchor="middle" font-size="14">"#);
    w!(b, r#"<text x="{}" y="{}">mental health higher</text>"#, N(X0 + 70.0), N(y + 16.0));
    w!(b, r#"<text x="{}" y="{}">education higher</text>"#, N(X1 - 60.0), N(y + 16.0));
    let steps = reach as i64;
    for v in -steps..=steps {
        w!(b, r#"<text x="{}" y="{}" font-weight="700">{}</text>"#, N(x(v as f64)), N(y + 36.0), T(v as f64));
    }
    b.push_str("</g>");
    y += 44.0;
    for (i, d) in r.domains.iter().enumerate().take(fw.domains.len()) {
        y = heading(&mut b, &fw.domains[i].letter, &fw.domains[i].title, y + 30.0, 16.0, WIDE) + 28.0;
        w!(b, r#"<path class="cascade-axis" d="M{} {}H{}M{} {}v24" stroke="{RULE}" stroke-width="1.5" fill="none"/>"#, N(X0), N(y), N(X1), N(mid), N(y - 12.0));
        for (k, g, r) in [(&base, &d.gap.from, 6.0), (&follow, &d.gap.to, 7.0)] {
            if let Some(m) = g.mean {
                group(&mut b, "marks", k);
                mark(&mut b, k, x(m), y, r);
                b.push_str("</g>");
            }
        }
        let mut t = String::new();
        match (d.gap.from.mean, d.gap.to.mean) {
            (Some(f), Some(to)) => w!(t, "{} to {}", T(f), T(to)),
            (Some(f), None) => w!(t, "{} to -", T(f)),
            (None, Some(to)) => w!(t, "- to {}", T(to)),
            (None, None) => t.push_str("no data"),
        }
        note(&mut b, y, &t);
        y += 14.0;
    }
    svg("rollup-gap", WIDE, y + 16.0, &title, &desc, &b)
}
