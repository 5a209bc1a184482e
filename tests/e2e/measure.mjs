// Measures the facilitator page and prints one JSON document (not a test):
//  - load: time from navigation to usable (the element's `ready` attribute, set once the
//    engine is initialised and the first view painted), median of 10 loads, for a first
//    visit (fresh browser context) and a returning one (reload with work stored);
//  - keys: key press to the next paint, and the work that must fit in that one frame, over
//    200 presses each in two situations, timed in the page (see pressLoop);
//  - engines: the WebAssembly engine beside its JavaScript build (the page under a policy
//    without 'wasm-unsafe-eval'): load to usable, a summary and a comparison of the contract's
//    worked example, and key presses;
//  - payload: every file of www/ (with the engine in www/pkg/), raw and gzip-compressed, and
//    what an embedding page downloads as the browser receives it (download.mjs).
//
//   node e2e/measure.mjs            (from tests/, after `cargo xtask wasm`)

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, WWW, CSP } from './server.mjs';
import { launch, load, settle, start, FIXTURES, requireEngine } from './browser.mjs';
import { measureDownload, NO_WASM_CSP } from './download.mjs';

const LOADS = 10;
const PRESSES = 200;

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  const r = (v) => Math.round(v * 100) / 100;
  return { n: s.length, median: r(q(0.5)), p95: r(q(0.95)), min: r(s[0]), max: r(s[s.length - 1]) };
}

const READY_PROBE = () => {
  document.addEventListener('cascade-ready', () => {
    document.documentElement.dataset.cascadeReadyAt = String(performance.now());
  }, { once: true });
};

async function readyAt(page) {
  await page.waitForSelector('cascade-assessment[ready]', { timeout: 20_000 });
  return Number(await page.evaluate(() => document.documentElement.dataset.cascadeReadyAt));
}

async function measureLoads(browser, server) {
  const first = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
    await context.addInitScript(READY_PROBE);
    const page = await context.newPage();
    await page.goto(server.url);
    first.push(await readyAt(page));
    await context.close();
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  await context.addInitScript(READY_PROBE);
  const page = await context.newPage();
  await load(page, server.url);
  await start(page, 'Measure Vale');
  const returning = [];
  for (let i = 0; i < LOADS; i++) {
    await page.reload();
    returning.push(await readyAt(page));
  }
  await context.close();
  return { first_visit_ms: stats(first), returning_ms: stats(returning) };
}

/**
 * Presses keys in the page and times each, three ways:
 * `next_paint`, from dispatch to just after the next frame is painted (a requestAnimationFrame
 * registered after the element's own, then a MessageChannel task, which runs once the
 * frame's style, layout and paint are done), so it includes waiting for the frame;
 * `one_frame`, the work that must fit in one frame: the key handler plus that frame from its
 * start (the element renders in its rAF callback) to after paint;
 * `work`, from dispatch to the end of a synchronous render (handler, engine, DOM), no frames.
 */
function pressLoop({ keys, count }) {
  const host = document.querySelector('cascade-assessment');
  const root = host.shadowRoot;
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const channel = new MessageChannel();
  const afterPaint = () => new Promise((r) => {
    channel.port1.onmessage = r;
    channel.port2.postMessage(0);
  });
  const press = (key) => {
    const target = root.activeElement ?? host;
    const code = /^\d$/.test(key) ? `Digit${key}` : key;
    target.dispatchEvent(new KeyboardEvent('keydown', { key, code, bubbles: true, composed: true, cancelable: true }));
  };
  return (async () => {
    const nextPaint = [];
    const oneFrame = [];
    const work = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      press(keys[i % keys.length]);
      const handled = performance.now() - t0;
      const frameStart = await frame();
      await afterPaint();
      const t3 = performance.now();
      nextPaint.push(t3 - t0);
      // A frame may begin while the handler still runs; that time counts once.
      oneFrame.push(handled + (t3 - Math.max(t0 + handled, frameStart)));
      await frame();
    }
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      press(keys[i % keys.length]);
      host.render();
      work.push(performance.now() - t0);
      await frame();
      await frame();
    }
    return { nextPaint, oneFrame, work };
  })();
}

async function measureKeys(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await load(page, server.url);
  await start(page, 'Keys Vale');
  // Agreed levels, results hidden: number keys and moving between domains.
  const agreed = await page.evaluate(pressLoop, { keys: ['1', '2', '3', '4', '5', 'ArrowRight'], count: PRESSES });
  // The worked example, each person, results revealed with the distribution chart.
  await page.locator('cascade-assessment [data-k="view:files"]').click();
  await page.locator('cascade-assessment [data-k="files-import"]').setInputFiles(path.join(FIXTURES, 'workshop.csv'));
  await page.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Example Vale');
  await page.locator('cascade-assessment [data-k="view:score"]').click();
  await page.locator('cascade-assessment [data-k="reveal"]').click();
  await page.locator('cascade-assessment [data-k="step:0"]').click();
  await settle(page);
  const revealed = await page.evaluate(pressLoop, { keys: ['1', '2', '3', '4', '5', 'u', ']'], count: PRESSES });
  await context.close();
  return {
    agreed_hidden: { key_to_next_paint_ms: stats(agreed.nextPaint), work_in_the_frame_ms: stats(agreed.oneFrame), handler_and_render_ms: stats(agreed.work) },
    each_person_revealed: { key_to_next_paint_ms: stats(revealed.nextPaint), work_in_the_frame_ms: stats(revealed.oneFrame), handler_and_render_ms: stats(revealed.work) },
  };
}

/**
 * One engine at work on the facilitator page: load to usable (first visits), the API's summary
 * and comparison of the contract's worked example, and key presses (as measureKeys times them).
 */
async function measureEngine(browser, server) {
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
    await context.addInitScript(READY_PROBE);
    const page = await context.newPage();
    await page.goto(server.url);
    loads.push(await readyAt(page));
    await context.close();
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await load(page, server.url);
  await start(page, 'Engine Vale');
  const keys = await page.evaluate(pressLoop, { keys: ['1', '2', '3', '4', '5', 'ArrowRight'], count: 100 });
  await page.locator('cascade-assessment [data-k="view:files"]').click();
  await page.locator('cascade-assessment [data-k="files-import"]').setInputFiles(path.join(FIXTURES, 'workshop.csv'));
  await page.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Example Vale');
  const calls = await page.evaluate(() => {
    const el = document.querySelector('cascade-assessment');
    const time = (f) => Array.from({ length: 50 }, () => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    });
    return { summary: time(() => el.getSummary()), comparison: time(() => el.getComparison('baseline', 'followup')) };
  });
  await context.close();
  return {
    first_visit_ms: stats(loads),
    contract_summary_ms: stats(calls.summary),
    contract_comparison_ms: stats(calls.comparison),
    key_handler_and_render_ms: stats(keys.work),
    key_to_next_paint_ms: stats(keys.nextPaint),
  };
}

function payload() {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('.') && !e.name.endsWith('.d.ts')) {
        const body = fs.readFileSync(p);
        files.push({ file: path.relative(WWW, p), raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
      }
    }
  };
  walk(WWW);
  const sum = (list) => list.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const pkg = files.filter((f) => f.file.startsWith('pkg/'));
  const page = files.filter((f) => !f.file.startsWith('pkg/'));
  return { files, page_bytes: sum(page), engine_bytes: sum(pkg), total_bytes: sum(files) };
}

requireEngine();

const server = await startServer({ csp: true });
// The page's own policy but for 'wasm-unsafe-eval': the JavaScript build runs.
const noWasm = await startServer({ csp: CSP.replace(" 'wasm-unsafe-eval'", '') });
const browser = await launch();
try {
  const loads = await measureLoads(browser, server);
  const keys = await measureKeys(browser, server);
  const engines = { webassembly: await measureEngine(browser, server), javascript: await measureEngine(browser, noWasm) };
  console.log(JSON.stringify({
    machine: { chromium: browser.version(), viewport: '1280x720', note: 'headless Chromium, loopback server, no throttling' },
    time_to_usable: loads,
    key_to_repaint: keys,
    engines,
    payload: { ...payload(), embedding_page: await measureDownload(browser), without_wasm_unsafe_eval: await measureDownload(browser, { csp: NO_WASM_CSP }) },
  }, null, 2));
} finally {
  await browser.close();
  await server.close();
  await noWasm.close();
}
