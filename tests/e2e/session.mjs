// The scoring session every engine must pass, written once over the driver layer in
// engines.mjs; each tests/e2e/*.<engine>.test.mjs file runs it in one engine:
//
// - the facilitator's page under its strict policy: a whole baseline and follow-up scored by
//   keyboard (agreed levels, each person with their group, a show of hands), the numbers
//   shown checked against tests/fixtures/contract (summary.json, compare.json);
// - a reload keeps everything; export (the JSON and CSV files the page hands the browser)
//   and import (the contract's workshop.csv, and the exported JSON back again);
// - the widget embedded with the README's two lines under the README's exact policy: scored
//   by keyboard, and the JavaScript API (summary, a refused document, a good one);
// - a policy without 'wasm-unsafe-eval': the message, not a blank box;
// - throughout: no page error, no request but to the test server, every request answered.
//
// Only real input: keys and mouse clicks the driver sends as the operating system would.
// Scripts in the page only read what it shows and stores, except where a driver cannot do
// something, which the test says (print emulation, download events).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { startServer, EMBED_CSP } from './server.mjs';
import { launchEngine } from './engines.mjs';
import { requireEngine, FIXTURES, shown, shownSigned } from './browser.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const SITE = path.join(here, 'fixtures/site');
const WIDGET = '/vendor/cascade-widget/';
const NO_WASM_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const CSV_FILE = path.join(FIXTURES, 'workshop.csv');
const SUMMARY = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'summary.json'), 'utf8'));
const COMPARE = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'compare.json'), 'utf8'));
const DOMAINS = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Page helpers over any driver: every one reads the element's shadow root. */
export function pageOf(d) {
  const api = {
    d,
    /** Polls `fn(arg)` in the page until it returns something truthy (JSON: no elements). */
    async until(fn, arg, what, timeout = 20_000) {
      const started = Date.now();
      let last = null;
      for (;;) {
        // A page between loads answers nothing; the last such answer is told on timeout.
        const v = await d.eval(fn, arg).catch((e) => { last = e.message; return null; });
        if (v) return v;
        if (Date.now() - started > timeout) {
          const seen = await d.eval(() => ({
            url: location.href,
            shown: document.querySelector('cascade-assessment')?.shadowRoot?.textContent.slice(0, 300) ?? null,
            probe: window.__cascadeProbe ?? null,
          })).catch((e) => e.message);
          throw new Error(`${d.name}: timed out waiting for ${what}${last ? ` (last: ${last})` : ''}; the page: ${JSON.stringify(seen)}`);
        }
        await sleep(50);
      }
    },
    /** Waits for every element on the page to be ready (or to have stopped with a message). */
    async ready(sel = 'cascade-assessment') {
      await api.until((s) => {
        const all = [...document.querySelectorAll(s)];
        return all.length > 0 && all.every((e) => e.hasAttribute('ready') || e.shadowRoot?.querySelector('.fatal'));
      }, sel, `${sel} to be ready`, 45_000);
      await api.settle();
    },
    settle: () => d.eval(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))),
    /** textContent of the first match inside the element, trimmed; null when none. */
    text: (sel, host = 'cascade-assessment') => d.eval(([h, s]) => document.querySelector(h)?.shadowRoot?.querySelector(s)?.textContent?.trim() ?? null, [host, sel]),
    count: (sel, host = 'cascade-assessment') => d.eval(([h, s]) => document.querySelector(h)?.shadowRoot?.querySelectorAll(s).length ?? 0, [host, sel]),
    attr: (sel, name) => d.eval(([s, n]) => document.querySelector('cascade-assessment').shadowRoot.querySelector(s)?.getAttribute(n) ?? null, [sel, name]),
    value: (sel) => d.eval((s) => document.querySelector('cascade-assessment').shadowRoot.querySelector(s)?.value ?? null, sel),
    stat: (scope, name) => api.text(`${scope} [data-stat="${name}"]`),
    /**
     * A real mouse click in the middle of the element's control `sel`. The page may still be
     * moving (a save notice appearing, smooth scrolling), so the control listens for the
     * click, and a click that landed elsewhere is made again.
     */
    async click(sel) {
      for (let attempt = 1; ; attempt++) {
        const at = await api.until((s) => {
          const e = document.querySelector('cascade-assessment').shadowRoot.querySelector(s);
          if (!e) return null;
          e.scrollIntoView({ block: 'center', inline: 'nearest' });
          const r = e.getBoundingClientRect();
          if (!(r.width > 0 && r.height > 0)) return null;
          const point = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          const hit = e.getRootNode().elementFromPoint(point.x, point.y);
          if (!hit || !(hit === e || e.contains(hit) || hit.contains(e))) return null;
          window.__cascadeClicked = false;
          e.addEventListener('click', () => { window.__cascadeClicked = true; }, { once: true, capture: true });
          return point;
        }, sel, `${sel} to be on screen`);
        await d.click(at.x, at.y);
        const landed = await api.until(() => window.__cascadeClicked === true, null, 'the click', 1000).then(() => true, () => false);
        if (landed) break;
        assert.ok(attempt < 4, `${d.name}: three clicks on ${sel} all landed elsewhere`);
      }
      await api.settle();
    },
    /** Clicks into a text box, clears it by keyboard, and types. */
    async fill(sel, text) {
      await api.click(sel);
      await d.eval((s) => document.querySelector('cascade-assessment').shadowRoot.querySelector(s).select(), sel);
      await d.press('Backspace');
      if (text) await d.type(text);
      await api.settle();
    },
    async keys(list) {
      for (const k of list) {
        await d.press(k);
        await api.settle();
      }
    },
    /** The stored record of the open assessment, straight from localStorage. */
    stored: (key = 'cascade') => d.eval((k) => {
      const id = localStorage.getItem(`${k}:current`);
      const rec = JSON.parse(localStorage.getItem(`${k}:assessment:${id}`) ?? 'null');
      // Version 2 records hold the document as an object; version 1 held it as JSON text.
      return rec && (typeof rec.document === 'string' ? JSON.parse(rec.document) : rec.document);
    }, key),
    probe: () => d.eval(() => window.__cascadeProbe),
    /** Requests the page made (performance entries: no driver needed) that left `origin`. */
    foreign: (origin) => d.eval((o) => performance.getEntriesByType('resource').map((e) => e.name)
      .filter((u) => !u.startsWith(o) && !u.startsWith('data:') && !u.startsWith('blob:')), origin),
  };
  return api;
}

/** Defines the whole session for one engine. */
export function describeEngine(engine) {
  requireEngine();

  describe(`the scoring session in ${engine}`, () => {
    let d;
    let p;
    let server;
    let site;

    before(async () => {
      server = await startServer({ csp: true, probe: true });
      const widget = process.env.CASCADE_WIDGET_DIR ?? path.resolve(here, '../../www');
      // Each of the widget's modules by its URL, but neither WebAssembly nor the engine's
      // JavaScript build: where even that cannot run, the element says what to change.
      const noEngine = (origin) => {
        const modules = fs.readdirSync(widget, { recursive: true }).map((f) => f.split(path.sep).join('/'))
          .filter((f) => f.endsWith('.js') && f !== 'pkg/cascade_wasm_bg.wasm.js');
        return `default-src 'self'; script-src ${[...modules.map((f) => `${origin}${WIDGET}${f}`), `${origin}/__test/probe.js`].join(' ')}; style-src 'self'`;
      };
      site = await startServer({
        root: SITE,
        mounts: { [WIDGET]: widget },
        files: { '/noengine.html': path.join(SITE, 'nowasm.html') },
        csp: (pathname) => (pathname === '/nowasm.html' ? NO_WASM_CSP : pathname === '/noengine.html' ? noEngine(site.origin) : EMBED_CSP),
        probe: true,
      });
      d = await launchEngine(engine);
      p = pageOf(d);
    });

    after(async () => {
      await d?.close();
      await server?.close();
      await site?.close();
    });

    /** After each page: nothing went wrong that the page or the server saw. */
    async function clean(srv, { violations = [] } = {}) {
      const probe = await p.probe();
      assert.deepEqual(probe.errors, [], 'no page error, console error or failed resource');
      assert.deepEqual(probe.violations, violations, 'Content-Security-Policy violations');
      assert.deepEqual(await p.foreign(srv.origin), [], 'no request may leave the origin');
      // Status 0: a request the page's own navigation cut short (the service worker's script
      // on a reload), not one the server failed.
      const failed = srv.requests.filter((r) => r.status !== 200 && r.status !== 0);
      assert.deepEqual(failed, [], 'every request answered');
    }

    async function addPerson(id, groupLetter, group) {
      await p.fill('[data-k="new-person-id"]', id);
      // The group by keyboard: Tab to the closed <select>, and the first letter of an option
      // (a click opens WebKit's pop-up list instead). Type-ahead joins letters typed within a
      // second, so the last person's letter must be a second old.
      await d.press('Tab');
      assert.equal(await d.eval(() => document.querySelector('cascade-assessment').shadowRoot.activeElement?.dataset.k), 'new-person-group');
      await sleep(1100);
      await d.press(groupLetter);
      await p.settle();
      assert.equal(await p.value('[data-k="new-person-group"]'), group, `${id}'s group chosen by typing ${groupLetter}`);
      await p.click('[data-k="add-person"]');
      await p.until((who) => Boolean(document.querySelector('cascade-assessment').shadowRoot.querySelector(`tr[data-person="${who}"]`)), id, `row of ${id}`);
      await p.settle();
    }

    async function round(id, reveal = false) {
      await p.click(`[data-k="round:${id}"]`);
      if (reveal && (await p.attr('[data-k="reveal"]', 'aria-pressed')) !== 'true') await p.keys(['r']);
    }

    test('a baseline and a follow-up scored by keyboard give the contract\'s numbers', { timeout: 240_000 }, async () => {
      await d.goto(server.url);
      await p.ready();
      assert.equal(await p.text('#start-title'), 'Start an assessment');
      await p.fill('[data-k="start-area"]', 'Keyboard Vale');
      await p.click('[data-k="start-go"]');
      await p.until(() => Boolean(document.querySelector('cascade-assessment').shadowRoot.querySelector('fieldset.domain')), null, 'the scoring view');
      await p.settle();
      assert.equal(await p.text('.area-name'), 'Keyboard Vale');

      // Baseline, agreed levels for the last five domains; focus starts on Clarity's levels.
      await p.keys(['ArrowRight', 'ArrowRight', '2', 'ArrowRight', '1', 'ArrowRight', '2', 'ArrowRight', '3', 'ArrowRight', '1']);
      assert.deepEqual((await p.stored()).agreed.map((a) => [a.round, a.domain, a.level]), [
        ['baseline', 'structures', 2], ['baseline', 'outcomes', 1], ['baseline', 'learning', 2],
        ['baseline', 'integration', 3], ['baseline', 'evidence', 1]]);

      // Each person with their group, then a show of hands.
      await p.click('[data-k="mode:respondents"]');
      await addPerson('ana', 'e', 'education');
      await addPerson('ben', 'm', 'mental-health');
      await addPerson('cat', 'e', 'education');
      await addPerson('dev', 'c', 'commissioner');
      await p.click('[data-k="step:0"]');
      await p.keys([']', '2', 'ArrowRight', '1', 'ArrowLeft']);
      await p.keys([']', '3', 'ArrowRight', '2', 'ArrowLeft']);
      await p.keys([']', '1']);
      await p.keys([']', 'u']);
      assert.equal(await p.text('[data-k="cell:ana:clarity"]'), '✓', 'until revealed the table says who has rated, not what');
      // Hands beside people's ratings: the page asks first, and both are kept.
      await p.click('[data-k="mode:tally"]');
      await p.click('[data-k="choose:keep"]');
      await p.keys(['4']);
      assert.equal(await p.text('[data-k="tally:clarity:4:masked"]'), '•', 'hidden: the count is not on screen');
      await p.keys(['r']);
      assert.equal(await p.value('[data-k="tally:clarity:4:count"]'), '1');
      await p.keys(['r']);

      // Follow-up: the same people, agreed levels, a target, undo and redo.
      await p.click('[data-k="round:followup"]');
      await p.click('[data-k="mode:respondents"]');
      await p.click('[data-k="who:ana"]');
      await p.click('[data-k="step:0"]');
      await p.keys(['3', 'ArrowRight', '2', 'ArrowLeft']);
      await p.keys([']', '3', 'ArrowRight', '1', 'ArrowLeft']);
      await p.keys([']', '3']);
      await p.keys([']', '2']);
      await p.click('[data-k="mode:agreed"]');
      await p.keys(['ArrowRight', 'ArrowRight', '3', 'ArrowRight', '2', 'ArrowRight', '2', 'ArrowRight', '3', 'ArrowRight', '2', 't', '2']);
      assert.deepEqual((await p.stored()).targets, [{ domain: 'evidence', level: 2 }]);
      await p.keys(['z']);
      assert.deepEqual((await p.stored()).targets, []);
      await p.keys(['y']);
      assert.deepEqual((await p.stored()).targets, [{ domain: 'evidence', level: 2 }]);

      // Revealed, each round's first two domains as the contract's summary has them.
      await round('baseline');
      await p.click('[data-k="step:0"]');
      for (const [ri, id] of [[0, 'baseline'], [1, 'followup']]) {
        await round(id, true);
        for (const [di, domain] of [[0, 'clarity'], [1, 'contact']]) {
          await p.click(`[data-k="step:${di}"]`);
          const want = SUMMARY.areas[0].rounds[ri].domains[di];
          const scope = `.results[data-round="${id}"][data-domain="${domain}"]`;
          assert.equal(await p.stat(scope, 'median'), shown(want.median), `${id} ${domain} median`);
          assert.equal(await p.stat(scope, 'mean'), shown(want.mean), `${id} ${domain} mean`);
          assert.equal(await p.stat(scope, 'n'), String(want.n), `${id} ${domain} n`);
          assert.equal(await p.stat(scope, 'unsure'), String(want.unsure), `${id} ${domain} unsure`);
          assert.equal(await p.count(`${scope} [data-stat="split"]`), want.split ? 1 : 0, `${id} ${domain} split mark`);
          assert.equal(await p.count(`${scope} .chart svg[role="img"]`), 1, `${id} ${domain} chart`);
        }
      }

      // Compare: the contract's change, paired changes and sign test for Clarity and Contact.
      await p.click('[data-k="view:compare"]');
      assert.equal(await p.count('.view figure[data-chart="radar"] svg[role="img"]'), 1, 'radar chart');
      for (const want of COMPARE.areas[0].domains.slice(0, 2)) {
        const row = `.change-table tr[data-domain="${want.domain}"]`;
        assert.equal(await p.stat(row, 'from'), shown(want.from.headline), `${want.domain} from`);
        assert.equal(await p.stat(row, 'to'), shown(want.to.headline), `${want.domain} to`);
        assert.equal(await p.stat(row, 'delta'), shownSigned(want.delta), `${want.domain} change`);
        assert.equal(await p.attr(`${row} [data-stat="direction"]`, 'data-direction'), want.direction);
        for (const k of ['n', 'improved', 'unchanged', 'declined']) {
          assert.equal(Number(await p.attr(`${row} [data-stat="paired"]`, `data-${k}`)), want.paired[k], `${want.domain} paired ${k}`);
        }
        assert.equal(await p.stat(row, 'p'), String(want.paired.p_value), `${want.domain} sign test`);
      }
      assert.equal(await p.stat('.change-table tr[data-domain="clarity"]', 'paired'), '3 people: 2 up, 1 same, 0 down');
      assert.equal(await p.stat('.overall', 'overall-from'), shown((2.5 + 1.5 + 2 + 1 + 2 + 3 + 1) / 7));
      assert.equal(await p.stat('.overall', 'overall-to'), shown((3 + 1.5 + 3 + 2 + 2 + 3 + 2) / 7));
      assert.equal(await p.stat('.overall', 'overall-delta'), '+0.5');
      await clean(server);
    });

    test('a reload keeps everything, where it was', { timeout: 60_000 }, async () => {
      const before = await p.stored();
      assert.ok(before, 'something was stored');
      await d.reload();
      await p.ready();
      assert.deepEqual(await p.stored(), before);
      assert.equal(await p.text('.area-name'), 'Keyboard Vale');
      assert.equal(await p.stat('.change-table tr[data-domain="clarity"]', 'delta'), '+0.5');
      assert.equal(await p.stat('.change-table tr[data-domain="clarity"]', 'p'), '0.5');
      await clean(server);
    });

    test('export and import', { timeout: 120_000 }, async () => {
      // Downloads: the page's own link is clicked for real, and probe.js reads the file it
      // hands over; no driver here but Chromium's reports downloads, so none is used.
      await p.click('[data-k="view:files"]');
      await p.click('[data-k="export-json"]');
      await p.click('[data-k="export-csv"]');
      const downloads = await p.until(() => {
        const all = window.__cascadeProbe.downloads;
        return all.length === 2 && all.every((x) => x.text !== null) && all;
      }, null, 'the two exported files');
      const [json, csv] = downloads;
      assert.match(json.name, /^keyboard-vale.*\.json$/);
      assert.match(csv.name, /^keyboard-vale.*\.csv$/);
      const exported = JSON.parse(json.text);
      assert.deepEqual(exported, await p.stored(), 'the JSON file is the stored assessment');
      assert.match(csv.text, /^area,round,respondent,group,domain,level\r?\n/);
      assert.match(csv.text, /Keyboard Vale,baseline,ana,education,clarity,2/);

      // Import: the contract's workshop.csv opens as a new assessment with its numbers.
      await p.click('[data-k="view:files"]');
      const input = () => document.querySelector('cascade-assessment').shadowRoot.querySelector('[data-k="files-import"]');
      await d.upload(input, null, CSV_FILE);
      await p.until(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Example Vale', null, 'the imported area');
      await p.settle();
      await p.click('[data-k="view:score"]');
      await round('baseline', true); // an opened file shows its results only when revealed
      await p.click('[data-k="view:compare"]');
      for (const want of COMPARE.areas[0].domains) {
        const row = `.change-table tr[data-domain="${want.domain}"]`;
        assert.equal(await p.stat(row, 'delta'), shownSigned(want.delta), `imported ${want.domain} change`);
        assert.equal(await p.stat(row, 'p'), want.paired.n ? String(want.paired.p_value) : '–', `imported ${want.domain} sign test (none without pairs)`);
      }

      // The exported JSON back in, from a real file: the same assessment as before.
      const file = path.join(os.tmpdir(), `cascade-${engine}-${process.pid}.json`);
      fs.writeFileSync(file, json.text);
      await p.click('[data-k="view:files"]');
      // Browsers read a chosen file when the page asks for it, so it stays until then.
      try {
        await d.upload(input, null, file);
        await p.until(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Keyboard Vale', null, 'the re-imported area');
      } finally {
        fs.rmSync(file);
      }
      const back = await p.stored();
      assert.deepEqual({ ...back, id: undefined }, { ...exported, id: undefined }, 'the re-imported document is the exported one');
      await clean(server);
    });

    test('print: the report', { timeout: 60_000 }, async (t) => {
      await checkPrint(d, p, t, engine);
      // In every engine: the report is in the page (made a moment after the last change),
      // hidden on screen, with its sections.
      const report = await p.until(() => {
        const r = document.querySelector('cascade-assessment').shadowRoot.querySelector('.report');
        const sections = r ? [...r.querySelectorAll('[data-section]')].map((s) => s.dataset.section) : [];
        return sections.length > 0 && { sections, shownOnScreen: r.getBoundingClientRect().height > 0 };
      }, null, 'the print report');
      assert.ok(report, 'the report is in the page');
      for (const s of ['title', 'compare', 'actions']) assert.ok(report.sections.includes(s), `report section ${s}`);
      assert.equal(report.shownOnScreen, false, 'the report shows only in print');
    });

    test('embedded with the README\'s two lines, under its exact policy, with the JavaScript API', { timeout: 60_000 }, async () => {
      await d.goto(new URL('strict.html', site.url).href);
      await p.ready();
      // Tab from the top of the page to the first domain's levels, then score and reveal.
      let tabs = 0;
      const onLevel = () => d.eval(() => {
        const host = document.querySelector('cascade-assessment');
        return document.activeElement === host && Boolean(host.shadowRoot.activeElement?.matches('fieldset.domain input[type=radio]'));
      });
      while (!(await onLevel())) {
        assert.ok(++tabs <= 60, 'Tab never reached the levels');
        await d.press('Tab');
      }
      await p.keys(['2', 'r']);
      // A site's script taking focus away (closing its own menu, say): keys then reach no
      // widget. Firefox kept focus on the radio inside when only the host was blurred.
      await d.eval(() => document.activeElement?.blur());
      assert.equal(await onLevel(), false, 'focus left the widget');
      await p.keys(['4']);
      const api = await d.eval(async () => {
        const el = document.querySelector('cascade-assessment');
        await el.ready;
        const out = { agreed: el.getDocument().agreed.map((a) => [a.round, a.domain, a.level]), headline: el.getSummary().rounds[0].domains[0].headline };
        const before = JSON.stringify(el.getDocument());
        try {
          el.setDocument('{"schema_version": 99}');
          out.refused = null;
        } catch (e) {
          out.refused = e.message;
        }
        out.unchanged = JSON.stringify(el.getDocument()) === before;
        return out;
      });
      assert.deepEqual(api.agreed, [['baseline', 'clarity', 2]]);
      assert.equal(api.headline, 2);
      assert.match(api.refused, /schema_version/);
      assert.equal(api.unchanged, true, 'a refused document changes nothing');
      await clean(site);
    });

    test('a policy without \'wasm-unsafe-eval\': it scores with the JavaScript build of the engine', { timeout: 90_000 }, async (t) => {
      await d.goto(new URL('nowasm.html', site.url).href);
      await p.ready();
      let tabs = 0;
      while (!(await d.eval(() => {
        const host = document.querySelector('cascade-assessment');
        return document.activeElement === host && Boolean(host.shadowRoot.activeElement?.matches('fieldset.domain input[type=radio]'));
      }))) {
        assert.ok(++tabs <= 60, 'Tab never reached the levels');
        await d.press('Tab');
      }
      await p.keys(['3']);
      const got = await d.eval(async () => {
        const el = document.querySelector('cascade-assessment');
        await el.ready;
        return {
          agreed: el.getDocument().agreed.map((a) => [a.round, a.domain, a.level]),
          headline: el.getSummary().rounds[0].domains[0].headline,
          loaded: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop()),
        };
      });
      assert.deepEqual(got.agreed, [['baseline', 'clarity', 3]]);
      assert.equal(got.headline, 3);
      assert.ok(got.loaded.includes('cascade_wasm_bg.wasm.js'), 'the JavaScript build was loaded');
      // Safari 16's engine refuses WebAssembly only when the module compiles, so there the
      // .wasm has been fetched first; the others know before fetching it.
      if (got.loaded.includes('cascade_wasm_bg.wasm')) t.diagnostic(`${engine}: the .wasm was fetched before WebAssembly was refused`);
      // WebAssembly's refusal may be reported as a policy violation; nothing else may fail.
      const probe = await p.probe();
      assert.deepEqual(probe.errors, []);
      assert.ok(probe.violations.every((v) => /^script-src(-elem)? (wasm-eval|eval)$/.test(v)), `only WebAssembly refused: ${probe.violations}`);
    });

    test('a policy that refuses even the JavaScript build: the message, not a blank box', { timeout: 60_000 }, async () => {
      await d.goto(new URL('noengine.html', site.url).href);
      await p.ready();
      const shownMsg = await d.eval(async () => {
        const el = document.querySelector('cascade-assessment');
        const alert = el.shadowRoot.querySelector('[role="alert"]');
        let rejected = null;
        await el.ready.catch((e) => { rejected = e.code; });
        return { text: alert?.textContent ?? '', code: alert?.dataset.code, height: alert?.getBoundingClientRect().height ?? 0, rejected };
      });
      assert.equal(shownMsg.code, 'engine-blocked');
      assert.match(shownMsg.text, /script-src 'self' 'wasm-unsafe-eval'/);
      assert.ok(shownMsg.height > 100, `the message is shown (${shownMsg.height}px)`);
      assert.equal(shownMsg.rejected, 'engine-blocked');
      assert.deepEqual((await p.probe()).errors, []);
    });
  });
}

/**
 * cascade.html, the facilitator page in one file, copied alone to an empty folder and opened
 * from disk (file://) in `engine`: scored by keyboard, reloaded, exported, imported, printed,
 * with no request at all and no error. The file is CASCADE_ONEFILE (`cargo xtask ci` gives
 * the one `cargo xtask dist` wrote), else made from www/ by tools/onefile.mjs.
 */
export function describeOneFile(engine) {
  describe(`cascade.html from disk in ${engine}`, () => {
    let d;
    let p;
    let dir;
    let url;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-usb-${engine}-`));
      const file = path.join(dir, 'cascade.html');
      if (process.env.CASCADE_ONEFILE) {
        fs.copyFileSync(process.env.CASCADE_ONEFILE, file);
      } else {
        const tool = path.resolve(here, '../../tools/onefile.mjs');
        const made = spawnSync(process.execPath, [tool, path.resolve(here, '../../www'), file], { encoding: 'utf8' });
        assert.equal(made.status, 0, `tools/onefile.mjs: ${made.stderr}`);
      }
      // The probe goes first, before the page's own policy, which would refuse it.
      const html = fs.readFileSync(file, 'utf8');
      const probe = fs.readFileSync(path.join(here, 'probe.js'), 'utf8');
      assert.match(html, /<head>/);
      fs.writeFileSync(file, html.replace('<head>', `<head><script>${probe}</script>`));
      url = pathToFileURL(file).href;
      d = await launchEngine(engine);
      p = pageOf(d);
    });

    after(async () => {
      await d?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** No error, no policy violation, and nothing loaded but the file itself and what it carries. */
    async function clean() {
      const probe = await p.probe();
      assert.deepEqual(probe.errors, [], 'no page error, console error or failed resource');
      assert.deepEqual(probe.violations, [], 'nothing refused by the page\'s own policy');
      const loaded = await d.eval(() => performance.getEntriesByType('resource').map((e) => e.name));
      assert.deepEqual(loaded.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')), [], 'nothing fetched: no server, no network');
    }

    test('opens from disk and scores a baseline and a follow-up by keyboard', { timeout: 120_000 }, async () => {
      await d.goto(url);
      await p.ready();
      assert.equal(await p.text('#start-title'), 'Start an assessment');
      await p.fill('[data-k="start-area"]', 'USB Vale');
      await p.click('[data-k="start-go"]');
      await p.until(() => Boolean(document.querySelector('cascade-assessment').shadowRoot.querySelector('fieldset.domain')), null, 'the scoring view');
      await p.settle();
      // Agreed levels for all seven domains, both rounds; the overall is their mean.
      await p.keys(['2', 'ArrowRight', '1', 'ArrowRight', '2', 'ArrowRight', '1', 'ArrowRight', '2', 'ArrowRight', '3', 'ArrowRight', '1']);
      await p.click('[data-k="round:followup"]');
      await p.click('[data-k="step:0"]');
      await p.keys(['3', 'ArrowRight', '1', 'ArrowRight', '3', 'ArrowRight', '2', 'ArrowRight', '2', 'ArrowRight', '3', 'ArrowRight', '2']);
      const doc = await p.stored();
      assert.deepEqual(doc.agreed.filter((a) => a.round === 'followup').map((a) => a.level), [3, 1, 3, 2, 2, 3, 2]);
      await p.click('[data-k="view:compare"]');
      if (!(await p.stat('.overall', 'overall-delta'))) await p.keys(['r']); // results hidden until revealed
      assert.equal(await p.stat('.overall', 'overall-from'), shown(12 / 7));
      assert.equal(await p.stat('.overall', 'overall-to'), shown(16 / 7));
      assert.equal(await p.stat('.overall', 'overall-delta'), `+${shown(4 / 7)}`);
      assert.equal(await p.stat('.change-table tr[data-domain="clarity"]', 'delta'), '+1');
      await clean();
    });

    test('a reload from disk keeps the work', { timeout: 60_000 }, async () => {
      const before = await p.stored();
      await d.reload();
      await p.ready();
      assert.deepEqual(await p.stored(), before);
      assert.equal(await p.text('.area-name'), 'USB Vale');
      await clean();
    });

    test('export, and import of the contract\'s workshop file', { timeout: 90_000 }, async () => {
      await p.click('[data-k="view:files"]');
      await p.click('[data-k="export-json"]');
      const [json] = await p.until(() => {
        const all = window.__cascadeProbe.downloads;
        return all.length === 1 && all[0].text !== null && all;
      }, null, 'the exported file');
      assert.match(json.name, /^usb-vale.*\.json$/);
      assert.deepEqual(JSON.parse(json.text), await p.stored());
      const input = () => document.querySelector('cascade-assessment').shadowRoot.querySelector('[data-k="files-import"]');
      await d.upload(input, null, CSV_FILE);
      await p.until(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Example Vale', null, 'the imported area');
      await p.click('[data-k="view:score"]');
      await p.click('[data-k="round:baseline"]');
      if ((await p.attr('[data-k="reveal"]', 'aria-pressed')) !== 'true') await p.keys(['r']);
      await p.click('[data-k="view:compare"]');
      for (const want of COMPARE.areas[0].domains.slice(0, 2)) {
        const row = `.change-table tr[data-domain="${want.domain}"]`;
        assert.equal(await p.stat(row, 'delta'), shownSigned(want.delta), `imported ${want.domain} change`);
        assert.equal(await p.stat(row, 'p'), String(want.paired.p_value), `imported ${want.domain} sign test`);
      }
      await clean();
    });

    test('print', { timeout: 60_000 }, async (t) => {
      await checkPrint(d, p, t, engine);
      const sections = await p.until(() => {
        const r = document.querySelector('cascade-assessment').shadowRoot.querySelector('.report');
        const all = r ? [...r.querySelectorAll('[data-section]')].map((s) => s.dataset.section) : [];
        return all.length > 0 && all;
      }, null, 'the print report');
      for (const s of ['title', 'compare']) assert.ok(sections.includes(s), `report section ${s}`);
      await clean();
    });
  });
}

/**
 * The report as printed: where the driver can emulate print media, its charts are checked on
 * screen in it; where it can print to PDF, the PDF is made. What a driver cannot do is said.
 */
async function checkPrint(d, p, t, engine) {
  if (d.emulatePrint) {
    await d.emulatePrint(true);
    await p.until(() => {
      const r = document.querySelector('cascade-assessment').shadowRoot.querySelector('.report [data-section="compare"] svg');
      return Boolean(r) && r.getBoundingClientRect().height > 0;
    }, null, 'the report in print media');
    await d.emulatePrint(false);
  } else {
    t.diagnostic(`${engine}: the driver cannot emulate print media; the report's print rules are not checked here`);
  }
  if (d.can.pdf) {
    const pdf = await d.pdf();
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 20_000, `the PDF holds the charts (${pdf.length} bytes)`);
  } else {
    t.diagnostic(`${engine}: the driver cannot print to PDF`);
  }
}
