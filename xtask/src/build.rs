//! Installing tools, building the wasm module, the dist folder, and the CI run.

use std::fs;
use std::path::Path;

use crate::util::{has, output, root, run, run_in, Result};

/// What a task needs installed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Needs {
    wasm: bool,
    browser: bool,
}

impl Needs {
    pub(crate) fn all() -> Needs {
        Needs { wasm: true, browser: true }
    }
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let at = lock.find("name = \"wasm-bindgen\"\nversion = \"").ok_or("Cargo.lock has no wasm-bindgen")?;
    let rest = &lock[at + "name = \"wasm-bindgen\"\nversion = \"".len()..];
    Ok(rest[..rest.find('"').unwrap_or(0)].to_owned())
}

/// Installs what is missing; each step is skipped when already done, so this is fast to repeat.
pub(crate) fn setup(needs: Needs) -> Result {
    if needs.wasm {
        let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
            run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
        }
        let want = bindgen_version()?;
        let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
        if have.split_whitespace().nth(1) != Some(want.as_str()) {
            // `--locked` fails on this registry mirror; the exact version pin is what matters.
            run("cargo", &["install", "wasm-bindgen-cli", "--version", &format!("={want}")])?;
        }
        npm_install(&root().join("tools"))?;
    }
    if needs.browser {
        npm_install(&root().join("tests"))?;
        if !Path::new("/usr/bin/chromium").exists() {
            // Debian's Chromium; test tools must never download a browser of their own.
            let sudo = if output("id", &["-u"]).is_some_and(|u| u.trim() == "0") { vec![] } else { vec!["sudo"] };
            let apt = |args: &[&str]| {
                let mut all = sudo.clone();
                all.extend_from_slice(args);
                run(all[0], &all[1..])
            };
            apt(&["apt-get", "update", "-q"])?;
            apt(&["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "chromium", "chromium-driver"])?;
        }
    }
    Ok(())
}

/// `npm ci` when the lock file is newer than the installed packages.
fn npm_install(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let marker = dir.join("node_modules/.package-lock.json");
    let stale = match (fs::metadata(&lock).and_then(|m| m.modified()), fs::metadata(&marker).and_then(|m| m.modified())) {
        (Ok(l), Ok(m)) => l > m,
        _ => true,
    };
    if stale {
        run_in(dir, "npm", &["ci", "--no-audit", "--no-fund", "--loglevel=error"])?;
    }
    Ok(())
}

/// Builds the wasm module into `www/pkg/` and returns its files' sizes.
pub(crate) fn wasm() -> Result<Vec<(String, u64)>> {
    setup(Needs { wasm: true, browser: false })?;
    run(
        "cargo",
        &["build", "--profile", "wasm", "--target", "wasm32-unknown-unknown", "-p", "cascade-wasm", "--quiet"],
    )?;
    let pkg = root().join("www/pkg");
    let input = root().join("target/wasm32-unknown-unknown/wasm/cascade_wasm.wasm");
    run(
        "wasm-bindgen",
        &["--target", "web", "--out-dir", path(&pkg)?, path(&input)?],
    )?;
    let wasm = pkg.join("cascade_wasm_bg.wasm");
    let opt = root().join("tools/node_modules/.bin/wasm-opt");
    run(
        path(&opt)?,
        &["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue", "-o", path(&wasm)?, path(&wasm)?],
    )?;
    let mut sizes = Vec::new();
    for f in ["cascade_wasm_bg.wasm", "cascade_wasm.js"] {
        sizes.push((format!("pkg/{f}"), fs::metadata(pkg.join(f)).map(|m| m.len()).unwrap_or(0)));
    }
    Ok(sizes)
}

fn path(p: &Path) -> Result<&str> {
    p.to_str().ok_or_else(|| format!("{} is not UTF-8", p.display()))
}

/// Files of `www/` that are deployed: everything but tests and the dev server's extras.
fn deployable(rel: &str) -> bool {
    !rel.ends_with(".test.mjs") && !rel.starts_with("pkg/.") && !rel.ends_with(".gitignore")
}

/// Copies the page and the module to `target/dist/` and prints each file's size.
pub(crate) fn dist() -> Result {
    wasm()?;
    let www = root().join("www");
    let out = root().join("target/dist");
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut files = Vec::new();
    collect(&www, &www, &mut files)?;
    let mut total = (0, 0);
    println!("{:<36} {:>10} {:>10}", "file", "bytes", "gzip");
    for rel in files.iter().filter(|r| deployable(r)) {
        let from = www.join(rel);
        let to = out.join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::copy(&from, &to).map_err(|e| format!("{}: {e}", from.display()))?;
        let raw = fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(&to);
        total = (total.0 + raw, total.1 + gz);
        println!("{rel:<36} {raw:>10} {gz:>10}");
    }
    println!("{:<36} {:>10} {:>10}", "total", total.0, total.1);
    println!("wrote {}", out.display());
    Ok(())
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) -> Result {
    let mut entries: Vec<_> = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(base, &p, files)?;
        } else if let Ok(rel) = p.strip_prefix(base) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Gzip size at the default level, as a web server would send it.
fn gzip_size(p: &Path) -> u64 {
    output("sh", &["-c", &format!("gzip -9 -c '{}' | wc -c", p.display())])
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Every check CI runs: formatting-independent lints, native tests, the wasm build, the
/// wasm tests in Chromium, and the browser end-to-end tests.
pub(crate) fn ci() -> Result {
    setup(Needs::all())?;
    run("cargo", &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])?;
    run("cargo", &["test", "--workspace", "--quiet"])?;
    // Broken intra-doc links and missing docs fail CI, as they would on docs.rs.
    let docs = std::process::Command::new("cargo")
        .args(["doc", "--no-deps", "-p", "cascade-core", "--quiet"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !docs.success() {
        return Err("cargo doc found problems in the API docs".into());
    }
    wasm()?;
    let chromedriver = if has("chromedriver") { "chromedriver" } else { "/usr/bin/chromedriver" };
    let wasm_tests = std::process::Command::new("cargo")
        .args(["test", "-p", "cascade-wasm", "--target", "wasm32-unknown-unknown", "--test", "web"])
        .env("CHROMEDRIVER", chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !wasm_tests.success() {
        return Err("wasm-bindgen tests in Chromium failed".into());
    }
    run_in(&root().join("tests"), "npm", &["test", "--silent"])?;
    Ok(())
}
