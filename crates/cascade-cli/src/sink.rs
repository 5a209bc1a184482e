//! Where output goes: standard output, or a file replaced only once everything is written.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::input::shown;
use crate::Failure;

/// Runs `body` on standard output or on a new file beside `path`, which then replaces `path`;
/// on any failure the file the user had is left as it was.
pub(crate) fn write(path: Option<&Path>, body: impl FnOnce(&mut dyn Write) -> Result<(), Failure>) -> Result<(), Failure> {
    let Some(path) = path.filter(|p| *p != Path::new("-")) else {
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        body(&mut out)?;
        return out.flush().map_err(Failure::Output);
    };
    let failed = |e: io::Error| Failure::Input(format!("{}: cannot write: {}", shown(path), crate::input::io_message(&e)));
    // A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written as it is: replacing it
    // by renaming a file over it would destroy it.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let file = std::fs::OpenOptions::new().write(true).open(path).map_err(failed)?;
        let mut out = BufWriter::new(file);
        return body(&mut out).and_then(|()| out.flush().map_err(Failure::Output)).map_err(|f| match f {
            Failure::Output(e) if !is_broken_pipe(&e) => failed(e),
            f => f,
        });
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.part", std::process::id()));
    let file = File::create(&temp).map_err(failed)?;
    let mut out = BufWriter::new(file);
    let result = body(&mut out).and_then(|()| {
        out.flush().and_then(|()| out.get_ref().sync_all()).map_err(Failure::Output)
    });
    drop(out);
    if let Err(f) = result {
        std::fs::remove_file(&temp).ok();
        return Err(match f {
            Failure::Output(e) => failed(e),
            f => f,
        });
    }
    std::fs::rename(&temp, path).map_err(|e| {
        std::fs::remove_file(&temp).ok();
        failed(e)
    })
}

/// Whether a write failed because the reader went away (`| head`), also inside a CSV error.
pub(crate) fn is_broken_pipe(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return true;
    }
    match e.get_ref().and_then(|inner| inner.downcast_ref::<csv::Error>()) {
        Some(c) => matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe),
        None => false,
    }
}
