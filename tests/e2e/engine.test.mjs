// The engine's start, in Debian's Chromium (www/engine.js): fetched, compiled and
// instantiated once per page however the element is loaded, and the JavaScript build
// (pkg/cascade_wasm_bg.wasm.js, binaryen's wasm2js of the same module) where WebAssembly is
// refused or missing, with the contract's numbers.
//
// Pages: the embedding site of embed.test.mjs (tests/e2e/fixtures/site/, the widget at
// /vendor/cascade-widget/, from www/ or CASCADE_WIDGET_DIR) and the facilitator page.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, WWW, EMBED_CSP, CSP } from './server.mjs';
import { launch, foreign, requireEngine, FIXTURES, shown, shownSigned } from './browser.mjs';
import { elementFiles, lazyFiles } from './widget-files.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const SITE = path.join(here, 'fixtures/site');
const WIDGET = '/vendor/cascade-widget/';
const NO_WASM_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const CSV = fs.readFileSync(path.join(FIXTURES, 'workshop.csv'), 'utf8');
const SUMMARY = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'summary.json'), 'utf8'));
const COMPARE = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'compare.json'), 'utf8'));
const JS_BUILD = 'pkg/cascade_wasm_bg.wasm.js';
const DOMAINS = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'];

requireEngine();

/** The widget's folder, as embed.test.mjs takes it: CASCADE_WIDGET_DIR (the package as shipped) or www/. */
function widgetFolder() {
  const dir = process.env.CASCADE_WIDGET_DIR;
  return dir ? path.resolve(dir) : WWW;
}

let browser;
let site;
let facilitator;

before(async () => {
  browser = await launch();
  site = await startServer({
    root: SITE,
    mounts: { [WIDGET]: widgetFolder() },
    files: { '/entries-nowasm.html': path.join(SITE, 'entries.html') },
    csp: (p) => (p === '/nowasm.html' || p === '/entries-nowasm.html' ? NO_WASM_CSP : EMBED_CSP),
  });
  facilitator = await startServer({ csp: CSP });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await facilitator?.close();
});

/**
 * Counts, before any script of the page, every WebAssembly instantiation (the promise APIs and
 * `new WebAssembly.Instance`), and records the element's error events.
 */
function counter() {
  window.__testInstances = 0;
  window.__testErrors = [];
  document.addEventListener('cascade-error', (e) => window.__testErrors.push(e.detail.code));
  const W = globalThis.WebAssembly;
  if (typeof W !== 'object') return;
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const f = W[name];
    W[name] = function counted(...args) {
      window.__testInstances++;
      return f.apply(this, args);
    };
  }
  W.Instance = new Proxy(W.Instance, {
    construct(target, args, newTarget) {
      window.__testInstances++;
      return Reflect.construct(target, args, newTarget);
    },
  });
}

/** A fresh context on `url`, recording every request, failure and console error. */
async function visit(url, { init } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  await context.addInitScript(counter);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const seen = { requests: [], failed: [], errors: [], info: [] };
  context.on('request', (r) => seen.requests.push(r.url()));
  context.on('requestfailed', (r) => seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  context.on('response', (r) => {
    if (r.status() >= 400) seen.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
    if (m.type() === 'info') seen.info.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(`page: ${e.message}`));
  await page.goto(url);
  return { context, page, seen };
}

/** Waits until every <cascade-assessment> is ready or has failed. */
async function ready(page) {
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('cascade-assessment')];
    return all.length > 0 && all.every((e) => e.hasAttribute('ready') || e.shadowRoot?.querySelector('.fatal'));
  }, null, { timeout: 30_000 });
  await settle(page);
}

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Paths requested under `prefix` (relative to it), with how many times each. */
function fetches(seen, origin, prefix) {
  const counts = {};
  for (const u of seen.requests) {
    if (!u.startsWith(origin)) continue;
    const p = new URL(u).pathname;
    if (p.startsWith(prefix)) counts[p.slice(prefix.length)] = (counts[p.slice(prefix.length)] ?? 0) + 1;
  }
  return counts;
}

/**
 * Every file fetched once, and only those `expected`, but for what the element loads on first
 * use (LAZY_FILES), which what the test did may have fetched too (a reveal, the print report
 * after a change), each once.
 */
function oncePerFile(counts, expected, lazy = LAZY_FILES) {
  const twice = Object.entries(counts).filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], `files fetched more than once: ${JSON.stringify(twice)}`);
  const fetched = Object.keys(counts).filter((f) => expected.includes(f) || !lazy.includes(f));
  assert.deepEqual(fetched.sort(), [...expected].sort());
}

/** What the browser's own resource timing saw of the engine (the measure). */
function engineEntries(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname).filter((p) => /cascade_wasm/.test(p)).sort());
}

const ELEMENT_FILES = elementFiles(widgetFolder());
const LAZY_FILES = lazyFiles(widgetFolder());

/**
 * Tabs to the first domain's levels of `sel`, presses `level` and reveals the results; returns
 * what the element then holds.
 */
async function scoreFirstDomain(page, sel, level) {
  for (let tabs = 0; ; tabs++) {
    assert.ok(tabs < 80, `Tab never reached the levels of ${sel}`);
    const there = await page.evaluate((s) => {
      const host = document.querySelector(s);
      return document.activeElement === host && Boolean(host.shadowRoot.activeElement?.matches('fieldset.domain input[type=radio]'));
    }, sel);
    if (there) break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press(String(level));
  await settle(page);
  await page.keyboard.press('r');
  // The results' code comes on first use: wait for it, not for a number of frames.
  await page.waitForFunction((s) => document.querySelector(s).shadowRoot.querySelector('.results [data-stat="headline"]'), sel);
  await settle(page);
  return page.locator(sel).evaluate((el) => ({
    checked: el.shadowRoot.querySelector('fieldset.domain input[type=radio]:checked')?.value ?? null,
    headline: el.shadowRoot.querySelector('.results [data-stat="headline"]')?.firstChild?.textContent ?? null,
    agreed: el.getDocument().agreed.map((a) => [a.round, a.domain, a.level]),
  }));
}

describe('one engine per page', () => {
  test('the one-tag entry asks for the engine first and every module of the element at once', () => {
    const entry = fs.readFileSync(path.join(widgetFolder(), 'cascade-widget.js'), 'utf8');
    // Not too-old.js, which only a browser too old for the element fetches, in its place.
    const asked = [...entry.matchAll(/import\(\s*['"]\.\/([\w./-]+\.js)['"]/g)].map((m) => m[1]).filter((f) => f !== 'too-old.js');
    assert.equal(asked[0], 'engine.js', 'the engine before the element\'s modules');
    const modules = ELEMENT_FILES.filter((f) => f.endsWith('.js') && !f.startsWith('pkg/'));
    assert.deepEqual(modules.filter((f) => !asked.includes(f)), [], 'modules the one-tag entry does not ask for early: they load a round trip later');
  });

  const pages = [
    ['the one-tag entry and one element', 'strict.html', null],
    ['two elements', 'two.html', null],
    ['an element added later', 'lazy.html', async (page) => {
      await page.waitForLoadState('networkidle');
      await page.locator('#show').click();
    }],
  ];
  for (const [what, file, act] of pages) {
    test(`${what} (${file}): every widget file fetched once, one WebAssembly instance`, { timeout: 60_000 }, async () => {
      const env = await visit(new URL(file, site.url).href);
      const { page, seen } = env;
      if (act) await act(page);
      await ready(page);
      const first = await page.locator('cascade-assessment').first().getAttribute('storage-key');
      assert.ok(first);
      oncePerFile(fetches(seen, site.origin, WIDGET), ['cascade-widget.js', ...ELEMENT_FILES, 'pkg/cascade_wasm_bg.wasm']);
      assert.deepEqual(await engineEntries(page), [`${WIDGET}pkg/cascade_wasm.js`, `${WIDGET}pkg/cascade_wasm_bg.wasm`]);
      assert.equal(await page.evaluate(() => window.__testInstances), 1, 'one WebAssembly instance');
      assert.deepEqual(foreign(seen, site.origin), []);
      assert.deepEqual(seen.failed, []);
      assert.deepEqual(seen.errors, []);
      await env.context.close();
    });
  }

  test('the facilitator page: every file fetched once, one WebAssembly instance', { timeout: 60_000 }, async () => {
    const env = await visit(facilitator.url);
    const { page, seen } = env;
    await ready(page);
    const counts = fetches(seen, facilitator.origin, '/');
    // The facilitator page too comes through cascade-widget.js (an old browser gets its message).
    // The page preloads every module, those the element loads on first use too: it is the
    // facilitator's, kept offline by its service worker. Not the second stylesheet, which
    // neither the score view nor the start form uses (a preload unused would warn).
    const modules = lazyFiles(WWW).filter((f) => f.endsWith('.js'));
    oncePerFile(counts, ['', 'app.css', 'app.js', 'cascade-widget.js', 'icon.svg', ...elementFiles(WWW), ...modules, 'pkg/cascade_wasm_bg.wasm'], ['cascade-more.css']);
    assert.equal(await page.evaluate(() => window.__testInstances), 1, 'one WebAssembly instance');
    assert.deepEqual(seen.failed, []);
    assert.deepEqual(seen.errors, [], 'no console error (a preload the page did not use would warn)');
    await env.context.close();
  });

  test('importing a file on the facilitator page: the import worker starts from the page\'s compiled engine, not a second fetch', { timeout: 60_000 }, async () => {
    const env = await visit(facilitator.url);
    const { page, seen } = env;
    await ready(page);
    await page.locator('cascade-assessment [data-k="start-area"]').fill('Import Vale');
    await page.locator('cascade-assessment [data-k="start-go"]').click();
    await page.waitForSelector('cascade-assessment fieldset.domain');
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    await importExample(page);
    assert.deepEqual(workers.map((u) => new URL(u).pathname), ['/import-worker.js'], 'read in the worker');
    const counts = fetches(seen, facilitator.origin, '/');
    assert.equal(counts['pkg/cascade_wasm_bg.wasm'], 1, 'the .wasm fetched once, for the page; the worker is given it compiled');
    assert.deepEqual(seen.errors, []);
    await env.context.close();
  });

  test('both entries at once, and the engine module itself: one engine, and a Session from each path works', { timeout: 60_000 }, async () => {
    const env = await visit(new URL('entries.html', site.url).href);
    const { page, seen } = env;
    const result = await page.evaluate(async ({ base, csv }) => {
      // All three started in the same task, before any has loaded.
      const [Defined, direct, engine] = await Promise.all([
        import(`${base}cascade-widget.js`).then((m) => m.define()),
        import(`${base}cascade-assessment.js`),
        import(`${base}engine.js`),
      ]);
      const fromEngine = await engine.loadEngine();
      // A Session made as soon as the engine is there, before any element has started.
      const early = fromEngine.Session.fromCsv(csv, undefined);
      const slot = document.getElementById('slot');
      const a = document.createElement('cascade-assessment');
      a.id = 'widget-path';
      a.setAttribute('area', 'Widget Vale');
      a.setAttribute('storage-key', 'widget');
      const b = new direct.CascadeAssessment();
      b.id = 'direct-path';
      b.setAttribute('area', 'Direct Vale');
      b.setAttribute('storage-key', 'direct');
      slot.append(a, b);
      await Promise.all([a.ready, b.ready]);
      const glue = await import(`${base}pkg/cascade_wasm.js`);
      const late = glue.Session.create('Late Vale', ['Baseline'], undefined);
      return {
        sameClass: Defined === direct.CascadeAssessment,
        sameEngine: fromEngine === glue,
        early: early.summary(),
        compare: early.compare('baseline', 'followup'),
        late: late.document().area,
        instances: window.__testInstances,
      };
    }, { base: WIDGET, csv: CSV });
    await settle(page);
    assert.equal(result.sameClass, true, 'define() and the direct import give the one element class');
    assert.equal(result.sameEngine, true, 'engine.js resolves to the glue module every importer sees');
    assert.equal(result.instances, 1, 'one WebAssembly instance');
    assert.deepEqual(asIn(SUMMARY.areas[0], result.early), SUMMARY.areas[0], 'the early Session, used after both started, gives the contract\'s summary');
    assert.deepEqual(asIn(COMPARE.areas[0], result.compare), COMPARE.areas[0]);
    assert.equal(result.late, 'Late Vale');
    // Each element's own Session, by keyboard.
    assert.deepEqual(await scoreFirstDomain(page, '#widget-path', 3), { checked: '3', headline: '3', agreed: [['baseline', 'clarity', 3]] });
    assert.deepEqual(await scoreFirstDomain(page, '#direct-path', 4), { checked: '4', headline: '4', agreed: [['baseline', 'clarity', 4]] });
    assert.deepEqual(await page.locator('#widget-path').evaluate((el) => el.getSummary().rounds[0].domains[0].headline), 3);
    oncePerFile(fetches(seen, site.origin, WIDGET), ['cascade-widget.js', ...ELEMENT_FILES, 'pkg/cascade_wasm_bg.wasm']);
    assert.deepEqual(seen.failed, []);
    assert.deepEqual(seen.errors, []);
    await env.context.close();
  });
});

describe('startEngine: an engine already in the page', () => {
  /**
   * In the page: the glue and the engine's bytes as a one-file page would carry them (fetched
   * here by the test, as that page would have them inline), startEngine() before any element,
   * then an element; returns what the element and the engine then did.
   */
  async function fromInline(page) {
    return page.evaluate(async ({ base, csv }) => {
      const glue = await import(`${base}pkg/cascade_wasm.js`);
      const bytes = new Uint8Array(await (await fetch(`${base}pkg/cascade_wasm_bg.wasm`)).arrayBuffer());
      const engine = await import(`${base}engine.js`);
      const started = engine.startEngine({ glue, wasm: bytes, js: () => import(`${base}pkg/cascade_wasm_bg.wasm.js`) });
      let again = null;
      try {
        engine.startEngine({ glue, wasm: bytes });
      } catch (e) {
        again = e.message;
      }
      await import(`${base}cascade-assessment.js`);
      const el = document.createElement('cascade-assessment');
      el.setAttribute('area', 'Inline Vale');
      el.setAttribute('storage-key', 'inline');
      document.getElementById('slot').append(el);
      await el.ready;
      return {
        again,
        same: (await started) === glue && (await engine.loadEngine()) === glue,
        summary: glue.Session.fromCsv(csv, undefined).summary(),
        area: el.getDocument().area,
        instances: window.__testInstances,
      };
    }, { base: WIDGET, csv: CSV });
  }

  test('from the module\'s bytes: the element uses it, and the engine fetches nothing', { timeout: 60_000 }, async () => {
    const env = await visit(new URL('entries.html', site.url).href);
    const result = await fromInline(env.page);
    assert.equal(result.again, 'startEngine: the engine has already started; call it before any <cascade-assessment> starts');
    assert.equal(result.same, true);
    assert.equal(result.area, 'Inline Vale');
    assert.deepEqual(asIn(SUMMARY.areas[0], result.summary), SUMMARY.areas[0]);
    assert.equal(result.instances, 1);
    const counts = fetches(env.seen, site.origin, WIDGET);
    assert.equal(counts['pkg/cascade_wasm_bg.wasm'], 1, 'only the test\'s own fetch of the bytes');
    assert.equal(counts[JS_BUILD], undefined);
    assert.deepEqual(env.seen.errors, []);
    await env.context.close();
  });

  test('under a policy without \'wasm-unsafe-eval\': the JavaScript build it was given, and the same numbers', { timeout: 60_000 }, async () => {
    const env = await visit(new URL('entries-nowasm.html', site.url).href);
    const result = await fromInline(env.page);
    assert.equal(result.same, true);
    assert.equal(result.area, 'Inline Vale');
    assert.deepEqual(asIn(SUMMARY.areas[0], result.summary), SUMMARY.areas[0]);
    assert.equal(result.instances, 0, 'no WebAssembly instance');
    assert.equal(fetches(env.seen, site.origin, WIDGET)[JS_BUILD], 1);
    assert.deepEqual(env.seen.errors, []);
    await env.context.close();
  });
});

/** Imports the contract's worked example through the element's Saved work view. */
async function importExample(page) {
  await page.locator('cascade-assessment [data-k="view:files"]').click();
  await page.locator('cascade-assessment [data-k="files-import"]').setInputFiles({ name: 'workshop.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Example Vale');
  await settle(page);
}

/**
 * `actual` cut to the fields `expected` has, recursively: the engine adds fields the contract's
 * files do not pin (a document's agreed levels and targets), and every field they do pin must
 * be equal.
 */
function asIn(expected, actual) {
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((a, i) => (i < expected.length ? asIn(expected[i], a) : a));
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object' && !Array.isArray(actual)) {
    return Object.fromEntries(Object.keys(expected).filter((k) => k in actual).map((k) => [k, asIn(expected[k], actual[k])]));
  }
  return actual;
}

/** Scores, imports the worked example and checks every number against the contract. */
async function scoresTheContract(page) {
  assert.deepEqual(await scoreFirstDomain(page, 'cascade-assessment', 2), { checked: '2', headline: '2', agreed: [['baseline', 'clarity', 2]] });
  await importExample(page);
  const api = await page.locator('cascade-assessment').evaluate((el) => ({
    summary: el.getSummary(),
    compare: el.getComparison('baseline', 'followup'),
  }));
  assert.deepEqual(asIn(SUMMARY.areas[0], api.summary), SUMMARY.areas[0], 'summary.json, to the last bit');
  assert.deepEqual(asIn(COMPARE.areas[0], api.compare), COMPARE.areas[0], 'compare.json, to the last bit');
  // What the page shows: the change table of the compare view.
  await page.locator('cascade-assessment [data-k="view:compare"]').click();
  await settle(page);
  // A newly opened assessment hides its results until they are revealed.
  await page.locator('cascade-assessment [data-k="reveal-inline"]').click();
  await settle(page);
  for (const want of COMPARE.areas[0].domains) {
    const row = `cascade-assessment .change-table tr[data-domain="${want.domain}"]`;
    const delta = await page.locator(`${row} [data-stat="delta"]`).textContent();
    assert.equal(delta.trim(), shownSigned(want.delta), want.domain);
  }
  assert.equal(await page.locator('cascade-assessment .change-table tr[data-domain]').count(), DOMAINS.length);
}

describe('the JavaScript build, where WebAssembly cannot run', () => {
  test('a policy without \'wasm-unsafe-eval\': it scores with the JavaScript build, fetched only here, with the contract\'s numbers', { timeout: 90_000 }, async () => {
    const env = await visit(new URL('nowasm.html', site.url).href);
    const { page, seen } = env;
    await ready(page);
    assert.equal(await page.locator('cascade-assessment[ready]').count(), 1, 'the element started');
    await scoresTheContract(page);
    // import.js on first use; no import worker, which would fetch the engine again.
    oncePerFile(fetches(seen, site.origin, WIDGET), ['cascade-widget.js', ...ELEMENT_FILES, JS_BUILD, 'import.js']);
    assert.equal(await page.evaluate(() => window.__testInstances), 0, 'no WebAssembly instance');
    assert.deepEqual(await page.evaluate(() => window.__testErrors), []);
    assert.deepEqual(seen.errors, []);
    assert.ok(seen.info.some((m) => m.includes('runs as JavaScript')), seen.info.join('\n'));
    assert.deepEqual(seen.failed, []);
    assert.deepEqual(foreign(seen, site.origin), []);
    await env.context.close();
  });

  test('a browser without WebAssembly: the JavaScript build, and the same numbers', { timeout: 90_000 }, async () => {
    const env = await visit(new URL('strict.html', site.url).href, { init: () => { delete window.WebAssembly; } });
    const { page, seen } = env;
    await ready(page);
    assert.equal(await page.locator('cascade-assessment[ready]').count(), 1, 'the element started');
    await scoresTheContract(page);
    // import.js on first use; no import worker, which would fetch the engine again.
    oncePerFile(fetches(seen, site.origin, WIDGET), ['cascade-widget.js', ...ELEMENT_FILES, JS_BUILD, 'import.js']);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.failed, []);
    await env.context.close();
  });

  test('a browser that can run neither build: the message for an unsupported browser', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.addInitScript(() => { delete window.WebAssembly; });
    // As an old browser would find the JavaScript build: code it cannot parse.
    await context.route(`**${WIDGET}${JS_BUILD}`, (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: 'export const engine = ;' }));
    const page = await context.newPage();
    await page.goto(new URL('strict.html', site.url).href);
    await ready(page);
    const alert = page.locator('cascade-assessment [role="alert"]');
    assert.equal(await alert.getAttribute('data-code'), 'engine-unsupported');
    assert.equal(await alert.locator('h2').textContent(), 'This browser cannot run the self-assessment');
    assert.equal(await page.locator('cascade-assessment').evaluate((el) => el.ready.then(() => 'resolved', (e) => e.message)),
      'This browser cannot run WebAssembly, which the scoring engine needs (this browser cannot run WebAssembly).');
    await context.close();
  });
});
