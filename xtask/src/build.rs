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
        // Debian's browsers and their drivers; test tools must never download a browser of
        // their own. Only what is missing is installed, without recommended extras.
        let missing: Vec<&str> = BROWSERS.iter().filter(|(file, _)| !Path::new(file).exists()).map(|&(_, pkg)| pkg).collect();
        if !missing.is_empty() {
            let sudo = if output("id", &["-u"]).is_some_and(|u| u.trim() == "0") { vec![] } else { vec!["sudo"] };
            let apt = |args: &[&str]| {
                let mut all = sudo.clone();
                all.extend_from_slice(args);
                run(all[0], &all[1..])
            };
            apt(&["apt-get", "update", "-q"])?;
            let mut install = vec!["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--no-install-recommends"];
            install.extend(missing);
            apt(&install)?;
        }
    }
    Ok(())
}

/// The browser tests' engines, each as a file that shows it is installed and its Debian package.
const BROWSERS: &[(&str, &str)] = &[
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    ("/usr/bin/firefox-esr", "firefox-esr"),
    // WebKitGTK: the driver brings MiniBrowser; it needs an X server, which xvfb-run starts.
    ("/usr/bin/WebKitWebDriver", "webkit2gtk-driver"),
    ("/usr/bin/xvfb-run", "xvfb"),
    ("/usr/bin/xauth", "xauth"),
    // WPE WebKit 2.38, Safari 16's generation: the driver and cog, its browser, headless.
    ("/usr/bin/WPEWebDriver", "wpewebkit-driver"),
    ("/usr/bin/cog", "cog"),
];

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
    eprintln!("$ CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=\"{WASM_RUSTFLAGS}\"");
    let built = std::process::Command::new("cargo")
        .args(["build", "--profile", "wasm", "--target", "wasm32-unknown-unknown", "-p", "cascade-wasm", "--quiet"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", WASM_RUSTFLAGS)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("cargo build of cascade-wasm for wasm32-unknown-unknown failed".into());
    }
    let pkg = root().join("www/pkg");
    let built = root().join("target/wasm32-unknown-unknown/wasm/cascade_wasm.wasm");
    // Rust's prebuilt standard library still declares reference-types in the module's
    // target_features section, and wasm-bindgen would then emit its externref-table glue,
    // which Safari 16's engine (WPE 2.38 here) traps on: "Out of bounds table access".
    let input = root().join("target/wasm32-unknown-unknown/wasm/cascade_wasm.mvp.wasm");
    let bytes = fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    fs::write(&input, without_custom_section(&bytes, "target_features")?).map_err(|e| format!("{}: {e}", input.display()))?;
    run(
        "wasm-bindgen",
        &["--target", "web", "--out-dir", path(&pkg)?, "--out-name", "cascade_wasm", path(&input)?],
    )?;
    let glue = fs::read_to_string(pkg.join("cascade_wasm.js")).map_err(|e| format!("www/pkg/cascade_wasm.js: {e}"))?;
    if glue.contains("externref") {
        return Err("www/pkg/cascade_wasm.js uses an externref table, which Safari 16 cannot run: the module was built with reference-types".into());
    }
    let wasm = pkg.join("cascade_wasm_bg.wasm");
    let opt = root().join("tools/node_modules/.bin/wasm-opt");
    run(
        path(&opt)?,
        // -Os: its module is 1.3 KB larger than -Oz's (with --converge) but 0.5 KB smaller
        // gzipped, which is what visitors download. The producers and target-features
        // sections are for tools, and browsers ignore them. Only features Safari 15 and every
        // later engine has are enabled, so a module that used any other fails here, not in a
        // visitor's browser.
        &["-Os", "--strip-producers", "--strip-target-features", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "-o", path(&wasm)?, path(&wasm)?],
    )?;
    expose_glue_init(&pkg.join("cascade_wasm.js"))?;
    js_engine(&wasm, &pkg.join(JS_ENGINE))?;
    let mut sizes = Vec::new();
    for f in ["cascade_wasm_bg.wasm", "cascade_wasm.js", JS_ENGINE] {
        sizes.push((format!("pkg/{f}"), fs::metadata(pkg.join(f)).map(|m| m.len()).unwrap_or(0)));
    }
    Ok(sizes)
}

/// The JavaScript build of the engine, for pages where WebAssembly is refused or missing.
const JS_ENGINE: &str = "cascade_wasm_bg.wasm.js";

/// The two functions of wasm-bindgen's glue that start it from an instance's exports, exported
/// so that `www/engine.js` can start the same glue on the JavaScript build (which is no
/// `WebAssembly.Instance`). Fails if the glue no longer has them, rather than ship a page
/// that cannot start without WebAssembly.
fn expose_glue_init(glue: &Path) -> Result {
    let text = fs::read_to_string(glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let names = ["__wbg_get_imports", "__wbg_finalize_init"];
    for name in names {
        if !text.contains(&format!("\nfunction {name}(")) {
            return Err(format!("{}: wasm-bindgen's glue has no function {name}; www/engine.js starts the JavaScript build with it", glue.display()));
        }
    }
    let line = format!("export {{ {} }};\n", names.join(", "));
    if !text.contains(&line) {
        write(glue, &format!("{text}{line}"))?;
    }
    Ok(())
}

/// Translates the optimised module to JavaScript with binaryen's wasm2js (`tools/wasm2js.mjs`
/// lowers what wasm2js cannot translate), into `out`.
fn js_engine(wasm: &Path, out: &Path) -> Result {
    let script = root().join("tools/wasm2js.mjs");
    let started = std::time::Instant::now();
    run("node", &[path(&script)?, path(wasm)?, path(out)?])?;
    println!("wasm2js: {} in {:.1} s", out.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// Code generation for the engine: without the WebAssembly features Safari 16 lacks or gets
/// wrong (reference types, which wasm-bindgen's externref glue needs; multi-value returns).
/// `-C target-cpu=mvp` would also drop bulk memory, which wasm-bindgen's output needs.
const WASM_RUSTFLAGS: &str = "-C target-feature=-reference-types,-multivalue";

/// A WebAssembly module's bytes without the custom sections called `name`.
fn without_custom_section(module: &[u8], name: &str) -> Result<Vec<u8>> {
    fn leb(bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(at)?;
            at += 1;
            value |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                return Some((value, at));
            }
            if shift > 28 {
                return None;
            }
        }
    }
    let bad = || "the built engine is not a WebAssembly module (a section runs past its end)".to_owned();
    if module.get(..4) != Some(b"\0asm") {
        return Err("the built engine is not a WebAssembly module (no \\0asm header)".into());
    }
    let mut out = module[..8].to_vec();
    let mut at = 8;
    while at < module.len() {
        let (size, body) = leb(module, at + 1).ok_or_else(bad)?;
        let end = body.checked_add(size).filter(|&e| e <= module.len()).ok_or_else(bad)?;
        let dropped = module[at] == 0
            && leb(module, body).is_some_and(|(n, s)| module.get(s..s + n) == Some(name.as_bytes()));
        if !dropped {
            out.extend_from_slice(&module[at..end]);
        }
        at = end;
    }
    Ok(out)
}

fn path(p: &Path) -> Result<&str> {
    p.to_str().ok_or_else(|| format!("{} is not UTF-8", p.display()))
}

/// Files of `www/` that are deployed: everything but tests and the dev server's extras.
fn deployable(rel: &str) -> bool {
    !rel.ends_with(".test.mjs") && !rel.starts_with("pkg/.") && !rel.ends_with(".gitignore")
}

/// Writes `target/dist/www/` (the whole static site) and `target/dist/cascade-widget/` (the
/// embeddable widget as an npm-style package, plus its `.tgz` when npm is there), with every
/// `.js` and `.css` file minified, printing every file's size raw and gzipped and the total
/// a page that embeds the widget downloads.
pub(crate) fn dist() -> Result {
    wasm()?;
    let www = root().join("www");
    let out = root().join("target/dist");
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut files = Vec::new();
    collect(&www, &www, &mut files)?;
    let site: Vec<String> = files.into_iter().filter(|r| deployable(r)).collect();
    let site_dir = out.join("www");
    copy_files(&www, &site_dir, &site)?;
    minify(&site_dir, &site)?;
    println!("The website: {}", site_dir.display());
    let sizes = size_table(&www, &site_dir, &site);

    offline_complete(&www)?;
    let version = workspace_version()?;
    let package = out.join("cascade-widget");
    let loaded = bundle_widget(&www, &site_dir, &package)?;
    let mut widget = loaded.clone();
    widget.push("cascade-widget.d.ts".to_owned());
    copy_files(&site_dir, &package, &["cascade-widget.d.ts".to_owned()])?;
    println!("\nThe widget package {version}: {}", package.display());
    size_table(&www, &package, &widget);
    let readme = package_readme(&version)?;
    write(&package.join("README.md"), &readme)?;
    write(&package.join("package.json"), &package_json(&version, &widget))?;
    println!("plus README.md and package.json");
    measure_download(&package, &loaded, &sizes)?;
    if has("npm") {
        run_in(&package, "npm", &["pack", "--pack-destination", "..", "--loglevel=error"])?;
        let tgz = out.join(format!("cascade-widget-{version}.tgz"));
        println!("wrote {} ({} bytes)", tgz.display(), fs::metadata(&tgz).map(|m| m.len()).unwrap_or(0));
    } else {
        println!("npm is not installed: no .tgz (the folder is the package)");
    }
    one_file(&out)?;
    release_archive(&out, &version)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// The element's module, which the package ships with the modules it imports bundled into it.
const ELEMENT: &str = "cascade-assessment.js";

/// Modules the bundle leaves as files of their own: the engine's one owner, which the one-tag
/// entry starts early and the element then shares, and the import, which the import worker
/// loads too (the views loaded on first use are split out by the bundle itself).
const UNBUNDLED: &[&str] = &["./engine.js", "./import.js"];

/// Writes the widget's files into `package`: what the element imports statically as one file
/// and the chunk of code it shares with its lazily loaded views (one request and one gzip
/// stream each, `tools/bundle.mjs`), each view it loads on first use as a file of its own, the
/// one-tag entry asking early for exactly the files the element loads with it, and the rest
/// as minified for the site in `site`. Returns the files the entry can load, itself first,
/// checked against what the package holds.
fn bundle_widget(www: &Path, site: &Path, package: &Path) -> Result<Vec<String>> {
    fs::create_dir_all(package).map_err(|e| format!("{}: {e}", package.display()))?;
    let script = root().join("tools/bundle.mjs");
    let entry = www.join(ELEMENT);
    let mut args = vec![path(&script)?, path(&entry)?, path(package)?];
    args.extend_from_slice(UNBUNDLED);
    let listed = std::process::Command::new("node")
        .args(&args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !listed.status.success() {
        return Err(format!("bundling the widget failed: {}", String::from_utf8_lossy(&listed.stderr).trim()));
    }
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let pick = |kind: &str, when: &str| -> Vec<String> {
        listed
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{kind} {when} ")))
            .filter(|f| *f != ELEMENT)
            .map(str::to_owned)
            .collect()
    };
    let (static_modules, lazy_modules) = (pick("module", "static"), pick("module", "lazy"));
    let (static_files, lazy_files) = (pick("file", "static"), pick("file", "lazy"));
    let bundled: Vec<String> = static_modules.iter().chain(&lazy_modules).cloned().collect();
    // The entry asks early for every module the element imports statically; in the package
    // those are inside the element's file and its static chunks, which it asks for instead.
    let source = fs::read_to_string(www.join(WIDGET_ENTRY)).map_err(|e| format!("{WIDGET_ENTRY}: {e}"))?;
    let early = |line: &str, f: &str| line.trim() == format!("import('./{f}').catch(early);");
    let mut entry_text = String::new();
    let mut dropped = Vec::new();
    for line in source.lines() {
        if let Some(f) = lazy_modules.iter().find(|f| early(line, f)) {
            return Err(format!("{WIDGET_ENTRY} asks early for {f}, which the element loads only on first use"));
        }
        match static_modules.iter().find(|f| early(line, f)) {
            Some(f) => {
                if dropped.is_empty() {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    for chunk in &static_files {
                        entry_text.push_str(&format!("{indent}import('./{chunk}').catch(early);\n"));
                    }
                }
                dropped.push(f.clone());
            }
            None => {
                entry_text.push_str(line);
                entry_text.push('\n');
            }
        }
    }
    let missed: Vec<&String> = static_modules.iter().filter(|f| !dropped.contains(f)).collect();
    if !missed.is_empty() {
        let list: Vec<&str> = missed.iter().map(|f| f.as_str()).collect();
        return Err(format!("{WIDGET_ENTRY} has no line `import('./X.js').catch(early);` for {}, which the element imports", list.join(", ")));
    }
    write(&package.join(WIDGET_ENTRY), &entry_text)?;
    let mut written = vec![WIDGET_ENTRY.to_owned(), ELEMENT.to_owned()];
    written.extend(static_files.iter().chain(&lazy_files).cloned());
    minify(package, &written)?;
    let shipped: Vec<String> = reachable(www, WIDGET_ENTRY)?.into_iter().filter(|f| !bundled.contains(f)).collect();
    let rest: Vec<String> = shipped.iter().filter(|f| *f != WIDGET_ENTRY && *f != ELEMENT).cloned().collect();
    copy_files(site, package, &rest)?;
    let mut expected = shipped.clone();
    expected.extend(static_files.iter().chain(&lazy_files).cloned());
    let loaded = reachable(package, WIDGET_ENTRY).map_err(|e| format!("the widget package: {e}"))?;
    let mut unused: Vec<&String> = expected.iter().filter(|f| !loaded.contains(f)).collect();
    unused.extend(loaded.iter().filter(|f| !expected.contains(f)));
    if !unused.is_empty() {
        return Err(format!("the widget package does not load what it holds: {unused:?}"));
    }
    Ok(loaded)
}

/// The service worker precaches the facilitator page's files by a list written in `sw.js`;
/// a module the page loads but the list lacks would be missing offline, at the venue.
fn offline_complete(www: &Path) -> Result {
    let sw = fs::read_to_string(www.join("sw.js")).map_err(|e| format!("sw.js: {e}"))?;
    let listed: Vec<&str> = sw.split('\'').filter_map(|s| s.strip_prefix("./")).collect();
    // The engine's JavaScript build is for pages that refuse WebAssembly, so it is not
    // precached for everyone; where it is fetched, the service worker keeps it as it passes.
    // The worker itself is kept by the browser, not in its own cache.
    let missing: Vec<String> = reachable(www, "app.js")?
        .into_iter()
        .filter(|f| !listed.contains(&f.as_str()) && !f.ends_with(JS_ENGINE) && f != "sw.js")
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("www/sw.js does not precache {}, which the facilitator page loads: add them to FILES", missing.join(", ")))
    }
}

/// Writes `cascade.html` beside the site: the facilitator page in one file, code, styles and
/// engine inside, to open from disk with no server and no network (`tools/onefile.mjs`).
fn one_file(out: &Path) -> Result {
    let script = root().join("tools/onefile.mjs");
    let html = out.join("cascade.html");
    run("node", &[path(&script)?, path(&out.join("www"))?, path(&html)?])?;
    let size = Size::of(&html);
    println!("\nThe one-file page: {} ({} bytes, {} gzip)", html.display(), size.raw, size.gzip);
    Ok(())
}

/// What the release archive's README.txt says: which of its three things to use when.
fn release_readme(version: &str) -> String {
    format!(
        "CASCADE self-assessment {version}, for England's Link Programme\r\n\
         \r\n\
         Schools, colleges and children's mental health services score how well they work\r\n\
         together on the seven CASCADE domains, at a baseline and a follow-up workshop.\r\n\
         Everything runs in the browser: nothing is sent anywhere, and work is kept in the\r\n\
         browser of the computer it was done on.\r\n\
         \r\n\
         This archive holds three things. Use the one that fits:\r\n\
         \r\n\
         cascade.html\r\n\
         \x20 For a facilitator running a workshop. One file: copy it anywhere (a laptop, a USB\r\n\
         \x20 stick, an email to yourself) and double-click it. It opens in the browser with no\r\n\
         \x20 internet, no server and nothing to install. Use the same browser on the same\r\n\
         \x20 computer each time to find your saved work, and use \"Saved work\", \"Download\r\n\
         \x20 JSON\" to keep a copy or move it to another computer.\r\n\
         \r\n\
         site/\r\n\
         \x20 The facilitator's page as a website, for any static web host (copy the folder's\r\n\
         \x20 contents to it). Once opened it also works offline. Use this to give a team one\r\n\
         \x20 address to open instead of a file.\r\n\
         \r\n\
         cascade-widget/\r\n\
         \x20 For a school's or council's web administrator: the self-assessment to put on a page\r\n\
         \x20 of your own website with two lines of HTML. Copy the folder to your site and follow\r\n\
         \x20 cascade-widget/README.md (or open site/embed.html on the site above, which has\r\n\
         \x20 every option as a snippet to copy).\r\n"
    )
}

/// Writes `cascade-<version>.zip`: the site, the widget package and cascade.html, with a
/// README.txt saying which to use when (`tools/archive.mjs`, node's own zlib).
fn release_archive(out: &Path, version: &str) -> Result {
    let readme = out.join("README.txt");
    write(&readme, &release_readme(version))?;
    let zip = out.join(format!("cascade-{version}.zip"));
    let script = root().join("tools/archive.mjs");
    let top = format!("cascade-{version}");
    let entries = [
        format!("{}=README.txt", path(&readme)?),
        format!("{}=cascade.html", path(&out.join("cascade.html"))?),
        format!("{}=site", path(&out.join("www"))?),
        format!("{}=cascade-widget", path(&out.join("cascade-widget"))?),
    ];
    let mut args = vec![path(&script)?, path(&zip)?, top.as_str()];
    args.extend(entries.iter().map(String::as_str));
    run("node", &args)?;
    println!("The release archive: {} ({} bytes)", zip.display(), fs::metadata(&zip).map(|m| m.len()).unwrap_or(0));
    Ok(())
}

/// The embed entry: everything the package holds is what this module can load.
const WIDGET_ENTRY: &str = "cascade-widget.js";

/// Files run as classic scripts, not modules: minified without renaming their top-level names.
const CLASSIC_SCRIPTS: &[&str] = &["sw.js"];

/// Whether a deployed file is minified: JavaScript and CSS, never type declarations, nor the
/// engine's JavaScript build, which `tools/wasm2js.mjs` writes minified.
fn minified(rel: &str) -> bool {
    (rel.ends_with(".js") || rel.ends_with(".css")) && !rel.ends_with(JS_ENGINE)
}

/// Minifies, in place, the JS (terser) and CSS (csso) among `files` in `dir`, in one node
/// process running `tools/minify.mjs` with the packages `tools/package.json` pins.
fn minify(dir: &Path, files: &[String]) -> Result {
    let (classic, modules): (Vec<&String>, Vec<&String>) =
        files.iter().filter(|f| minified(f)).partition(|f| CLASSIC_SCRIPTS.contains(&f.as_str()));
    if classic.is_empty() && modules.is_empty() {
        return Ok(());
    }
    let script = root().join("tools/minify.mjs");
    let mut args = vec![path(&script)?];
    args.extend(modules.iter().map(|f| f.as_str()));
    if !classic.is_empty() {
        args.push("--script");
        args.extend(classic.iter().map(|f| f.as_str()));
    }
    let started = std::time::Instant::now();
    run_in(dir, "node", &args)?;
    println!(
        "minified {} JS and CSS files in {:.1} s",
        classic.len() + modules.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Copies `files` (relative to `from`) into `to`.
fn copy_files(from: &Path, to: &Path, files: &[String]) -> Result {
    for rel in files {
        let src = from.join(rel);
        let dst = to.join(rel);
        if let Some(dir) = dst.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
    }
    Ok(())
}

/// A file's size in bytes and gzipped.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    raw: u64,
    gzip: u64,
}

impl Size {
    fn of(p: &Path) -> Size {
        Size { raw: fs::metadata(p).map(|m| m.len()).unwrap_or(0), gzip: gzip_size(p) }
    }

    fn add(self, other: Size) -> Size {
        Size { raw: self.raw + other.raw, gzip: self.gzip + other.gzip }
    }
}

/// Prints the size of every file of `files` in `dir`, and for minified ones the size of its
/// source in `src` beside it; returns each file's (shipped, source) sizes.
fn size_table(src: &Path, dir: &Path, files: &[String]) -> Vec<(String, Size, Size)> {
    let mut rows = Vec::new();
    let (mut total, mut source) = (Size::default(), Size::default());
    println!("{:<36} {:>10} {:>10}   {:>10} {:>10}", "file", "bytes", "gzip", "source", "gzip");
    for rel in files {
        let shipped = Size::of(&dir.join(rel));
        let from = if minified(rel) { Size::of(&src.join(rel)) } else { shipped };
        total = total.add(shipped);
        source = source.add(from);
        if minified(rel) {
            println!("{rel:<36} {:>10} {:>10}   {:>10} {:>10}", shipped.raw, shipped.gzip, from.raw, from.gzip);
        } else {
            println!("{rel:<36} {:>10} {:>10}", shipped.raw, shipped.gzip);
        }
        rows.push((rel.clone(), shipped, from));
    }
    println!("{:<36} {:>10} {:>10}   {:>10} {:>10}", "total", total.raw, total.gzip, source.raw, source.gzip);
    rows
}

/// Prints what a page that embeds the package downloads, measured in Chromium by
/// `tests/e2e/download.mjs` (every response of the widget, how often, bytes and gzip as
/// transferred); where the browser tests are not set up, the files' sizes on disk instead.
fn measure_download(package: &Path, loaded: &[String], sizes: &[(String, Size, Size)]) -> Result {
    let tests = root().join("tests");
    if tests.join("node_modules/playwright-core").is_dir() && Path::new("/usr/bin/chromium").exists() {
        println!();
        return run_in(&tests, "node", &["e2e/download.mjs", path(package)?]);
    }
    println!("\n(`cargo xtask setup` installs Chromium and the test packages; then this measures the download in the browser)");
    embed_total(loaded, sizes);
    Ok(())
}

/// Prints what a page that embeds the widget downloads, from the files' sizes: every file
/// `cascade-widget.js` reaches, itself included, by kind, gzipped as a server would send them,
/// but the JavaScript build of the engine, which only pages that refuse WebAssembly fetch.
fn embed_total(loaded: &[String], sizes: &[(String, Size, Size)]) {
    let (mut js, mut css, mut wasm, mut other, mut source) = (0, 0, 0, 0, 0);
    let loaded: Vec<&String> = loaded.iter().filter(|rel| !rel.ends_with(JS_ENGINE)).collect();
    for (rel, shipped, from) in sizes.iter().filter(|(rel, ..)| loaded.contains(&rel)) {
        source += from.gzip;
        let kind = match rel.rsplit('.').next() {
            Some("js") => &mut js,
            Some("css") => &mut css,
            Some("wasm") => &mut wasm,
            _ => &mut other,
        };
        *kind += shipped.gzip;
    }
    let total = js + css + wasm + other;
    let other = if other > 0 { format!(", other {other}") } else { String::new() };
    println!(
        "an embedding page downloads {} files, {total} bytes gzip: JS {js}, CSS {css}, wasm {wasm}{other} (unminified: {source})",
        loaded.len()
    );
}

fn write(path: &Path, text: &str) -> Result {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every file `entry` loads, itself first: modules by `import ... from`, `import()` and
/// `new URL(..., import.meta.url)`, followed through each module found; other files (the
/// stylesheet, the .wasm) as they are. A file named but missing is an error.
fn reachable(base: &Path, entry: &str) -> Result<Vec<String>> {
    let mut found = vec![entry.to_owned()];
    let mut i = 0;
    while i < found.len() {
        let rel = found[i].clone();
        i += 1;
        if !rel.ends_with(".js") {
            continue;
        }
        let text = fs::read_to_string(base.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        let dir = rel.rfind('/').map_or("", |at| &rel[..=at]);
        for spec in specifiers(&text) {
            let joined = normalize(&format!("{dir}{spec}")).ok_or_else(|| format!("{rel}: {spec} leaves the widget's folder"))?;
            if !base.join(&joined).is_file() {
                return Err(format!("{rel} loads {spec}, but www/{joined} does not exist (run `cargo xtask wasm`?)"));
            }
            if !found.contains(&joined) {
                found.push(joined);
            }
        }
    }
    Ok(found)
}

/// Relative specifiers in a module's text: `from './x'`, `import('./x')`, `new URL('x', ...)`.
fn specifiers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Minified code writes `from"./x.js"`, with no space.
    for (marker, any_relative) in [("from", false), ("import(", false), ("new URL(", true)] {
        for (at, _) in text.match_indices(marker) {
            let rest = text[at + marker.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else { continue };
            let Some(end) = rest[1..].find(quote) else { continue };
            let spec = &rest[1..=end];
            let relative = spec.starts_with("./") || spec.starts_with("../");
            let plain = any_relative && !spec.is_empty() && !spec.contains(':') && !spec.starts_with('/') && !spec.contains('$');
            if relative || plain {
                out.push(spec.to_owned());
            }
        }
    }
    out
}

/// `a/./b/../c` as `a/c`; `None` if it climbs above the start.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `[workspace.package] version` from the root Cargo.toml.
fn workspace_version() -> Result<String> {
    let toml = fs::read_to_string(root().join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let section = toml.split("[workspace.package]").nth(1).ok_or("Cargo.toml has no [workspace.package]")?;
    let line = section
        .lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .find(|l| l.trim_start().starts_with("version"))
        .ok_or("[workspace.package] has no version")?;
    let value = line.split('=').nth(1).ok_or("bad version line")?.trim().trim_matches('"');
    Ok(value.to_owned())
}

/// The package's README: the root README's "Embedding in a website" section.
fn package_readme(version: &str) -> Result<String> {
    let readme = fs::read_to_string(root().join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let heading = "## Embedding in a website";
    let at = readme.find(heading).ok_or("README.md has no \"## Embedding in a website\" section")?;
    let body = &readme[at + heading.len()..];
    let body = body.find("\n## ").map_or(body, |end| &body[..end]);
    // Links into the repository would not resolve inside the package.
    let mut linked = String::new();
    let mut rest = body;
    while let Some(at) = rest.find("](") {
        linked.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        if !rest.starts_with("http") && !rest.starts_with('#') {
            linked.push_str("https://github.com/cascade-link/cascade/blob/main/");
        }
    }
    linked.push_str(rest);
    let body = linked.as_str();
    Ok(format!(
        "# cascade-widget {version}\n\nThe CASCADE self-assessment of England's Link Programme as one custom element, \
         `<cascade-assessment>`: schools, colleges and children's mental health services rate their joint working on \
         seven domains at a baseline and a follow-up workshop. This folder is self-contained: copy it to your website.\n{}\n",
        body.trim_end()
    ))
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn package_json(version: &str, files: &[String]) -> String {
    let list: Vec<String> = files.iter().map(|f| format!("    {}", json_string(f))).collect();
    format!(
        r#"{{
  "name": "cascade-widget",
  "version": {},
  "description": "The CASCADE self-assessment (Link Programme) as one custom element, <cascade-assessment>: one script tag, Shadow DOM, a strict Content-Security-Policy, WebAssembly inside.",
  "license": "MIT OR Apache-2.0",
  "repository": {{ "type": "git", "url": "https://github.com/cascade-link/cascade" }},
  "keywords": ["cascade", "link-programme", "mental-health", "schools", "web-component", "custom-element", "webassembly"],
  "type": "module",
  "main": "./cascade-widget.js",
  "types": "./cascade-widget.d.ts",
  "exports": {{
    ".": {{
      "types": "./cascade-widget.d.ts",
      "default": "./cascade-widget.js"
    }},
    "./cascade.css": "./cascade.css",
    "./cascade-more.css": "./cascade-more.css",
    "./package.json": "./package.json"
  }},
  "sideEffects": ["./cascade-widget.js", "./cascade-assessment.js"],
  "files": [
{}
  ]
}}
"#,
        json_string(version),
        list.join(",\n")
    )
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

/// Gzip size at level 9, as a web server that compresses ahead of time sends it.
fn gzip_size(p: &Path) -> u64 {
    output("sh", &["-c", &format!("gzip -9 -n -c '{}' | wc -c", p.display())])
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Every check CI runs: formatting-independent lints, native tests, the wasm build and the
/// dist folders, the wasm tests in Chromium, and the browser end-to-end tests (the embedding
/// ones on the minified package).
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
    // The browser tests embed the package as shipped (minified); dist builds the wasm first.
    dist()?;
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
    eprintln!("$ CASCADE_WIDGET_DIR=target/dist/cascade-widget CASCADE_ONEFILE=target/dist/cascade.html npm test --silent");
    let e2e = std::process::Command::new("npm")
        .args(["test", "--silent"])
        .env("CASCADE_WIDGET_DIR", root().join("target/dist/cascade-widget"))
        .env("CASCADE_ONEFILE", root().join("target/dist/cascade.html"))
        .current_dir(root().join("tests"))
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !e2e.success() {
        return Err("browser end-to-end tests failed".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_the_named_custom_section() {
        let custom = |name: &str, body: &[u8]| {
            let mut s = vec![0, (1 + name.len() + body.len()) as u8, name.len() as u8];
            s.extend_from_slice(name.as_bytes());
            s.extend_from_slice(body);
            s
        };
        let header = b"\0asm\x01\0\0\0".to_vec();
        let types = vec![1, 4, 1, 0x60, 0, 0];
        let features = custom("target_features", b"\x01+\x0freference-types");
        let names = custom("name", b"xyz");
        let module = [header.clone(), types.clone(), features, names.clone()].concat();
        assert_eq!(without_custom_section(&module, "target_features").unwrap(), [header, types, names].concat());
        assert_eq!(
            without_custom_section(b"not wasm", "x").unwrap_err(),
            "the built engine is not a WebAssembly module (no \\0asm header)"
        );
        let cut = &module[..module.len() - 2];
        assert_eq!(
            without_custom_section(cut, "x").unwrap_err(),
            "the built engine is not a WebAssembly module (a section runs past its end)"
        );
    }
}
