//! Running commands and finding the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) type Result<T = ()> = std::result::Result<T, String>;

/// The repository root: xtask lives one folder below it.
pub(crate) fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Runs a command in the repository, echoing it, and fails if it fails.
pub(crate) fn run(program: &str, args: &[&str]) -> Result {
    run_in(&root(), program, args)
}

pub(crate) fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{program} {} failed ({status})", args.join(" "))) }
}

/// A command's standard output, or `None` if it cannot run or fails.
pub(crate) fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether a program is on the PATH.
pub(crate) fn has(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}
