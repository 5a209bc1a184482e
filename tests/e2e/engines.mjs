// One small driver interface over four browser engines, so that one test body runs in each:
//
//   chromium   Debian's Chromium through playwright-core (as the rest of the suite)
//   firefox    Debian's firefox-esr through puppeteer-core over WebDriver BiDi
//   webkitgtk  Debian's WebKitGTK: WebKitWebDriver driving MiniBrowser under xvfb-run
//   wpe        Debian's WPE WebKit 2.38 (Safari 16's generation): WPEWebDriver driving cog
//              headless
//
// The two WebKit drivers speak classic WebDriver only (no BiDi, no console or network
// events), which a few dozen lines below speak directly. What no engine's driver reports
// the pages report themselves: the test server puts probe.js first in every HTML page, and
// it records errors, policy violations and downloads in the page (see probe.js).
//
// A driver: { name, can: { print, pdf, downloads }, goto(url), reload(), eval(fn, arg),
// press(key), type(text), click(x, y), upload(fn, arg, file), close() }. `eval` runs
// `fn(arg)` in the page and resolves to its (awaited, JSON) value; `press` takes a key name
// as KeyboardEvent.key has it ('ArrowRight', 'Enter', '3'); `upload` sets a file on the
// <input type=file> that `fn(arg)` returns.

import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';

export const ENGINES = ['chromium', 'firefox', 'webkitgtk', 'wpe'];

/** What each engine needs on the machine; `cargo xtask setup` installs all of it from Debian. */
const NEEDS = {
  chromium: ['/usr/bin/chromium'],
  firefox: ['/usr/bin/firefox-esr'],
  webkitgtk: ['/usr/bin/WebKitWebDriver', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/bin/xvfb-run'],
  wpe: ['/usr/bin/WPEWebDriver', '/usr/bin/cog'],
};

/** Fails with what to install when an engine is not on this machine: never a silent skip. */
export function requireBrowser(name) {
  const missing = (NEEDS[name] ?? [`an engine called ${name}`]).filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`${name}: ${missing.join(', ')} missing: run \`cargo xtask setup\` (it installs Debian's browsers and drivers)`);
}

export async function launchEngine(name) {
  requireBrowser(name);
  if (name === 'chromium') return chromiumDriver();
  if (name === 'firefox') return firefoxDriver();
  if (name === 'webkitgtk') {
    return webDriver(name, ['xvfb-run', '-a', '/usr/bin/WebKitWebDriver'], {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', args: ['--automation'] },
    });
  }
  if (name === 'wpe') {
    return webDriver(name, ['/usr/bin/WPEWebDriver'], {
      'wpe:browserOptions': { binary: '/usr/bin/cog', args: ['--automation', '--platform=headless'] },
    });
  }
  throw new Error(`no engine called ${name}: one of ${ENGINES.join(', ')}`);
}

/**
 * What a driver does through a page of Playwright's or Puppeteer's, whose page, keyboard and
 * mouse have the same calls for these.
 */
function pageMethods(page) {
  return {
    goto: (url) => page.goto(url).then(() => {}),
    reload: () => page.reload().then(() => {}),
    eval: (fn, arg) => page.evaluate(fn, arg),
    press: (key) => page.keyboard.press(key),
    type: (text) => page.keyboard.type(text),
    click: (x, y) => page.mouse.click(x, y),
  };
}

// ---- Chromium: playwright-core ---------------------------------------------------------

async function chromiumDriver() {
  const { launch } = await import('./browser.mjs');
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  return {
    name: 'chromium',
    can: { print: true, pdf: true, downloads: true },
    page,
    ...pageMethods(page),
    async upload(fn, arg, file) {
      const input = await page.evaluateHandle(fn, arg);
      await input.setInputFiles(file);
    },
    async emulatePrint(on) {
      await page.emulateMedia({ media: on ? 'print' : 'screen' });
    },
    async pdf() {
      return page.pdf({ format: 'A4', printBackground: true });
    },
    close: () => browser.close(),
  };
}

// ---- Firefox: puppeteer-core over WebDriver BiDi ---------------------------------------

async function firefoxDriver() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    defaultViewport: { width: 1280, height: 720 },
    // No update checks, telemetry or first-run pages: nothing but the test server is contacted.
    extraPrefsFirefox: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false, 'browser.shell.checkDefaultBrowser': false },
  });
  const page = (await browser.pages())[0] ?? await browser.newPage();
  return {
    name: 'firefox',
    // Puppeteer's BiDi layer has no media emulation and no download events for Firefox.
    can: { print: false, pdf: true, downloads: false },
    page,
    ...pageMethods(page),
    async upload(fn, arg, file) {
      const input = await page.evaluateHandle(fn, arg);
      await input.uploadFile(file);
    },
    async pdf() {
      return Buffer.from(await page.pdf({ format: 'A4', printBackground: true }));
    },
    close: () => browser.close(),
  };
}

// ---- WebKit: classic WebDriver over HTTP -----------------------------------------------

/** Key names as KeyboardEvent.key has them, to WebDriver's code points. */
const KEYS = {
  Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C', Backspace: '\uE003', Shift: '\uE008', Control: '\uE009',
  ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015', Home: '\uE011', End: '\uE010', Space: ' ',
};
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function webDriver(name, command, capabilities) {
  const port = await freePort();
  // Its own process group, so that closing ends xvfb-run, Xvfb and the driver together.
  const proc = spawn(command[0], [...command.slice(1), `--port=${port}`], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json().catch(() => ({}));
    if (!res.ok || json.value?.error) {
      throw new Error(`${name} WebDriver ${method} ${path}: ${json.value?.error ?? res.status}: ${json.value?.message ?? ''}`);
    }
    return json.value;
  };
  const started = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${command.join(' ')} exited ${proc.exitCode}: ${log}`);
    const ready = await call('GET', '/status').then((v) => v?.ready !== false, () => false);
    if (ready) break;
    if (Date.now() - started > 20_000) throw new Error(`${command.join(' ')} did not answer on port ${port}: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const kill = () => {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  let session;
  try {
    session = await call('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
  } catch (e) {
    kill();
    throw e;
  }
  const s = `/session/${session.sessionId}`;
  await call('POST', `${s}/timeouts`, { script: 60_000, pageLoad: 30_000 });
  await call('POST', `${s}/window/rect`, { width: 1280, height: 720 }).catch(() => {}); // headless cog has a fixed view
  // Runs fn(arg) in the page; a thrown error or rejected promise comes back as an error here.
  const run = async (fn, arg) => {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn})(arguments[0])).then(
        (value) => done({ value: value === undefined ? null : value }),
        (e) => done({ error: String(e && e.message || e) }));`;
    const out = await call('POST', `${s}/execute/async`, { script, args: [arg === undefined ? null : arg] });
    if (out && 'error' in out) throw new Error(out.error);
    return out ? out.value : null;
  };
  const keyActions = (list) => call('POST', `${s}/actions`, { actions: [{ type: 'key', id: 'keyboard', actions: list }] });
  return {
    name,
    // Classic WebDriver has no media emulation, no printing to PDF in these drivers, and no
    // download events.
    can: { print: false, pdf: false, downloads: false },
    async goto(url) {
      await call('POST', `${s}/url`, { url });
    },
    async reload() {
      await call('POST', `${s}/refresh`, {});
    },
    eval: run,
    async press(key) {
      const parts = key.split('+');
      const main = parts.pop();
      const mods = parts.map((m) => KEYS[m]);
      const k = KEYS[main] ?? main;
      await keyActions([...mods.map((value) => ({ type: 'keyDown', value })), { type: 'keyDown', value: k }, { type: 'keyUp', value: k },
        ...mods.reverse().map((value) => ({ type: 'keyUp', value }))]);
    },
    async type(text) {
      await keyActions([...text].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]));
    },
    async click(x, y) {
      await call('POST', `${s}/actions`, {
        actions: [{
          type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
          actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport', duration: 0 },
            { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
        }],
      });
    },
    async upload(fn, arg, file) {
      const el = await call('POST', `${s}/execute/sync`, { script: `return (${fn})(arguments[0]);`, args: [arg === undefined ? null : arg] });
      await call('POST', `${s}/element/${el[ELEMENT]}/value`, { text: file });
    },
    async close() {
      await call('DELETE', s).catch(() => {});
      kill();
    },
  };
}
