//! `cargo xtask bench [--areas N] [--runs N] [--keep]`: `cascade summary` and `cascade compare`
//! on a generated national file of about a million ratings, beside the same per-domain summary
//! in pandas (`bench/pandas_summary.py`), run side by side.
//!
//! Steps: generate `target/bench/ratings.csv` (deterministic, only when missing or of another
//! size); make sure pandas imports; build the CLI in release; check that `cascade summary
//! --csv` and the pandas script agree on every area, round and domain; then time each command
//! `--runs` times (default 3) through `bench/measure.py`, which reports wall time and the
//! child's peak resident memory. Prints a table of medians and writes it, with every run, to
//! `target/bench/results.json`. The aims of issue 2 are reported, never asserted: timings
//! depend on the machine. See `bench/README.md`.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

const USAGE: &str = "usage: cargo xtask bench [--areas N] [--runs N] [--keep]
  --areas N  areas in the generated file (default 3572: 1,000,160 ratings)
  --runs N   runs of each command; the median is reported (default 3)
  --keep     keep the cross-check tables target/bench/{cascade,pandas}-summary.csv";

const DEFAULT_AREAS: u32 = 3572;
const ROUNDS: [&str; 2] = ["baseline", "followup"];
const RESPONDENTS: u32 = 20;
const DOMAINS: [&str; 7] = ["clarity", "contact", "structures", "outcomes", "learning", "integration", "evidence"];
/// Groups with their weight out of 100; the empty group means `other`.
const GROUPS: [(&str, u64); 7] = [
    ("education", 28),
    ("mental-health", 24),
    ("commissioner", 10),
    ("local-authority", 16),
    ("voluntary-sector", 12),
    ("other", 5),
    ("", 5),
];
const SEED: u64 = 0xCA5C_ADE0_0002;
/// Bump when the generator changes, so that old files are regenerated.
const GENERATOR: u32 = 1;

/// Columns both summaries must have and agree on.
const CHECKED: [&str; 14] = [
    "n",
    "unsure",
    "count_1",
    "count_2",
    "count_3",
    "count_4",
    "count_5",
    "mean",
    "median",
    "min",
    "max",
    "sd",
    "agreement",
    "split",
];

#[derive(Debug)]
struct Options {
    areas: u32,
    runs: u32,
    keep: bool,
}

/// One run of one command, as `bench/measure.py` reports it.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall_ms: f64,
    /// User plus system CPU time: steadier than wall time on a busy machine.
    cpu_ms: f64,
    maxrss_kb: f64,
}

/// One command's runs.
#[derive(Debug)]
struct Measured {
    name: &'static str,
    argv: Vec<String>,
    runs: Vec<Run>,
}

impl Measured {
    fn median_of(&self, f: impl Fn(&Run) -> f64) -> f64 {
        median(self.runs.iter().map(f).collect())
    }

    fn wall_ms(&self) -> f64 {
        self.median_of(|r| r.wall_ms)
    }

    fn cpu_ms(&self) -> f64 {
        self.median_of(|r| r.cpu_ms)
    }

    fn peak_mb(&self) -> f64 {
        self.median_of(|r| r.maxrss_kb) / 1024.0
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let opts = parse_args(args)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().ok_or("xtask is not inside the workspace")?.to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let dir = target.join("bench");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());

    let csv = dir.join("ratings.csv");
    let ratings = ensure_data(&csv, opts.areas)?;
    ensure_pandas(&python)?;

    eprintln!("bench: building the CLI in release");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    status(Command::new(cargo).args(["build", "--release", "-p", "cascade-cli"]).current_dir(&root), "cargo build")?;
    // A copy, so that a rebuild by someone else mid-run cannot change what is measured.
    let exe = format!("cascade{}", std::env::consts::EXE_SUFFIX);
    let cascade = dir.join(&exe);
    fs::copy(target.join("release").join(&exe), &cascade).map_err(|e| format!("cannot copy the CLI: {e}"))?;

    let pandas_script = root.join("bench").join("pandas_summary.py");
    let checked = cross_check(&cascade, &python, &pandas_script, &csv, &dir, opts.keep)?;
    eprintln!("bench: cross-check passed: {checked} area-round-domain summaries agree");

    let (file, cascade) = (csv.display().to_string(), cascade.display().to_string());
    let script = pandas_script.display().to_string();
    let argv = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<String>>();
    let mut results = [
        Measured { name: "cascade summary", argv: argv(&[&cascade, "summary", "--json", &file]), runs: Vec::new() },
        Measured {
            name: "cascade compare",
            argv: argv(&[&cascade, "compare", "--json", "--from", ROUNDS[0], "--to", ROUNDS[1], &file]),
            runs: Vec::new(),
        },
        Measured { name: "pandas", argv: argv(&[&python, &script, &file]), runs: Vec::new() },
    ];
    let busy = busy_cpus();
    if let Some(busy) = busy.filter(|&b| b > 0.25) {
        eprintln!("bench: note: other work keeps {busy:.1} CPUs busy; wall times will be noisy, CPU times less so");
    }
    // Round-robin, so that anything else running on the machine slows every command alike.
    let measure = root.join("bench").join("measure.py");
    for run in 1..=opts.runs {
        for m in &mut results {
            eprintln!("bench: run {run} of {}: {}", opts.runs, m.name);
            m.runs.extend(measure_runs(&python, &measure, &m.argv, 1)?);
        }
    }

    let report = Report { ratings, areas: opts.areas, file: &csv, runs: opts.runs, results: &results, checked, busy };
    print!("{}", report.table());
    let json_path = dir.join("results.json");
    fs::write(&json_path, report.json(&python)).map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
    println!("written to {}", json_path.display());
    Ok(())
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options { areas: DEFAULT_AREAS, runs: 3, keep: false };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut number = |what: &str| -> Result<u32, String> {
            let value = args.next().ok_or_else(|| format!("{what} needs a number\n{USAGE}"))?;
            match value.parse::<u32>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!("{what} {value:?}: expected a whole number above 0\n{USAGE}")),
            }
        };
        match arg.as_str() {
            "--areas" => opts.areas = number("--areas")?,
            "--runs" => opts.runs = number("--runs")?,
            "--keep" => opts.keep = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(opts)
}

fn status(cmd: &mut Command, what: &str) -> Result<(), String> {
    let st = cmd.status().map_err(|e| format!("cannot run {what}: {e}"))?;
    if st.success() { Ok(()) } else { Err(format!("{what} failed ({st})")) }
}

// ---------------------------------------------------------------------------------------------
// The generated file

/// splitmix64: small, fast, and the same stream on every machine.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Roughly normal, mean 0 and standard deviation 1 (Irwin-Hall of four).
    fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }
}

/// Makes sure `csv` holds the file for `areas`; returns its number of ratings.
fn ensure_data(csv: &Path, areas: u32) -> Result<u64, String> {
    let ratings = u64::from(areas) * ROUNDS.len() as u64 * u64::from(RESPONDENTS) * DOMAINS.len() as u64;
    let stamp =
        format!("cascade bench data: generator {GENERATOR}, seed {SEED:#x}, areas {areas}, ratings {ratings}\n");
    let stamp_path = csv.with_extension("csv.stamp");
    if csv.is_file() && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        eprintln!("bench: reusing {} ({ratings} ratings)", csv.display());
        return Ok(ratings);
    }
    eprintln!("bench: generating {} ({areas} areas, {ratings} ratings)", csv.display());
    let _ = fs::remove_file(&stamp_path);
    let partial = csv.with_extension("csv.partial");
    let io_err = |e: std::io::Error| format!("cannot write {}: {e}", partial.display());
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&partial).map_err(io_err)?);
    let written = generate(&mut out, areas).map_err(io_err)?;
    out.into_inner().map_err(|e| io_err(e.into_error()))?.sync_all().map_err(io_err)?;
    debug_assert_eq!(written, ratings);
    fs::rename(&partial, csv).map_err(|e| format!("cannot rename to {}: {e}", csv.display()))?;
    fs::write(&stamp_path, stamp).map_err(|e| format!("cannot write {}: {e}", stamp_path.display()))?;
    Ok(ratings)
}

/// Writes the tidy CSV, rows grouped by area, round and respondent; returns the row count.
///
/// Each area has its own starting level per domain and a gain by follow-up; each respondent a
/// lasting group and leaning; each rating adds noise. About 4% of ratings are `unsure` and 3%
/// of respondent-rounds anonymous.
fn generate(out: &mut impl Write, areas: u32) -> std::io::Result<u64> {
    let mut rng = Rng(SEED);
    let width = areas.to_string().len().max(4);
    let total_weight: u64 = GROUPS.iter().map(|g| g.1).sum();
    let mut rows = 0;
    out.write_all(b"area,round,respondent,group,domain,level\n")?;
    for a in 1..=areas {
        let area = format!("Area {a:0width$}");
        let start: Vec<f64> = DOMAINS.iter().map(|_| 1.4 + 2.2 * rng.unit()).collect();
        let gain: Vec<f64> = DOMAINS.iter().map(|_| 0.1 + 1.1 * rng.unit()).collect();
        let people: Vec<(&str, f64)> = (0..RESPONDENTS)
            .map(|_| {
                let group = pick_group(rng.below(total_weight));
                (group, 0.4 * rng.normal())
            })
            .collect();
        for (r, round) in ROUNDS.iter().enumerate() {
            for (p, &(group, leaning)) in people.iter().enumerate() {
                let anonymous = rng.below(100) < 3;
                let mut prefix = format!("{area},{round},");
                if !anonymous {
                    write!(prefix, "r{:02}", p + 1).ok();
                }
                write!(prefix, ",{group},").ok();
                for (d, domain) in DOMAINS.iter().enumerate() {
                    out.write_all(prefix.as_bytes())?;
                    out.write_all(domain.as_bytes())?;
                    if rng.below(100) < 4 {
                        out.write_all(b",unsure\n")?;
                    } else {
                        let mean = start[d] + if r > 0 { gain[d] } else { 0.0 } + leaning;
                        let level = (mean + 0.6 * rng.normal()).round().clamp(1.0, 5.0) as u8;
                        out.write_all(&[b',', b'0' + level, b'\n'])?;
                    }
                    rows += 1;
                }
            }
        }
    }
    Ok(rows)
}

/// The group whose share of the weights holds `pick`.
fn pick_group(mut pick: u64) -> &'static str {
    for (group, weight) in GROUPS {
        if pick < weight {
            return group;
        }
        pick -= weight;
    }
    ""
}

fn ensure_pandas(python: &str) -> Result<(), String> {
    let imports = |quiet: bool| {
        let mut cmd = Command::new(python);
        cmd.args(["-c", "import pandas"]);
        if quiet {
            cmd.stderr(Stdio::null());
        }
        cmd.status().is_ok_and(|s| s.success())
    };
    if imports(true) {
        return Ok(());
    }
    eprintln!("bench: installing pandas ({python} -m pip install --quiet pandas)");
    let installed =
        status(Command::new(python).args(["-m", "pip", "install", "--quiet", "pandas"]), "pip install pandas");
    if installed.is_ok() && imports(false) {
        return Ok(());
    }
    Err(format!(
        "pandas is not importable by {python} and pip could not install it; install it (for example in a \
         virtual environment) and run again with PYTHON=/path/to/that/python"
    ))
}

// ---------------------------------------------------------------------------------------------
// Cross-check

/// Compares every area-round-domain summary of `cascade summary --csv` and the pandas script;
/// returns how many were compared.
fn cross_check(
    cascade: &Path,
    python: &str,
    script: &Path,
    csv: &Path,
    dir: &Path,
    keep: bool,
) -> Result<usize, String> {
    let ours_path = dir.join("cascade-summary.csv");
    let theirs_path = dir.join("pandas-summary.csv");
    eprintln!("bench: cross-checking cascade summary --csv against pandas");
    let ours_file = File::create(&ours_path).map_err(|e| format!("cannot write {}: {e}", ours_path.display()))?;
    status(Command::new(cascade).arg("summary").arg("--csv").arg(csv).stdout(ours_file), "cascade summary --csv")?;
    status(
        Command::new(python).arg(script).arg("--out").arg(&theirs_path).arg(csv).stdout(Stdio::null()),
        "bench/pandas_summary.py",
    )?;
    let ours = read_table(&ours_path)?;
    let theirs = read_table(&theirs_path)?;
    let result = compare_tables(&ours, &theirs);
    if !keep {
        let _ = fs::remove_file(&ours_path);
        let _ = fs::remove_file(&theirs_path);
    }
    result.map_err(|e| {
        let kept = if keep {
            format!("; see {} and {}", ours_path.display(), theirs_path.display())
        } else {
            "; run with --keep to keep both tables".to_owned()
        };
        format!("cross-check failed: cascade summary and pandas disagree{kept}\n{e}")
    })
}

/// A CSV file as its header and rows.
#[derive(Debug)]
struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

fn read_table(path: &Path) -> Result<Table, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut lines = text.lines().filter(|l| !l.is_empty()).map(split_csv);
    let header = lines.next().ok_or_else(|| format!("{} is empty", path.display()))?;
    Ok(Table { path: path.to_path_buf(), header, rows: lines.collect() })
}

/// One CSV record on one line: fields may be quoted, with `""` for a quote.
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn compare_tables(ours: &Table, theirs: &Table) -> Result<usize, String> {
    let key_columns = |t: &Table| -> Result<[usize; 3], String> {
        let col = |name: &str| t.column(name).ok_or_else(|| format!("{} has no column {name:?}", t.path.display()));
        Ok([col("area")?, col("round")?, col("domain")?])
    };
    let (ours_key, theirs_key) = (key_columns(ours)?, key_columns(theirs)?);
    let mut columns = Vec::new();
    for name in CHECKED {
        match (ours.column(name), theirs.column(name)) {
            (Some(a), Some(b)) => columns.push((name, a, b)),
            (None, _) => return Err(format!("{} has no column {name:?}", ours.path.display())),
            (_, None) => return Err(format!("{} has no column {name:?}", theirs.path.display())),
        }
    }
    let key = |row: &[String], k: [usize; 3]| -> Option<(String, String, String)> {
        Some((row.get(k[0])?.clone(), row.get(k[1])?.clone(), row.get(k[2])?.clone()))
    };
    let mut theirs_by_key = std::collections::HashMap::new();
    for row in &theirs.rows {
        let k = key(row, theirs_key).ok_or_else(|| format!("{}: a short row", theirs.path.display()))?;
        theirs_by_key.insert(k, row);
    }
    let mut problems = Vec::new();
    let mut compared = 0;
    for row in &ours.rows {
        let k = key(row, ours_key).ok_or_else(|| format!("{}: a short row", ours.path.display()))?;
        let Some(other) = theirs_by_key.remove(&k) else {
            // pandas has no group for a domain nobody rated; cascade lists it with n = 0.
            let empty = |name: &str| ours.column(name).and_then(|c| row.get(c)).is_some_and(|v| v == "0");
            if !(empty("n") && empty("unsure")) {
                problems.push(format!("{} / {} / {}: in cascade's summary only", k.0, k.1, k.2));
            }
            continue;
        };
        compared += 1;
        for &(name, a, b) in &columns {
            let (x, y) = (row.get(a).map_or("", String::as_str), other.get(b).map_or("", String::as_str));
            if !same_value(x, y) {
                problems.push(format!("{} / {} / {}: {name} is {x:?} in cascade, {y:?} in pandas", k.0, k.1, k.2));
            }
        }
    }
    for k in theirs_by_key.keys() {
        problems.push(format!("{} / {} / {}: in pandas' summary only", k.0, k.1, k.2));
    }
    if problems.is_empty() {
        return Ok(compared);
    }
    let shown = problems.len().min(10);
    let mut message = problems[..shown].join("\n");
    if problems.len() > shown {
        write!(message, "\n… and {} more", problems.len() - shown).ok();
    }
    Err(message)
}

/// Same number within 1e-9, both missing, or the same word in any letter case.
fn same_value(a: &str, b: &str) -> bool {
    let missing = |s: &str| s.is_empty() || s.eq_ignore_ascii_case("nan") || s == "null";
    match (missing(a), missing(b)) {
        (true, true) => return true,
        (true, false) | (false, true) => return false,
        _ => {}
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => (x - y).abs() <= 1e-9,
        _ => a.eq_ignore_ascii_case(b),
    }
}

// ---------------------------------------------------------------------------------------------
// Measuring

fn measure_runs(python: &str, measure: &Path, argv: &[String], runs: u32) -> Result<Vec<Run>, String> {
    let output = Command::new(python)
        .arg(measure)
        .arg("--runs")
        .arg(runs.to_string())
        .arg("--")
        .args(argv)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", measure.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("{} failed ({}):\n{text}", argv.join(" "), output.status));
    }
    let run = |l: &str| {
        Some(Run {
            wall_ms: json_number(l, "wall_ms")?,
            cpu_ms: json_number(l, "user_ms")? + json_number(l, "sys_ms")?,
            maxrss_kb: json_number(l, "maxrss_kb")?,
        })
    };
    let parsed: Option<Vec<Run>> = text.lines().map(run).collect();
    match parsed {
        Some(r) if r.len() == runs as usize => Ok(r),
        _ => Err(format!("unexpected output from {}:\n{text}", measure.display())),
    }
}

/// The number after `"key":` in a flat JSON line.
fn json_number(line: &str, key: &str) -> Option<f64> {
    let at = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = line[at..].trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c))).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// How many CPUs other work keeps busy, from /proc/stat over a fifth of a second (Linux).
fn busy_cpus() -> Option<f64> {
    let sample = || -> Option<(f64, f64)> {
        let stat = fs::read_to_string("/proc/stat").ok()?;
        let ticks: Vec<f64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|t| t.parse().ok()).collect();
        // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
        let total: f64 = ticks.iter().take(8).sum();
        Some((total - ticks.get(3)? - ticks.get(4)?, total))
    };
    let (busy0, total0) = sample()?;
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (busy1, total1) = sample()?;
    (total1 > total0).then(|| (busy1 - busy0) / (total1 - total0) * cpus() as f64)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting

#[derive(Debug)]
struct Report<'a> {
    ratings: u64,
    areas: u32,
    file: &'a Path,
    runs: u32,
    results: &'a [Measured],
    checked: usize,
    /// CPUs kept busy by other work just before measuring.
    busy: Option<f64>,
}

impl Report<'_> {
    fn get(&self, name: &str) -> Option<&Measured> {
        self.results.iter().find(|m| m.name == name)
    }

    fn rate(&self, m: &Measured) -> f64 {
        self.ratings as f64 / (m.wall_ms() / 1000.0)
    }

    /// pandas wall / summary wall, and compare wall / summary wall.
    fn ratios(&self) -> (f64, f64) {
        self.ratios_of(Measured::wall_ms)
    }

    /// The same ratios of CPU time.
    fn cpu_ratios(&self) -> (f64, f64) {
        self.ratios_of(Measured::cpu_ms)
    }

    fn ratios_of(&self, f: fn(&Measured) -> f64) -> (f64, f64) {
        let of = |n: &str| self.get(n).map_or(f64::NAN, f);
        let summary = of("cascade summary");
        (of("pandas") / summary, of("cascade compare") / summary)
    }

    fn aims(&self) -> [(&'static str, bool); 3] {
        let (speedup, compare) = self.ratios();
        let summary_mb = self.get("cascade summary").map_or(f64::NAN, Measured::peak_mb);
        [
            ("cascade summary at least 10x faster than pandas", speedup >= 10.0),
            ("cascade summary peak memory under 50 MB", summary_mb < 50.0),
            ("cascade compare within 2x of cascade summary", compare <= 2.0),
        ]
    }

    fn table(&self) -> String {
        let bytes = fs::metadata(self.file).map_or(0, |m| m.len());
        let mut s = String::new();
        writeln!(
            s,
            "\n{} ratings ({} areas) in {} ({:.1} MB); median of {} runs; 1 MB = 2^20 bytes\n",
            thousands(self.ratings as f64),
            self.areas,
            self.file.display(),
            bytes as f64 / 1048576.0,
            self.runs
        )
        .ok();
        // A Markdown table, to paste into bench/README.md as it is.
        writeln!(
            s,
            "| {:<15} | {:>8} | {:>8} | {:>10} | {:>7} |",
            "command", "wall ms", "CPU ms", "ratings/s", "peak MB"
        )
        .ok();
        writeln!(s, "| {:-<15} | {:->8}:| {:->8}:| {:->10}:| {:->7}:|", "", "", "", "", "").ok();
        for m in self.results {
            writeln!(
                s,
                "| {:<15} | {:>8.1} | {:>8.1} | {:>10} | {:>7.1} |",
                m.name,
                m.wall_ms(),
                m.cpu_ms(),
                thousands(self.rate(m)),
                m.peak_mb()
            )
            .ok();
        }
        let (speedup, compare) = self.ratios();
        let (cpu_speedup, cpu_compare) = self.cpu_ratios();
        writeln!(s, "\npandas / summary:  {speedup:.1}x wall ({cpu_speedup:.1}x CPU)").ok();
        writeln!(s, "compare / summary: {compare:.2}x wall ({cpu_compare:.2}x CPU)").ok();
        writeln!(s, "cross-check: {} area-round-domain summaries agree with pandas", self.checked).ok();
        if let Some(busy) = self.busy.filter(|&b| b > 0.25) {
            writeln!(s, "note: other work kept {busy:.1} of {} CPUs busy: wall times are noisy", cpus()).ok();
        }
        writeln!(s, "\naims of issue 2 (reported, not asserted):").ok();
        for (aim, met) in self.aims() {
            writeln!(s, "  {} {aim}", if met { "met:   " } else { "missed:" }).ok();
        }
        s
    }

    fn json(&self, python: &str) -> String {
        let (speedup, compare) = self.ratios();
        let mut s = String::from("{\n");
        writeln!(s, "  \"date\": {},", json_str(&today())).ok();
        writeln!(
            s,
            "  \"machine\": {{\"cpus\": {}, \"cpu\": {}, \"pandas\": {}, \"busy_cpus_before\": {}}},",
            cpus(),
            json_str(&cpu_model()),
            json_str(&pandas_version(python)),
            num(self.busy.map_or(f64::NAN, |b| (b * 100.0).round() / 100.0))
        )
        .ok();
        writeln!(s, "  \"commit\": {},", json_str(&commit())).ok();
        writeln!(s, "  \"file\": {},", json_str(&self.file.display().to_string())).ok();
        writeln!(s, "  \"areas\": {},\n  \"ratings\": {},\n  \"runs\": {},", self.areas, self.ratings, self.runs).ok();
        s.push_str("  \"commands\": [\n");
        for (i, m) in self.results.iter().enumerate() {
            let argv: Vec<String> = m.argv.iter().map(|a| json_str(a)).collect();
            let runs: Vec<String> = m
                .runs
                .iter()
                .map(|r| {
                    format!(
                        "{{\"wall_ms\": {}, \"cpu_ms\": {}, \"maxrss_kb\": {}}}",
                        num(r.wall_ms),
                        num((r.cpu_ms * 1000.0).round() / 1000.0),
                        num(r.maxrss_kb)
                    )
                })
                .collect();
            write!(
                s,
                "    {{\"name\": {}, \"argv\": [{}], \"wall_ms\": {}, \"cpu_ms\": {}, \"ratings_per_s\": {}, \"peak_mb\": {}, \"runs\": [{}]}}",
                json_str(m.name),
                argv.join(", "),
                num(m.wall_ms()),
                num((m.cpu_ms() * 1000.0).round() / 1000.0),
                num(self.rate(m).round()),
                num((m.peak_mb() * 10.0).round() / 10.0),
                runs.join(", ")
            )
            .ok();
            s.push_str(if i + 1 < self.results.len() { ",\n" } else { "\n" });
        }
        s.push_str("  ],\n");
        let (cpu_speedup, cpu_compare) = self.cpu_ratios();
        let r = |x: f64| num((x * 100.0).round() / 100.0);
        writeln!(
            s,
            "  \"ratios\": {{\"pandas_over_summary\": {}, \"compare_over_summary\": {}, \
             \"cpu_pandas_over_summary\": {}, \"cpu_compare_over_summary\": {}}},",
            r(speedup),
            r(compare),
            r(cpu_speedup),
            r(cpu_compare)
        )
        .ok();
        let aims: Vec<String> = self.aims().iter().map(|(a, met)| format!("{}: {met}", json_str(a))).collect();
        writeln!(s, "  \"aims\": {{{}}},", aims.join(", ")).ok();
        writeln!(s, "  \"cross_check\": {{\"summaries\": {}, \"agree\": true}}", self.checked).ok();
        s.push_str("}\n");
        s
    }
}

fn num(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { "null".to_owned() }
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                write!(out, "\\u{:04x}", c as u32).ok();
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// 1234567.8 as "1,234,568".
fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_owned();
    }
    let digits = format!("{:.0}", x.round());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Today's date in UTC, as YYYY-MM-DD.
fn today() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Howard Hinnant's civil_from_days.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The commit the CLI was built from, with `+dirty` if the crates have uncommitted changes.
fn commit() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let Some(head) = git(&["rev-parse", "--short", "HEAD"]) else { return String::new() };
    let dirty = git(&["status", "--porcelain", "--", "../crates", "../Cargo.lock"]).is_some_and(|s| !s.is_empty());
    if dirty { format!("{head}+dirty") } else { head }
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_default()
}

fn pandas_version(python: &str) -> String {
    Command::new(python)
        .args(["-c", "import pandas; print(pandas.__version__)"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_file_is_deterministic_and_shaped() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        assert_eq!(generate(&mut a, 3).ok(), Some(3 * 2 * 20 * 7));
        generate(&mut b, 3).ok();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap_or_default();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("area,round,respondent,group,domain,level"));
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 6, "{line}");
            assert!(f[0].starts_with("Area 000"), "{line}");
            assert!(ROUNDS.contains(&f[1]) && DOMAINS.contains(&f[4]), "{line}");
            assert!(GROUPS.iter().any(|g| g.0 == f[3]), "{line}");
            assert!(f[5] == "unsure" || matches!(f[5], "1" | "2" | "3" | "4" | "5"), "{line}");
        }
    }

    #[test]
    fn cross_check_finds_differences() {
        let table = |text: &str| {
            let mut lines = text.lines().map(split_csv);
            let header = lines.next().unwrap_or_default();
            Table { path: PathBuf::from("t.csv"), header, rows: lines.collect() }
        };
        let counts = "count_1,count_2,count_3,count_4,count_5";
        let ours = table(&format!(
            "area,round,domain,n,unsure,{counts},mean,median,min,max,sd,agreement,split,headline\n\
             A,b,clarity,2,1,1,0,1,0,0,2,2,1,3,1.4142135623730951,0.5,false,2\n\
             A,b,contact,0,0,0,0,0,0,0,,,,,,,false,\n"
        ));
        let same = table(&format!(
            "area,round,domain,n,unsure,mean,median,min,max,sd,agreement,split,{counts}\n\
             A,b,clarity,2,1,2.0,2.0,1.0,3.0,1.414213562373095,0.5,False,1,0,1,0,0\n"
        ));
        assert_eq!(compare_tables(&ours, &same), Ok(1));
        let off = table(&format!(
            "area,round,domain,n,unsure,mean,median,min,max,sd,agreement,split,{counts}\n\
             A,b,clarity,2,1,2.0,2.5,1.0,3.0,1.414213562373095,0.5,False,1,0,1,0,0\n\
             A,c,clarity,1,0,2.0,2.0,2.0,2.0,,1.0,False,0,1,0,0,0\n"
        ));
        let err = compare_tables(&ours, &off).err().unwrap_or_default();
        assert!(err.contains("A / b / clarity: median is \"2\" in cascade, \"2.5\" in pandas"), "{err}");
        assert!(err.contains("A / c / clarity: in pandas' summary only"), "{err}");
    }

    #[test]
    fn helpers() {
        assert_eq!(split_csv("a,\"b, \"\"c\"\"\",,d\r"), ["a", "b, \"c\"", "", "d"]);
        assert!(same_value("3", "3.0") && same_value("", "") && same_value("true", "True"));
        assert!(!same_value("0.5", "") && !same_value("2.5", "2.50001"));
        assert_eq!(json_number("{\"run\": 1, \"wall_ms\": 12.5, \"maxrss_kb\": 900}", "wall_ms"), Some(12.5));
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(thousands(1_000_160.0), "1,000,160");
        assert_eq!(json_str("a\"b"), "\"a\\\"b\"");
    }
}
