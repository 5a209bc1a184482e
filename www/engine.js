// The scoring engine: the one owner of the wasm-bindgen module (pkg/cascade_wasm.js over
// pkg/cascade_wasm_bg.wasm). Whoever asks first (cascade-widget.js while the element's
// modules are still arriving, or the element itself) starts it; everyone after gets the same
// promise, so a page fetches, compiles and instantiates the engine exactly once, however many
// elements it has and whichever way they were loaded. (Two initialisations would make two
// instances, and a Session made on one would read the other's memory.)
//
// Where WebAssembly is refused (a Content-Security-Policy without 'wasm-unsafe-eval') or
// missing, it runs the JavaScript build of the same module instead,
// pkg/cascade_wasm_bg.wasm.js (made by tools/wasm2js.mjs with binaryen's wasm2js), behind
// the same glue, so the element cannot tell. Only those pages fetch it; they skip the .wasm.
//
// A page that carries the engine inside it (cascade.html, one file opened from disk) calls
// startEngine() with what it carries before any element starts; nothing is fetched then:
//
//   import * as glue from <the glue, inlined>;
//   startEngine({ glue, wasm: bytesOfTheWasm });            // Uint8Array, ArrayBuffer or WebAssembly.Module
//   startEngine({ glue, wasm: bytes, js: () => jsBuild });  // and the JS build, loaded only if WebAssembly is refused
//
// Every way in resolves to the glue's namespace (Session, builtinFramework, parseFramework).

// Written out in full: `cargo xtask dist` finds the widget's files by such literals.
const GLUE = new URL('./pkg/cascade_wasm.js', import.meta.url).href;
const WASM = new URL('./pkg/cascade_wasm_bg.wasm', import.meta.url).href;
const JS_BUILD = new URL('./pkg/cascade_wasm_bg.wasm.js', import.meta.url).href;

let started = null;
// The compiled module the engine runs on, once it runs on WebAssembly (see compiledEngine).
let compiled = null;

/** An engine start-up failure, with a `code` the element's error event passes on. */
export class EngineError extends Error {
  constructor(code, message, missing = null) {
    super(message);
    this.code = code;
    // A file of the widget the site answered with an error ({ path, answer }), if that was it.
    this.missing = missing;
  }
}

/** `url` answered with an HTTP error: the site lacks a file of the widget, and a reload will not help. */
function missingFile(url, response) {
  const path = new URL(url).pathname;
  const answer = `${response.status} ${response.statusText}`.trim();
  return new EngineError('engine-failed', `${path}: the server answered ${answer}`, { path, answer });
}

/**
 * The engine, loaded and initialised once per page from the files beside this module.
 * Refusals are told apart, because the fix differs: the page's Content-Security-Policy
 * forbids even the JavaScript build (the site adds 'wasm-unsafe-eval'), the browser can run
 * neither build (another browser), or a file did not arrive (reload, or the site's files
 * are incomplete).
 */
export function loadEngine() {
  started ??= fromFiles();
  return started;
}

/**
 * Starts the engine from code already in the page instead of the pkg/ files: `glue` is the
 * namespace of pkg/cascade_wasm.js, `wasm` the module's bytes (ArrayBuffer or typed array) or
 * a compiled WebAssembly.Module, and `js`, if given, a function returning (or resolving to)
 * the namespace of pkg/cascade_wasm_bg.wasm.js, called only where WebAssembly cannot run.
 * Call it before any element starts; it throws if the engine has already started.
 * Returns the same promise as loadEngine().
 */
export function startEngine({ glue, wasm, js = null }) {
  if (started) throw new Error('startEngine: the engine has already started; call it before any <cascade-assessment> starts');
  started = fromSource(glue, wasm, js);
  return started;
}

/**
 * The compiled WebAssembly module the page's engine runs on, for a worker to start an engine
 * of its own from (post it to the worker, which passes it to the glue's init) without the
 * .wasm being fetched or compiled again; null until the engine has started, and where it runs
 * as JavaScript.
 */
export function compiledEngine() {
  return compiled;
}

/** The module compiled from the site's answer: as it streams in where the server says application/wasm. */
async function compile(response) {
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (e) {
      if (response.headers.get('Content-Type') === 'application/wasm') throw e;
      console.warn(`<cascade-assessment>: the server sends ${new URL(response.url).pathname} as ${response.headers.get('Content-Type')}, not application/wasm, so the engine is compiled only once the whole file has arrived, more slowly.`);
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Why WebAssembly cannot run here, found without fetching anything: null, 'missing' or 'refused'. */
function wasmUnavailable() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function' || typeof WebAssembly.Module !== 'function') {
    return 'missing';
  }
  try {
    // The smallest module there is. A policy without 'wasm-unsafe-eval' refuses it (and the
    // browser notes the refusal in the console): that page needs the JavaScript build.
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return null;
  } catch {
    return 'refused';
  }
}

/** Policy violations reported while `run` goes on, to explain a failure afterwards. */
async function watchingPolicy(run) {
  const violations = [];
  const seen = (e) => violations.push(e);
  document.addEventListener('securitypolicyviolation', seen);
  try {
    return await run(violations);
  } finally {
    document.removeEventListener('securitypolicyviolation', seen);
  }
}

/** Imports a module of the widget; if that fails, says whether the site lacks the file. */
async function importFile(url) {
  try {
    return await import(url);
  } catch (e) {
    // An import failure does not say why; the site's answer for the file does.
    const answer = await fetch(url).catch(() => null);
    if (answer && !answer.ok) throw missingFile(url, answer);
    throw e;
  }
}

function fromFiles() {
  return watchingPolicy(async (violations) => {
    let unavailable = wasmUnavailable();
    if (!unavailable) {
      // Fetched alongside the glue rather than after it: one round trip fewer on a school's site.
      const wasm = fetch(WASM);
      wasm.catch(() => {}); // Reported below, once, whichever fails first.
      try {
        const glue = await importFile(GLUE);
        const response = await wasm;
        if (!response.ok) throw missingFile(WASM, response);
        const module = await compile(response);
        await glue.default({ module_or_path: module });
        compiled = module;
        return glue;
      } catch (e) {
        unavailable = await refused(e, violations);
        if (!unavailable) throw explain(e, violations);
      }
    }
    return startJs(unavailable, () => importFile(GLUE), () => importFile(JS_BUILD), violations);
  });
}

function fromSource(glue, wasm, js) {
  return watchingPolicy(async (violations) => {
    let unavailable = wasmUnavailable();
    if (!unavailable) {
      try {
        const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
        await glue.default({ module_or_path: module });
        compiled = module;
        return glue;
      } catch (e) {
        unavailable = await refused(e, violations);
        if (!unavailable || !js) throw explain(e, violations);
      }
    }
    if (!js) {
      throw unavailable === 'refused'
        ? new EngineError('engine-blocked', 'WebAssembly is refused by the page\'s Content-Security-Policy')
        : new EngineError('engine-unsupported', 'this browser cannot run WebAssembly');
    }
    return startJs(unavailable, () => glue, js, violations);
  });
}

/** 'refused' when `e` is the page's policy refusing WebAssembly, else null. */
async function refused(e, violations) {
  if (e instanceof EngineError) return null;
  // Policy violation events arrive a task after the failure they explain.
  await new Promise((r) => setTimeout(r, 0));
  const message = String(e?.message ?? e);
  const blocked = violations.some((v) => v.blockedURI === 'wasm-eval' || v.blockedURI === 'eval')
    || (e instanceof WebAssembly.CompileError && /content.security|CSP|unsafe-eval|wasm-eval/i.test(message));
  return blocked ? 'refused' : null;
}

/** A failure of the WebAssembly build that is not a refusal, as the element reports it. */
function explain(e, violations) {
  if (e instanceof EngineError) return e;
  const message = String(e?.message ?? e);
  const directive = violations.map((v) => v.effectiveDirective).find(Boolean);
  if (directive) return new EngineError('engine-failed', `the page's Content-Security-Policy refused a file of the widget (${directive}): ${message}`);
  return new EngineError('engine-failed', message);
}

/**
 * Runs the JavaScript build behind the same glue: the glue's imports go to the build's
 * instantiate(), and the glue takes its exports as it would an instance's.
 */
async function startJs(why, getGlue, getBuild, violations) {
  // Console-visible for whoever looks: the page works, but more slowly than it could.
  console.info(`<cascade-assessment>: WebAssembly is ${why === 'refused' ? "refused by this page's Content-Security-Policy" : 'not available'}, so the scoring engine runs as JavaScript`);
  try {
    const [glue, build] = await Promise.all([getGlue(), getBuild()]);
    glue.__wbg_finalize_init({ exports: build.instantiate(glue.__wbg_get_imports()) }, undefined);
    return glue;
  } catch (e) {
    if (e instanceof EngineError) throw e;
    await new Promise((r) => setTimeout(r, 0));
    const message = String(e?.message ?? e);
    // Where even the JavaScript build cannot run, the fix is the one for WebAssembly: the
    // policy allows it, or another browser.
    if (why === 'refused') throw new EngineError('engine-blocked', message);
    const directive = violations.map((v) => v.effectiveDirective).find(Boolean);
    throw new EngineError('engine-unsupported', directive ? `this browser cannot run WebAssembly, and the page's Content-Security-Policy refused the engine's JavaScript build (${directive})` : 'this browser cannot run WebAssembly');
  }
}
