//! `cascade`: summaries and baseline to follow-up comparisons of CASCADE ratings.
//!
//! Exit status: 0 done, 1 bad input (the message names the file and line), 2 bad usage.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cascade_core::{tidy, Assessment, Dataset, Error, Framework};
use clap::{Args, Parser, Subcommand};

mod output;
mod parallel;

#[derive(Parser)]
#[command(name = "cascade", version, about = "Summaries and baseline to follow-up comparisons of CASCADE ratings")]
#[command(after_help = "FILE is tidy CSV (area,round,respondent,group,domain,level) or an assessment JSON \
document (or a JSON array of them); `-` reads standard input.\n\
Exit status: 0 done, 1 bad input, 2 bad usage.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Per-domain statistics of every round of every area.
    Summary {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        format: Format,
    },
    /// The change from one round to another in every area.
    Compare {
        /// The earlier round, such as `baseline`.
        #[arg(long, value_name = "ROUND")]
        from: String,
        /// The later round, such as `followup`.
        #[arg(long, value_name = "ROUND")]
        to: String,
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        format: Format,
    },
    /// Checks files and says what they hold.
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
struct Input {
    /// Tidy CSV or assessment JSON; `-` for standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// A framework file to score on, instead of the built-in CASCADE framework.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,
}

#[derive(Args)]
#[group(multiple = false)]
struct Format {
    /// Print JSON shaped as the scoring contract defines.
    #[arg(long)]
    json: bool,
    /// Print CSV, one row per area, round and domain.
    #[arg(long)]
    csv: bool,
}

/// Why the command failed, and so which exit status to use.
enum Failure {
    /// Bad input: status 1.
    Input(String),
    /// Bad usage found after parsing, such as a round no area has: status 2.
    Usage(String),
    /// Writing the output failed.
    Output(io::Error),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = run(cli.command, &mut out).and_then(|()| out.flush().map_err(Failure::Output));
    match result {
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
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Summary { input, format } => {
            let data = load(&input)?;
            output::summary(out, &data, style(&format), pretty()).map_err(Failure::Output)
        }
        Command::Compare { from, to, input, format } => {
            let data = load(&input)?;
            let areas = data.area_comparisons(&from, &to).map_err(|e| match e {
                Error::UnknownRound { .. } => Failure::Usage(format!("{}: {e}", shown(&input.file))),
                e => Failure::Input(format!("{}: {e}", shown(&input.file))),
            })?;
            output::compare(out, &data, (&from, &to), areas, style(&format), pretty()).map_err(Failure::Output)
        }
        Command::Validate { files, framework } => {
            let fw = framework_of(framework.as_deref())?;
            let mut failed = None;
            for file in files {
                match read(&file, &fw) {
                    Ok(data) => {
                        let areas = data.area_names().count();
                        let rounds = data.round_ids();
                        writeln!(
                            out,
                            "{}: ok: {} {}, {} {} ({}), {} {}",
                            shown(&file),
                            areas,
                            plural(areas, "area", "areas"),
                            rounds.len(),
                            plural(rounds.len(), "round", "rounds"),
                            rounds.join(", "),
                            data.rating_count(),
                            plural(data.rating_count() as usize, "rating", "ratings"),
                        )
                        .map_err(Failure::Output)?;
                    }
                    Err(e) => {
                        out.flush().map_err(Failure::Output)?;
                        eprintln!("error: {e}");
                        failed = Some(e);
                    }
                }
            }
            match failed {
                Some(_) => Err(Failure::Input("some files are not valid".into())),
                None => Ok(()),
            }
        }
        Command::Framework => {
            let text = serde_json::to_string_pretty(&Framework::cascade()).unwrap_or_default();
            writeln!(out, "{text}").map_err(Failure::Output)
        }
    }
}

/// JSON for a person at a terminal is indented; for a pipe it is compact.
fn pretty() -> bool {
    io::stdout().is_terminal()
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

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn shown(path: &Path) -> String {
    if path == Path::new("-") { "<stdin>".to_owned() } else { path.display().to_string() }
}

fn load(input: &Input) -> Result<Dataset, Failure> {
    let fw = framework_of(input.framework.as_deref())?;
    read(&input.file, &fw).map_err(Failure::Input)
}

fn framework_of(path: Option<&Path>) -> Result<Framework, Failure> {
    let Some(path) = path else { return Ok(Framework::cascade()) };
    let text = std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{}: {}", shown(path), io_message(&e))))?;
    Framework::from_json(&text).map_err(|e| Failure::Input(format!("{}: {e}", shown(path))))
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::InvalidData => "not UTF-8 text".to_owned(),
        _ => e.to_string(),
    }
}

/// Reads a file as tidy CSV or assessment JSON, judged by its first non-blank byte.
/// CSV is streamed; JSON documents are small and read whole.
fn read(path: &Path, fw: &Framework) -> Result<Dataset, String> {
    if let Some(data) = parallel::read(path, fw) {
        return Ok(data);
    }
    let at = |e: Error| format!("{}: {e}", shown(path));
    let mut reader: Box<dyn Read> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?)
    };
    let mut head = Vec::with_capacity(512);
    // Peek far enough past leading white space and a byte-order mark to see `{` or `[`.
    reader.by_ref().take(512).read_to_end(&mut head).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?;
    let first = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).iter().find(|b| !b.is_ascii_whitespace());
    let rest = io::Cursor::new(head.clone()).chain(reader);
    if matches!(first, Some(b'{') | Some(b'[')) {
        let mut text = String::new();
        let mut rest = rest;
        rest.read_to_string(&mut text).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let docs: Vec<Assessment> = if first == Some(&b'[') {
            let values: Vec<serde_json::Value> = serde_json::from_str(text)
                .map_err(|e| format!("{}: assessment: {e}", shown(path)))?;
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    Assessment::from_json(&v.to_string()).map_err(|e| format!("{}: document {}: {e}", shown(path), i + 1))
                })
                .collect::<Result<_, _>>()?
        } else {
            vec![Assessment::from_json(text).map_err(at)?]
        };
        let mut data = Dataset::new(fw);
        for (i, doc) in docs.iter().enumerate() {
            data.push_assessment(doc).map_err(|e| {
                if docs.len() > 1 { format!("{}: document {}: {e}", shown(path), i + 1) } else { at(e) }
            })?;
        }
        Ok(data)
    } else {
        tidy::read(rest, fw).map_err(at)
    }
}
