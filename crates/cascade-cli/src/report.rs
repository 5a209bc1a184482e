//! `cascade report`: one self-contained HTML file, the programme and then each area.
//!
//! Nothing in it is fetched: the style sheet is inline, the charts are inline SVG from the
//! core, and there is no script. It is written one area at a time, so a national data set is
//! never held whole.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::input::Actions;
use cascade_core::{chart, RollupChange, Dataset, Direction, Framework, Rollup};

const STYLE: &str = r#"
:root { color: #0b0c0c; background: #fff; font: 16px/1.45 system-ui, "Segoe UI", Roboto, Arial, sans-serif; }
body { margin: 0; }
header, main { max-width: 74rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; border-bottom: 4px solid #0b4f9c; }
h1 { font-size: 1.9rem; margin: 0 0 .4rem; }
h2 { font-size: 1.45rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #6b7280; padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; }
p, li, dd { max-width: 48rem; }
.lead { font-size: 1.1rem; }
.muted { color: #40464f; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; padding: .3rem 0; }
th, td { border-bottom: 1px solid #b8bcc4; padding: .3rem .5rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #0b0c0c; font-size: .9rem; }
tbody th { font-weight: 400; min-width: 12rem; max-width: 26rem; }
td { white-space: nowrap; }
td.text { white-space: normal; text-align: left; min-width: 12rem; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #0b0c0c; }
.wide { overflow-x: auto; }
.wide:focus { outline: 3px solid #0b0c0c; box-shadow: 0 0 0 6px #ffdd00; }
figure { margin: 1rem 0; }
figure svg { display: block; width: 100%; max-width: 40rem; height: auto; }
figcaption { color: #40464f; max-width: 48rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem 2rem; }
dt { font-weight: 700; }
dd { margin: 0 0 .5rem 1rem; }
nav ol { columns: 3 14rem; padding-left: 1.5rem; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #ffdd00; outline-offset: 1px; background: #ffdd00; color: #0b0c0c; }
.up { color: #1d6b2a; font-weight: 700; }
.down { color: #b0170f; font-weight: 700; }
@media (max-width: 40rem) { tbody th { min-width: 8rem; } header, main { padding: 0 .75rem; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  :root { font-size: 10pt; }
  th, td { padding: .2rem .3rem; }
  tbody th { min-width: 0; }
  header, main { max-width: none; padding: 0; }
  nav { display: none; }
  section.area { break-before: page; }
  h2, h3 { break-after: avoid; }
  table, figure, tr, dl { break-inside: avoid; }
  .wide { overflow: visible; }
  /* Two charts side by side, so an area takes two A4 pages, not four. */
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 0 6mm; align-items: start; }
  figure { margin: .4rem 0; }
  figure svg { width: 100%; max-width: 13cm; max-height: 12.5cm; }
  .charts figure svg { max-height: 10cm; }
  .area table { font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Text as HTML: user text is data, never markup.
struct H<'a>(&'a str);

impl std::fmt::Display for H<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                c if c < ' ' && c != '\n' && c != '\t' => f.write_str(" ")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

fn fixed(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"))
}

/// A change for reading: "+0.25", "−1.00", "0.00".
fn signed(v: Option<f64>) -> String {
    match v {
        None => "–".to_owned(),
        Some(v) if (v * 100.0).round() == 0.0 => "0.00".to_owned(),
        Some(v) if v > 0.0 => format!("+{v:.2}"),
        Some(v) => format!("\u{2212}{:.2}", -v),
    }
}

fn short(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") })
}

fn p_value(p: f64, n: u64) -> String {
    if n == 0 {
        "–".to_owned()
    } else if p < 0.001 {
        "&lt; 0.001".to_owned()
    } else {
        format!("{p:.3}")
    }
}

fn areas(n: u64) -> String {
    format!("{n} {}", if n == 1 { "area" } else { "areas" })
}

pub(crate) fn write(out: &mut dyn Write, data: &Dataset, r: &Rollup, actions: &Actions, title: &str) -> io::Result<()> {
    let fw = data.framework();
    let mut o = String::with_capacity(64 << 10);
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"cascade {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        H(title)
    );
    let _ = write!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"lead\">{} of the {} framework, {} to {}: the programme as a whole, then each area.</p>\n</header>\n<main>\n",
        H(title),
        areas(r.areas),
        H(&fw.name),
        H(&r.from),
        H(&r.to)
    );
    programme(&mut o, fw, r);
    // Contents: one link per area.
    o.push_str("<nav aria-label=\"Areas\">\n<h2>Areas</h2>\n<ol>\n");
    let mut index = 0;
    let names: Vec<(usize, String)> = data
        .area_names()
        .enumerate()
        .filter_map(|(i, name)| data.area_comparison(name, &r.from, &r.to).map(|c| (i, c.area)))
        .collect();
    for (_, name) in &names {
        index += 1;
        let _ = writeln!(o, "<li><a href=\"#area-{index}\">{}</a></li>", H(name));
    }
    o.push_str("</ol>\n</nav>\n");
    out.write_all(o.as_bytes())?;
    for (k, (_, name)) in names.iter().enumerate() {
        o.clear();
        area(&mut o, fw, data, name, k + 1, r, actions);
        out.write_all(o.as_bytes())?;
    }
    out.write_all(b"</main>\n</body>\n</html>\n")
}

fn programme(o: &mut String, fw: &Framework, r: &Rollup) {
    let _ = write!(o, "<section aria-labelledby=\"programme\">\n<h2 id=\"programme\">The programme</h2>\n");
    let more_up = r.domains.iter().filter(|d| d.change.improved > d.change.declined).count();
    let _ = writeln!(
        o,
        "<p>{} took part. {} had both rounds in every domain, so an overall score at both; \
         {} of them improved overall, {} stayed the same and {} declined. \
         In {more_up} of the {} domains more areas improved than declined.</p>",
        areas(r.areas),
        areas(r.overall.areas),
        r.overall.improved,
        r.overall.unchanged,
        r.overall.declined,
        fw.domains.len()
    );
    if !r.lacking_from.is_empty() || !r.lacking_to.is_empty() {
        o.push_str("<p>Not compared, for lack of a round: ");
        let mut parts = Vec::new();
        if !r.lacking_to.is_empty() {
            parts.push(format!("{} without {} ({})", areas(r.lacking_to.len() as u64), H(&r.to), list(&r.lacking_to)));
        }
        if !r.lacking_from.is_empty() {
            parts.push(format!("{} without {} ({})", areas(r.lacking_from.len() as u64), H(&r.from), list(&r.lacking_from)));
        }
        o.push_str(&parts.join("; "));
        o.push_str(".</p>\n");
    }
    // Two tables of a few columns each, rather than one of twelve, so both fit an A4 page.
    let _ = write!(
        o,
        "<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-labelledby=\"t-improved\"><table>\n<caption id=\"t-improved\">How many areas improved, {} to {}</caption>\n<thead><tr>\
         <th scope=\"col\">Domain</th><th scope=\"col\">Areas compared</th><th scope=\"col\">Improved</th>\
         <th scope=\"col\">Same</th><th scope=\"col\">Declined</th><th scope=\"col\">Not compared</th>\
         <th scope=\"col\">p</th></tr></thead>\n<tbody>\n",
        H(&r.from),
        H(&r.to)
    );
    let names: Vec<String> =
        fw.domains.iter().map(|d| format!("<b>{}</b> {}", H(&d.letter), H(&d.title))).collect();
    for (i, d) in r.domains.iter().enumerate() {
        counts_row(o, "", &names[i], &d.change);
    }
    counts_row(o, " class=\"total\"", "Overall score", &r.overall);
    o.push_str("</tbody>\n</table></div>\n");
    let _ = write!(
        o,
        "<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-labelledby=\"t-levels\"><table>\n<caption id=\"t-levels\">By how much, in levels</caption>\n<thead><tr>\
         <th scope=\"col\">Domain</th><th scope=\"col\">Mean at {}</th><th scope=\"col\">Mean at {}</th>\
         <th scope=\"col\">Mean change</th><th scope=\"col\">Median change</th><th scope=\"col\">Smallest change</th>\
         <th scope=\"col\">Largest change</th></tr></thead>\n<tbody>\n",
        H(&r.from),
        H(&r.to)
    );
    for (i, d) in r.domains.iter().enumerate() {
        levels_row(o, "", &names[i], &d.change);
    }
    levels_row(o, " class=\"total\"", "Overall score", &r.overall);
    o.push_str("</tbody>\n</table></div>\n");
    o.push_str(
        "<dl>\n<dt>Areas compared</dt><dd>Areas with a headline for the domain in both rounds. An area's headline \
         is the level it agreed, or else the middle (median) rating in the room.</dd>\n\
         <dt>Improved, same, declined</dt><dd>How many of those areas' headlines went up, stayed exactly the \
         same, or went down.</dd>\n\
         <dt>Not compared</dt><dd>Areas that lack one of the rounds, or a rating of this domain in one.</dd>\n\
         <dt>Mean, median, smallest and largest change</dt><dd>The average headline in each round over the areas compared; \
         the average and middle change in levels; the smallest and largest change.</dd>\n\
         <dt>p</dt><dd>The sign test across areas: how likely a split at least this uneven between improved and \
         declined areas would be if each were equally likely. Below 0.05 it is unlikely to be chance; with few \
         areas it cannot be small.</dd>\n</dl>\n",
    );
    let _ = write!(
        o,
        "<figure>\n{}\n<figcaption>Areas whose headline improved (green), stayed the same (grey) or declined \
         (red), per domain and overall; the numbers in the bars are counts of areas.</figcaption>\n</figure>\n",
        chart::rollup_directions(fw, r)
    );
    let _ = write!(
        o,
        "<h3>Do schools and mental health services see it the same way?</h3>\n\
         <p>The perception gap is education's mean rating minus mental health's, in each area that had both, \
         averaged over those areas. Above 0, education staff rated joint working higher; below 0, mental health \
         staff did. A gap that narrows means the two sides see their joint working more alike.</p>\n\
         <figure>\n{}\n<figcaption>The perception gap per domain at {} (circles) and {} (squares).</figcaption>\n</figure>\n",
        chart::rollup_gap(fw, r),
        H(&r.from),
        H(&r.to)
    );
    let _ = write!(
        o,
        "<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-labelledby=\"t-gap\"><table>\n<caption id=\"t-gap\">Perception gap (education minus mental health)</caption>\n<thead><tr>\
         <th scope=\"col\">Domain</th><th scope=\"col\">Gap at {}</th><th scope=\"col\">Areas</th>\
         <th scope=\"col\">Gap at {}</th><th scope=\"col\">Areas</th></tr></thead>\n<tbody>\n",
        H(&r.from),
        H(&r.to)
    );
    for (i, d) in r.domains.iter().enumerate() {
        let dom = &fw.domains[i];
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\"><b>{}</b> {}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            H(&dom.letter),
            H(&dom.title),
            signed(d.gap.from.mean),
            d.gap.from.areas,
            signed(d.gap.to.mean),
            d.gap.to.areas
        );
    }
    o.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn list(names: &[String]) -> String {
    const SHOWN: usize = 30;
    let mut s: Vec<String> = names.iter().take(SHOWN).map(|n| H(n).to_string()).collect();
    if names.len() > SHOWN {
        s.push(format!("and {} more", names.len() - SHOWN));
    }
    s.join(", ")
}

fn counts_row(o: &mut String, class: &str, name: &str, c: &RollupChange) {
    let _ = writeln!(
        o,
        "<tr{class}><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        c.areas,
        c.improved,
        c.unchanged,
        c.declined,
        c.not_compared,
        p_value(c.p_value, c.areas)
    );
}

fn levels_row(o: &mut String, class: &str, name: &str, c: &RollupChange) {
    let _ = writeln!(
        o,
        "<tr{class}><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        fixed(c.mean_from),
        fixed(c.mean_to),
        signed(c.mean_delta),
        signed(c.median_delta),
        signed(c.min_delta),
        signed(c.max_delta)
    );
}

fn area(o: &mut String, fw: &Framework, data: &Dataset, name: &str, n: usize, r: &Rollup, actions: &Actions) {
    let Some(cmp) = data.area_comparison(name, &r.from, &r.to) else { return };
    let Some(summary) = data.area_summary(name) else { return };
    let round = |id: &str| summary.round(id);
    let (rf, rt) = (round(&r.from), round(&r.to));
    let _ = write!(o, "<section class=\"area\" aria-labelledby=\"area-{n}\">\n<h2 id=\"area-{n}\">{}</h2>\n", H(&cmp.area));
    let overall = match (cmp.overall.from, cmp.overall.to, cmp.overall.delta) {
        (Some(f), Some(t), Some(d)) => {
            let how = match Direction::of(Some(d)) {
                Direction::Improved => format!("<span class=\"up\">up {}</span>", signed(Some(d)).trim_start_matches('+')),
                Direction::Declined => format!("<span class=\"down\">down {}</span>", signed(Some(-d)).trim_start_matches('+')),
                _ => "unchanged".to_owned(),
            };
            format!("The overall score (the mean of the seven headlines) went from {f:.2} to {t:.2}: {how}.")
        }
        _ => match (rf, rt) {
            (Some(_), None) => format!("There is no {} yet, so nothing to compare.", H(&r.to)),
            (None, Some(_)) => format!("There is no {} for this area, so nothing to compare.", H(&r.from)),
            _ => "Not every domain has a headline in both rounds, so there is no overall change.".to_owned(),
        },
    };
    let up = cmp.domains.iter().filter(|d| d.direction == Direction::Improved).count();
    let down = cmp.domains.iter().filter(|d| d.direction == Direction::Declined).count();
    let _ = writeln!(o, "<p>{overall} {up} of {} domains improved and {down} declined.</p>", fw.domains.len());
    o.push_str("<div class=\"charts\">\n");
    let mut series = Vec::new();
    if let Some(s) = rf {
        series.push(chart::Series::headlines(&r.from, s, chart::SeriesStyle::Baseline));
    }
    if let Some(s) = rt {
        series.push(chart::Series::headlines(&r.to, s, chart::SeriesStyle::Followup));
    }
    let _ = write!(
        o,
        "<figure>\n{}\n<figcaption>Headlines per domain in each round: further out is better.</figcaption>\n</figure>\n",
        chart::radar(fw, &series)
    );
    if rf.is_some() && rt.is_some() {
        let _ = write!(
            o,
            "<figure>\n{}\n<figcaption>Each domain's headline at {} and {}, with the change.</figcaption>\n</figure>\n",
            chart::change(fw, &cmp, &r.from, &r.to),
            H(&r.from),
            H(&r.to)
        );
    }
    o.push_str("</div>\n");
    let _ = write!(
        o,
        "<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-labelledby=\"t-area-{n}\"><table>\n<caption id=\"t-area-{n}\">{}: change per domain</caption>\n<thead><tr><th scope=\"col\">Domain</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">Change</th><th scope=\"col\">Mean change</th>\
         <th scope=\"col\">People in both</th><th scope=\"col\">Up</th><th scope=\"col\">Same</th><th scope=\"col\">Down</th>\
         <th scope=\"col\">p</th></tr></thead>\n<tbody>\n",
        H(&cmp.area),
        H(&r.from),
        H(&r.to)
    );
    for (k, d) in cmp.domains.iter().enumerate() {
        let dom = &fw.domains[k];
        let class = match d.direction {
            Direction::Improved => " class=\"up\"",
            Direction::Declined => " class=\"down\"",
            _ => "",
        };
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\"><b>{}</b> {}</th><td>{}</td><td>{}</td><td{class}>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            H(&dom.letter),
            H(&dom.title),
            short(d.from.headline),
            short(d.to.headline),
            signed(d.delta),
            signed(d.mean_delta),
            d.paired.n,
            d.paired.improved,
            d.paired.unchanged,
            d.paired.declined,
            p_value(d.paired.p_value, d.paired.improved + d.paired.declined)
        );
    }
    o.push_str(
        "</tbody>\n</table></div>\n<p class=\"muted\">Change is in the headline, in levels. People in both: those \
         who gave their email or name at both workshops and rated the domain both times; up, same and down count \
         how their own ratings moved, and p is the sign test over them.</p>\n",
    );
    let with_both: Vec<_> = [rf, rt]
        .into_iter()
        .flatten()
        .filter(|s| {
            s.domains.iter().any(|d| {
                d.groups.contains_key(&cascade_core::Group::Education)
                    && d.groups.contains_key(&cascade_core::Group::MentalHealth)
            })
        })
        .collect();
    if !with_both.is_empty() {
        o.push_str("<h3>Do education and mental health staff see it the same way?</h3>\n<div class=\"charts\">\n");
        for s in with_both {
            let _ = write!(
                o,
                "<figure>\n<figcaption>At {}: education's and mental health's mean ratings; the grey bar is the gap \
                 between them.</figcaption>\n{}\n</figure>\n",
                H(&s.round),
                chart::group_gap(fw, s)
            );
        }
        o.push_str("</div>\n");
    }
    if let Some(list) = actions.get(&cmp.area).filter(|l| !l.is_empty()) {
        let _ = write!(
            o,
            "<h3>Action plan</h3>\n<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-labelledby=\"t-plan-{n}\"><table>\n<caption id=\"t-plan-{n}\">{}: what will be done next</caption>\n<thead><tr>\
             <th scope=\"col\">Domain</th><th scope=\"col\">Action</th><th scope=\"col\">Who</th><th scope=\"col\">By</th>\
             </tr></thead>\n<tbody>\n",
            H(&cmp.area)
        );
        for a in list {
            let domain = fw.domains.iter().find(|d| d.id == a.domain);
            let _ = writeln!(
                o,
                "<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td></tr>",
                domain.map_or_else(|| H(&a.domain).to_string(), |d| format!("<b>{}</b> {}", H(&d.letter), H(&d.title))),
                H(&a.action),
                H(&a.owner),
                H(a.due.as_deref().unwrap_or("–"))
            );
        }
        o.push_str("</tbody>\n</table></div>\n");
    }
    o.push_str("</section>\n");
}
