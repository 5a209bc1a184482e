//! `cascade`: summaries, comparisons, a programme's roll-up and a report of CASCADE ratings,
//! and the import of survey exports into tidy CSV.
//!
//! Exit status: 0 done, 1 bad input (the message names the file and line), 2 bad usage.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use cascade_core::{Dataset, ErrorKind, Framework};
use clap::{Args, Parser, Subcommand};

mod import;
mod input;
mod output;
mod parallel;
mod report;
mod sink;
mod xlsx;

use input::shown;

const AFTER_HELP: &str = "\
FILE is tidy CSV (area,round,respondent,group,domain,level) or an assessment JSON document (or a
JSON array of them); `-` reads standard input. Several files are read as one data set: an area's
rounds may be in different files, but one area and round in two files is an error.
Survey exports (Microsoft Forms, Google Forms, .xlsx) go through `cascade import` first.

Examples:
  cascade import --round baseline -o areas/vale-baseline.csv vale-baseline.xlsx
  cascade rollup --from baseline --to followup areas/*.csv
  cascade report --from baseline --to followup -o report.html areas/*.csv

Exit status: 0 done, 1 bad input, 2 bad usage.";

#[derive(Parser)]
#[command(name = "cascade", version, about = "Summaries, comparisons, roll-ups and reports of CASCADE ratings")]
#[command(after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Turns survey exports (Microsoft Forms, Google Forms, spreadsheets; CSV or .xlsx) into tidy CSV.
    #[command(after_help = import::HELP)]
    Import(import::ImportArgs),
    /// Per-domain statistics of every round of every area.
    #[command(after_help = "Examples:\n  cascade summary workshop.csv\n  cascade summary --csv -o summary.csv areas/*.csv")]
    Summary {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        format: Format,
    },
    /// The change from one round to another in every area.
    #[command(after_help = "Examples:\n  cascade compare --from baseline --to followup workshop.csv\n  \
        cascade compare --from baseline --to followup --csv -o change.csv areas/*.csv\n\n\
        --csv prints one row per area and domain. Areas that lack either round are listed on standard error.")]
    Compare {
        #[command(flatten)]
        rounds: Rounds,
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        format: Format,
    },
    /// The programme across areas: per domain, how many areas improved and by how much.
    #[command(after_help = "Examples:\n  cascade rollup --from baseline --to followup areas/*.csv\n  \
        cascade rollup --from baseline --to followup --json -o rollup.json areas/*.csv\n\n\
        Per domain and overall: areas compared, improved, unchanged, declined and not compared; mean \
        headlines in both rounds; the mean, median, lowest and highest change; the sign test across \
        areas (p); and the gap between education's and mental health's mean rating in each round. \
        --csv prints one row per domain and one for overall. Areas that lack either round are listed \
        on standard error.")]
    Rollup {
        #[command(flatten)]
        rounds: Rounds,
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        format: Format,
    },
    /// One self-contained HTML report to send or print: the programme, then each area.
    #[command(after_help = "Examples:\n  cascade report --from baseline --to followup -o report.html areas/*.csv\n  \
        cascade report --from baseline --to followup --title 'Link Programme, North region' -o report.html *.csv\n\n\
        The file needs nothing else: its charts are inline, it loads nothing from anywhere, and it \
        prints to A4 from any browser.")]
    Report {
        #[command(flatten)]
        rounds: Rounds,
        /// The report's title.
        #[arg(long, value_name = "TEXT", default_value = "CASCADE self-assessment: programme report")]
        title: String,
        #[command(flatten)]
        input: Input,
    },
    /// Checks files and says what they hold.
    #[command(after_help = "Examples:\n  cascade validate *.csv")]
    Validate {
        /// Files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// A framework file to score on, instead of the built-in CASCADE framework.
        #[arg(long, value_name = "FILE")]
        framework: Option<PathBuf>,
    },
    /// Prints the built-in framework as JSON: a starting point for a framework file.
    Framework,
}

#[derive(Args)]
pub(crate) struct Input {
    /// Tidy CSV or assessment JSON files, read as one data set; `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A framework file to score on, instead of the built-in CASCADE framework.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,
    /// Counts round OLD as round NEW, such as `--same-round Follow-up=followup` (repeatable).
    #[arg(long, value_name = "OLD=NEW")]
    same_round: Vec<String>,
    /// Pairs respondent ids that differ only in case or spaces, such as "Sarah Jones" and
    /// "sarah jones", as one person (as `cascade import` does).
    #[arg(long)]
    ignore_respondent_case: bool,
    /// Write to FILE instead of standard output (replaced only once all is written).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct Rounds {
    /// The earlier round, such as `baseline`.
    #[arg(long, value_name = "ROUND")]
    from: String,
    /// The later round, such as `followup`.
    #[arg(long, value_name = "ROUND")]
    to: String,
    /// Refuse (exit 1) when an area lacks either round, instead of warning.
    #[arg(long)]
    strict: bool,
}

#[derive(Args)]
#[group(multiple = false)]
struct Format {
    /// Print JSON shaped as the scoring contract defines.
    #[arg(long)]
    json: bool,
    /// Print CSV, with every number at full precision.
    #[arg(long)]
    csv: bool,
}

/// Why the command failed, and so which exit status to use.
pub(crate) enum Failure {
    /// Bad input: status 1.
    Input(String),
    /// Bad usage found after parsing, such as a round no area has: status 2.
    Usage(String),
    /// Writing the output failed.
    Output(io::Error),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Input(message)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        // A reader that stops early, such as `head`, is not an error.
        Err(Failure::Output(e)) if sink::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Import(args) => import::run(args),
        Command::Summary { input, format } => {
            let data = load(&input, &[])?;
            sink::write(input.output.as_deref(), |out| output::summary(out, &data, style(&format), pretty(&input)).map_err(Failure::Output))
        }
        Command::Compare { rounds, input, format } => {
            let data = load(&input, &[&rounds.from, &rounds.to])?;
            check_rounds(&data, &rounds, &input)?;
            let areas = data.area_comparisons(&rounds.from, &rounds.to).map_err(|e| Failure::Input(e.to_string()))?;
            sink::write(input.output.as_deref(), |out| {
                output::compare(out, &data, (&rounds.from, &rounds.to), areas, style(&format), pretty(&input)).map_err(Failure::Output)
            })
        }
        Command::Rollup { rounds, input, format } => {
            let data = load(&input, &[&rounds.from, &rounds.to])?;
            check_rounds(&data, &rounds, &input)?;
            let rollup = data.rollup(&rounds.from, &rounds.to).map_err(|e| Failure::Input(e.to_string()))?;
            sink::write(input.output.as_deref(), |out| output::rollup(out, &rollup, style(&format), pretty(&input)).map_err(Failure::Output))
        }
        Command::Report { rounds, title, input } => {
            let Some(path) = input.output.as_deref() else {
                return Err(Failure::Usage("report needs -o FILE, such as -o report.html".into()));
            };
            let (data, actions) = load_with_actions(&input, &[&rounds.from, &rounds.to])?;
            check_rounds(&data, &rounds, &input)?;
            let rollup = data.rollup(&rounds.from, &rounds.to).map_err(|e| Failure::Input(e.to_string()))?;
            sink::write(Some(path), |out| report::write(out, &data, &rollup, &actions, &title).map_err(Failure::Output))?;
            eprintln!("wrote {} ({} {})", shown(path), rollup.areas, plural(rollup.areas as usize, "area", "areas"));
            Ok(())
        }
        Command::Validate { files, framework } => validate(&files, framework.as_deref()),
        Command::Framework => {
            let text = serde_json::to_string_pretty(&Framework::cascade()).unwrap_or_default();
            sink::write(None, |out| writeln!(out, "{text}").map_err(Failure::Output))
        }
    }
}

fn validate(files: &[PathBuf], framework: Option<&std::path::Path>) -> Result<(), Failure> {
    let fw = input::framework_of(framework).map_err(Failure::Input)?;
    let mut failed = 0;
    let stdout = io::stdout();
    for file in files {
        match input::read_all_errors(file, &fw) {
            Ok(data) => {
                let areas = data.area_names().count();
                let rounds = data.round_ids();
                let mut out = stdout.lock();
                writeln!(
                    out,
                    "{}: ok: {} {}, {} {} ({}), {} {}",
                    shown(file),
                    areas,
                    plural(areas, "area", "areas"),
                    rounds.len(),
                    plural(rounds.len(), "round", "rounds"),
                    rounds.join(", "),
                    data.rating_count(),
                    plural(data.rating_count() as usize, "rating", "ratings"),
                )
                .and_then(|()| out.flush())
                .map_err(Failure::Output)?;
                for group in input::near_duplicate_rounds(&data, &[]) {
                    eprintln!("{}", input::round_warning(&group));
                }
                let found = input::near_duplicate_respondents(&data);
                if !found.is_empty() {
                    eprintln!("{}", input::respondent_warning(&found));
                }
            }
            Err(errors) => {
                failed += 1;
                for e in errors {
                    eprintln!("error: {e}");
                }
            }
        }
    }
    match failed {
        0 => Ok(()),
        1 if files.len() == 1 => Err(Failure::Input("the file is not valid".into())),
        n => Err(Failure::Input(format!("{n} of {} files are not valid", files.len()))),
    }
}

/// Reads every file, applies `--same-round`, and warns of rounds spelt nearly alike.
fn load(input: &Input, wanted: &[&str]) -> Result<Dataset, Failure> {
    load_with_actions(input, wanted).map(|(data, _)| data)
}

/// As [`load`], with the action plans the assessment documents hold.
fn load_with_actions(input: &Input, wanted: &[&str]) -> Result<(Dataset, input::Actions), Failure> {
    let fw = input::framework_of(input.framework.as_deref()).map_err(Failure::Input)?;
    let mut actions = input::Actions::new();
    let mut data = input::load_all(&input.files, &fw, &mut actions).map_err(Failure::Input)?;
    for pair in &input.same_round {
        let Some((old, new)) = pair.split_once('=').filter(|(o, n)| !o.is_empty() && !n.is_empty()) else {
            return Err(Failure::Usage(format!("--same-round wants OLD=NEW, such as Follow-up=followup; got {}", cascade_core::__private::Quoted(pair))));
        };
        data.rename_round(old, new).map_err(|e| Failure::Input(e.to_string()))?;
    }
    for group in input::near_duplicate_rounds(&data, wanted) {
        eprintln!("{}", input::round_warning(&group));
    }
    if input.ignore_respondent_case {
        input::pair_ignoring_case(&mut data).map_err(|e| Failure::Input(e.to_string()))?;
    } else {
        let found = input::near_duplicate_respondents(&data);
        if !found.is_empty() {
            eprintln!("{}", input::respondent_warning(&found));
        }
    }
    Ok((data, actions))
}

/// Rounds no area has are bad usage; areas lacking one are listed, or refused with --strict.
fn check_rounds(data: &Dataset, rounds: &Rounds, input: &Input) -> Result<(), Failure> {
    if let Err(e) = data.area_comparisons(&rounds.from, &rounds.to) {
        let files: Vec<String> = input.files.iter().map(|f| shown(f)).collect();
        return Err(match e.kind() {
            ErrorKind::UnknownRound if files.len() == 1 => Failure::Usage(format!("{}: {e}", files[0])),
            ErrorKind::UnknownRound => Failure::Usage(e.to_string()),
            _ => Failure::Input(e.to_string()),
        });
    }
    let lacking = input::lacking(data, &rounds.from, &rounds.to);
    if !lacking.is_empty() {
        let message = input::lacking_message(&lacking);
        if rounds.strict {
            return Err(Failure::Input(format!("{message} (--strict)")));
        }
        eprintln!("warning: {message}");
    }
    Ok(())
}

/// JSON for a person at a terminal is indented; for a pipe or a file it is compact.
fn pretty(input: &Input) -> bool {
    input.output.is_none() && io::stdout().is_terminal()
}

fn style(f: &Format) -> output::Style {
    if f.json {
        output::Style::Json
    } else if f.csv {
        output::Style::Csv
    } else {
        output::Style::Table
    }
}

pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
