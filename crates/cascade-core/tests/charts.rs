//! The SVG charts: snapshots of the contract example, and structural checks that fail loudly.
//!
//! Snapshots live in `tests/snapshots/`. To write missing or changed ones, run
//! `UPDATE_SNAPSHOTS=1 cargo test -p cascade-core --test charts` and review the diff.

use cascade_core::chart::{self, Series, SeriesStyle};
use cascade_core::{AreaComparison, Framework, RoundSummary, Summary, tidy};

fn contract() -> (Framework, Summary, AreaComparison) {
    let path = format!("{}/tests/fixtures/contract/workshop.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fw = Framework::cascade();
    let data = tidy::read(text.as_bytes(), &fw).expect("the contract example reads");
    let summary = data.summary();
    let mut cmp = data.compare("baseline", "followup").expect("both rounds exist");
    (fw, summary, cmp.areas.remove(0))
}

fn target(values: &[f64]) -> Series {
    Series::new("Target", values.iter().map(|&v| Some(v)).collect(), SeriesStyle::Target)
}

fn snapshot(name: &str, svg: &str) {
    check_svg(svg);
    let path = format!("{}/tests/snapshots/{name}.svg", env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    match std::fs::read_to_string(&path) {
        Ok(old) if old == svg => {}
        Ok(_) | Err(_) if update => {
            std::fs::create_dir_all(format!("{}/tests/snapshots", env!("CARGO_MANIFEST_DIR"))).expect("mkdir");
            std::fs::write(&path, svg).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        Ok(old) => {
            let at = old.bytes().zip(svg.bytes()).position(|(a, b)| a != b).unwrap_or(old.len().min(svg.len()));
            panic!(
                "{path} differs from the chart (first at byte {at}: {:?}); if the change is intended, \
                 run `UPDATE_SNAPSHOTS=1 cargo test -p cascade-core --test charts` and review the diff",
                &svg[at.saturating_sub(20)..(at + 40).min(svg.len())]
            );
        }
        Err(_) => {
            panic!("{path} is missing; write it with `UPDATE_SNAPSHOTS=1 cargo test -p cascade-core --test charts`")
        }
    }
}

/// A small XML well-formedness check: one root, balanced tags, quoted attributes, entities only
/// where allowed, no `<` or `&` loose in text.
fn well_formed(svg: &str) -> Result<(), String> {
    let entity = |s: &str| -> bool { ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| s.starts_with(e)) };
    let text_ok = |t: &str| -> Result<(), String> {
        for (i, _) in t.match_indices('&') {
            if !entity(&t[i..]) {
                return Err(format!("bare & in {t:?}"));
            }
        }
        if t.contains('>') && t.contains('<') {
            return Err(format!("stray < in {t:?}"));
        }
        Ok(())
    };
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root: {text:?}"));
        }
        text_ok(text)?;
        let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = &body[..name_end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':') {
            return Err(format!("bad tag name in <{tag}>"));
        }
        // Attributes: name="value" pairs, values free of < and " and bare &.
        let mut attrs = body[name_end..].trim();
        let mut seen = Vec::new();
        while !attrs.is_empty() {
            let eq = attrs.find("=\"").ok_or_else(|| format!("attribute without =\" in <{tag}>"))?;
            let an = &attrs[..eq];
            if an.is_empty() || an.contains(|c: char| c.is_whitespace() || c == '"') {
                return Err(format!("bad attribute name {an:?} in <{tag}>"));
            }
            if seen.contains(&an) {
                return Err(format!("duplicate attribute {an} in <{tag}>"));
            }
            seen.push(an);
            let after = &attrs[eq + 2..];
            let end = after.find('"').ok_or_else(|| format!("unterminated attribute in <{tag}>"))?;
            let value = &after[..end];
            if value.contains('<') {
                return Err(format!("< in attribute of <{tag}>"));
            }
            text_ok(value)?;
            let next = &after[end + 1..];
            if !next.is_empty() && !next.starts_with(char::is_whitespace) {
                return Err(format!("attributes run together in <{tag}>"));
            }
            attrs = next.trim_start();
        }
        if stack.is_empty() {
            roots += 1;
        }
        if !empty {
            stack.push(name);
        }
    }
    if !rest.trim().is_empty() {
        return Err(format!("text after the root: {rest:?}"));
    }
    match (roots, stack.is_empty()) {
        (1, true) => Ok(()),
        (r, _) => Err(format!("{r} roots, unclosed: {stack:?}")),
    }
}

#[test]
fn the_checker_catches_broken_xml() {
    assert!(well_formed("<svg><g></g></svg>").is_ok());
    assert!(well_formed(r#"<svg a="1"><text>a &amp; b</text></svg>"#).is_ok());
    for bad in [
        "<svg><g></svg>",
        "<svg></svg><svg></svg>",
        "<svg><text>a & b</text></svg>",
        r#"<svg a="<"></svg>"#,
        r#"<svg a="1"b="2"></svg>"#,
        r#"<svg a="1" a="2"></svg>"#,
        "<svg><g>",
        "<svg><text>x</tspan></text></svg>",
    ] {
        assert!(well_formed(bad).is_err(), "{bad}");
    }
}

/// What every chart must be.
fn check_svg(svg: &str) {
    if let Err(e) = well_formed(svg) {
        panic!("not well-formed: {e}\n{svg}");
    }
    assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 "#), "{svg}");
    let root = &svg[..svg.find('>').expect("root tag")];
    assert!(root.contains(r#" role="img""#), "{root}");
    assert!(!root.contains(r#"aria-label="""#) && root.contains(" aria-label=\""), "{root}");
    let title = between(svg, "<title>", "</title>");
    assert!(!title.trim().is_empty(), "empty title");
    assert!(!between(svg, "<desc>", "</desc>").trim().is_empty(), "empty desc");
    // Under `style-src 'self'` inline styles are dropped: there must be none.
    assert!(!svg.contains("style="), "style attribute");
    assert!(!svg.contains("<style"), "style element");
    assert!(!svg.contains("currentColor"));
    assert!(!svg.contains(" id="), "ids collide when two charts share a page");
    assert!(!svg.contains("NaN"));
    // Numbers have at most two decimals.
    for (i, _) in svg.match_indices('.') {
        let digits = svg[i + 1..].chars().take_while(char::is_ascii_digit).count();
        let before = svg[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        assert!(!before || digits <= 2, "long decimal near {:?}", &svg[i.saturating_sub(10)..i + 10]);
    }
    // Text is at least 14 units high.
    for (i, _) in svg.match_indices("font-size=\"") {
        let size: f64 = svg[i + 11..].split('"').next().and_then(|s| s.parse().ok()).expect("font size");
        assert!(size >= 14.0, "font-size {size}");
    }
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> &'a str {
    let start = s.find(a).unwrap_or_else(|| panic!("no {a}")) + a.len();
    let end = s[start..].find(b).unwrap_or_else(|| panic!("no {b}")) + start;
    &s[start..end]
}

fn rounds(s: &Summary) -> (&RoundSummary, &RoundSummary) {
    (&s.areas[0].rounds[0], &s.areas[0].rounds[1])
}

#[test]
fn radar_snapshot() {
    let (fw, s, _) = contract();
    let (b, f) = rounds(&s);
    let svg = chart::radar(
        &fw,
        &[
            Series::headlines("Baseline", b, SeriesStyle::Baseline),
            Series::headlines("Follow-up", f, SeriesStyle::Followup),
            target(&[4.0, 3.0, 3.0, 3.0, 3.0, 4.0, 3.0]),
        ],
    );
    assert!(svg.contains("Baseline: C clarity 2.5, A contact 1.5, S structures no data"), "{svg}");
    snapshot("radar", &svg);
}

#[test]
fn radar_full_snapshot() {
    let fw = Framework::cascade();
    let series = [
        Series::new("Baseline", [2.0, 1.5, 2.0, 1.0, 2.5, 2.0, 3.0].iter().map(|&v| Some(v)).collect(), SeriesStyle::Baseline),
        Series::new("Follow-up", vec![Some(3.0), Some(2.5), Some(3.0), None, Some(3.0), Some(3.5), Some(3.0)], SeriesStyle::Followup),
        target(&[4.0, 3.0, 4.0, 3.0, 4.0, 4.0, 4.0]),
        Series::new("Other area", vec![Some(5.0); 7], SeriesStyle::Other(0)),
    ];
    snapshot("radar_full", &chart::radar(&fw, &series));
}

#[test]
fn change_snapshot() {
    let (fw, _, cmp) = contract();
    let svg = chart::change(&fw, &cmp, "Baseline", "Follow-up");
    assert!(svg.contains(">+0.5</text>") && svg.contains(">no change</text>") && svg.contains(">no data</text>"));
    assert!(svg.contains("C clarity: Baseline 2.5, Follow-up 3, +0.5. A contact: Baseline 1.5, Follow-up 1.5, no change. S structures: no data."));
    assert!(!svg.contains("Target"), "no targets in the example, so no target legend");
    snapshot("change", &svg);
}

#[test]
fn change_with_targets_and_a_decline() {
    let (fw, _, mut cmp) = contract();
    cmp.domains[0].target = Some(4);
    cmp.domains[2].target = Some(3);
    cmp.domains[1].from.headline = Some(2.5);
    cmp.domains[1].to.headline = Some(1.5);
    cmp.domains[1].delta = Some(-1.0);
    let svg = chart::change(&fw, &cmp, "Baseline", "Follow-up");
    assert!(svg.contains(">\u{2212}1</text>"), "a decline shows a real minus sign");
    assert!(svg.contains(">Target</text>") && svg.contains("target 4"));
    snapshot("change_targets", &svg);
}

#[test]
fn distribution_snapshot() {
    let (fw, s, _) = contract();
    let clarity = &rounds(&s).0.domains[0];
    assert!(clarity.split);
    let svg = chart::distribution(&fw, clarity);
    assert!(svg.contains("Split room"));
    assert!(svg.contains("median 2.5 · 4 rated · 1 unsure"));
    snapshot("distribution", &svg);
    // An empty domain: no bars, no median, still a chart.
    let empty = chart::distribution(&fw, &rounds(&s).0.domains[2]);
    check_svg(&empty);
    assert!(!empty.contains("cascade-bar\"") && !empty.contains("cascade-median") && !empty.contains("Split room"));
    assert!(empty.contains("no ratings"));
}

#[test]
fn group_gap_snapshot() {
    let (fw, s, _) = contract();
    let svg = chart::group_gap(&fw, rounds(&s).0);
    assert!(
        svg.contains("C clarity: education 2.33, mental health 3, gap 0.67, mental health higher. A contact"),
        "{svg}"
    );
    assert!(svg.contains(">gap 0.67</text>") && svg.contains(">no data</text>"));
    snapshot("group_gap", &svg);
}

/// A framework whose every text is hostile markup.
fn hostile() -> Framework {
    let evil = r#"<script>&"'"#;
    let mut fw = Framework::cascade();
    fw.name = evil.into();
    for d in &mut fw.domains {
        d.title = evil.into();
        d.letter = evil.into();
    }
    fw.domains[0].id = evil.into();
    fw.levels[0].label = evil.into();
    fw
}

#[test]
fn data_text_is_escaped() {
    let (_, mut s, mut cmp) = contract();
    let fw = hostile();
    let evil = r#"<script>&"'"#;
    cmp.area = evil.into();
    s.areas[0].rounds[0].round = evil.into();
    s.areas[0].rounds[0].domains[0].domain = evil.into();
    let (b, _) = rounds(&s);
    let series = [Series::headlines(evil, b, SeriesStyle::Baseline)];
    let small = Framework { domains: fw.domains[..2].to_vec(), ..fw.clone() };
    for svg in [
        chart::radar(&fw, &series),
        chart::radar(&small, &series),
        chart::change(&fw, &cmp, "Baseline", "Follow-up"),
        chart::distribution(&fw, &b.domains[0]),
        chart::group_gap(&fw, b),
    ] {
        check_svg(&svg);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&apos;"), "{svg}");
    }
}

/// The points of the first `<tag points="…">` in the group of class `class`.
fn points(svg: &str, class: &str, tag: &str) -> Vec<Vec<(f64, f64)>> {
    let group = between(svg, &format!("<g class=\"cascade-series cascade-{class}\">"), "</g>");
    group
        .split(&format!("<{tag} points=\""))
        .skip(1)
        .map(|p| {
            p.split('"')
                .next()
                .unwrap_or_default()
                .split(' ')
                .map(|xy| {
                    let (x, y) = xy.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

/// The centre of a radar: where the spokes start.
fn centre(svg: &str) -> (f64, f64) {
    let grid = between(svg, "class=\"cascade-grid\"", "\"/>");
    let spoke = grid.rsplit('M').next().expect("a spoke");
    let (x, y) = spoke.split('L').next().expect("start").split_once(' ').expect("x y");
    (x.parse().expect("x"), y.parse().expect("y"))
}

#[test]
fn a_full_series_is_one_polygon_with_a_point_per_domain() {
    for n in [3, 5, 7, 10] {
        let mut fw = Framework::cascade();
        fw.domains = (0..n)
            .map(|i| {
                let mut d = Framework::cascade().domains[i % 7].clone();
                d.id = format!("d{i}");
                d
            })
            .collect();
        let s = Series::new("All", vec![Some(2.0); n], SeriesStyle::Followup);
        let svg = chart::radar(&fw, &[s]);
        check_svg(&svg);
        let polys = points(&svg, "followup", "polygon");
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].len(), n);
        assert!(!svg.contains("<polyline"));
        let marks = between(&svg, "<g class=\"cascade-marks cascade-followup\">", "</g>");
        assert_eq!(marks.matches("<rect x=").count(), n, "a square marker per domain");
    }
}

#[test]
fn a_missing_value_opens_the_shape_and_is_not_drawn_at_the_centre() {
    let fw = Framework::cascade();
    let mut values = vec![Some(1.0); 7];
    values[1] = None;
    values[4] = None;
    let svg = chart::radar(&fw, &[Series::new("Gappy", values, SeriesStyle::Baseline)]);
    check_svg(&svg);
    let (cx, cy) = centre(&svg);
    assert!(!svg.contains("<polygon points="), "no closed shape");
    let runs = points(&svg, "baseline", "polyline");
    // Domains 2, 3 and then 5, 6, 0 (round the top): two runs, five points.
    assert_eq!(runs.iter().map(Vec::len).collect::<Vec<_>>(), [2, 3]);
    let markers = between(&svg, "<g class=\"cascade-marks cascade-baseline\">", "</g>").matches("<circle").count();
    assert_eq!(markers, 5, "a marker only where there is a value");
    for (x, y) in runs.iter().flatten() {
        assert!((x - cx).abs() + (y - cy).abs() > 20.0, "a point at the centre: {x},{y}");
    }
    assert!(!svg.contains(&format!("cx=\"{cx}\" cy=\"{cy}\"")), "a marker at the centre");
    assert!(svg.contains("Gappy: C clarity 1, A contact no data"));
    // A series with nothing at all draws nothing, and still says so.
    let none =
        chart::radar(&fw, &[Series::new("Empty", vec![None; 7], SeriesStyle::Target)]);
    check_svg(&none);
    assert!(!none.contains("points=") && none.contains("Empty: C clarity no data"));
}

#[test]
fn small_frameworks_and_long_scales_still_chart() {
    let mut fw = Framework::cascade();
    fw.domains.truncate(2);
    let s = Series::new("B", vec![Some(2.0), None], SeriesStyle::Other(7));
    let svg = chart::radar(&fw, &[s]);
    check_svg(&svg);
    assert!(svg.contains("cascade-other cascade-other-7"));
    assert!(!svg.contains("points="), "two domains make rows, not a radar");
    let mut ten = Framework::cascade();
    ten.levels = (1..=10).map(|i| cascade_core::Level { label: format!("L{i}") }).collect();
    for d in &mut ten.domains {
        d.descriptors = vec!["x".into(); 10];
    }
    ten.validate().expect("valid");
    let s = Series::new("B", vec![Some(10.0); 7], SeriesStyle::Baseline);
    let svg = chart::radar(&ten, &[s]);
    check_svg(&svg);
    assert!(svg.contains(">10</text>"));
    let (_, sum, cmp) = contract();
    check_svg(&chart::change(&ten, &cmp, "Baseline", "Follow-up"));
    check_svg(&chart::group_gap(&ten, &sum.areas[0].rounds[0]));
    check_svg(&chart::distribution(&ten, &sum.areas[0].rounds[0].domains[0]));
}

#[test]
fn output_is_deterministic_and_styles_differ() {
    let (fw, s, cmp) = contract();
    let (b, f) = rounds(&s);
    let series = [Series::headlines("B", b, SeriesStyle::Baseline), Series::headlines("F", f, SeriesStyle::Followup)];
    assert_eq!(chart::radar(&fw, &series), chart::radar(&fw, &series));
    assert_eq!(chart::change(&fw, &cmp, "Baseline", "Follow-up"), chart::change(&fw, &cmp, "Baseline", "Follow-up"));
    // Dash pattern and marker differ, not only colour.
    let svg = chart::radar(&fw, &series);
    assert!(svg.contains("stroke-dasharray=\"8 8\""));
    assert!(svg.contains("<circle") && svg.contains("<rect x="));
}

fn programme() -> (Framework, cascade_core::Rollup) {
    let path = format!("{}/tests/fixtures/contract/programme.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fw = Framework::cascade();
    let data = tidy::read(text.as_bytes(), &fw).expect("the programme example reads");
    let r = data.rollup("baseline", "followup").expect("both rounds exist");
    (fw, r)
}

#[test]
fn rollup_directions_snapshot() {
    let (fw, r) = programme();
    let svg = chart::rollup_directions(&fw, &r);
    snapshot("rollup_directions", &svg);
    // Every count is in words, and no colour stands alone: the counts are drawn in the bars.
    assert!(svg.contains("<desc>Of 5 areas: C clarity: 1 of 4 areas improved, 3 unchanged, 0 declined, 1 not compared."));
    assert!(svg.contains("overall: 1 of 3 areas improved, 1 unchanged, 1 declined, 2 not compared.</desc>"));
    assert_eq!(svg.matches("class=\"cascade-not-compared\"").count(), 8);
    assert!(!svg.contains("style="));
}

#[test]
fn rollup_gap_snapshot() {
    let (fw, r) = programme();
    let svg = chart::rollup_gap(&fw, &r);
    snapshot("rollup_gap", &svg);
    assert!(svg.contains("E evidence: baseline \u{2212}0.2 (5 areas), followup \u{2212}0.17 (3 areas)."));
    assert!(svg.contains(">\u{2212}0.1 to 0</text>"));
    assert!(!svg.contains("style="));
}
