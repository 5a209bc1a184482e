//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `setup`: installs what the build and tests need, each step skipped when already done.
//! - `wasm`: builds the WebAssembly module into `www/pkg/`.
//! - `serve [--port N]`: builds, then serves `www/` on http://127.0.0.1:8080.
//! - `dist`: writes the site to `target/dist/www/` and the widget package to
//!   `target/dist/cascade-widget/`, JS and CSS minified, and reports their sizes.
//! - `ci`: every check and test, as CI runs them.
//! - `bench`: the CLI against pandas on a million ratings.

use std::process::ExitCode;

mod bench;
mod build;
mod serve;
mod util;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("setup") => build::setup(build::Needs::all()),
        Some("wasm") => build::wasm().map(|_| ()),
        Some("serve") => serve::run(rest),
        Some("dist") => build::dist(),
        Some("ci") => build::ci(),
        Some("bench") => bench::run(rest),
        _ => {
            eprintln!("usage: cargo xtask <setup|wasm|serve|dist|ci|bench>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
