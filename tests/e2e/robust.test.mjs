// Nothing is lost without a word (issue 14), in Debian's Chromium under the page's strict CSP:
// a browser whose storage is full, big files, files with several areas, hostile records and
// frameworks, and exported spreadsheets. Each test reproduces one finding of the issue.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startServer } from './server.mjs';
import { launch, open, close, load, settle, el, text, start, press, requireEngine, AXE } from './browser.mjs';

requireEngine();

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-robust-'));
const CASCADE = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'];

/** A page of the site with one element and the given attributes. */
function page(name, attrs) {
  const file = path.join(DIR, name);
  fs.writeFileSync(file, `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${name}</title>
<script type="module" src="/cascade-assessment.js"></script></head>
<body><h1>Host page</h1><cascade-assessment ${attrs}></cascade-assessment></body></html>`);
  return file;
}

/** Tidy CSV: `people` named respondents in each of `areas`, rating every domain at two rounds. */
function workshopCsv({ people, areas = ['Vale'], prefix = 'p' }) {
  const rows = ['area,round,respondent,group,domain,level'];
  for (const area of areas) {
    for (const round of ['baseline', 'followup']) {
      for (let p = 0; p < people; p++) {
        for (let d = 0; d < 7; d++) rows.push(`${area},${round},${prefix}${p},education,${CASCADE[d]},${1 + ((p + d + (round === 'followup')) % 5)}`);
      }
    }
  }
  return `${rows.join('\n')}\n`;
}

let browser;
let server;
let redirector;

before(async () => {
  browser = await launch();
  // Another site, for the redirect: it serves a framework no page of ours asked for.
  redirector = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(fs.readFileSync(path.join(DIR, 'evil-framework.json')));
  });
  await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
  const evil = `http://127.0.0.1:${redirector.address().port}/fw.json`;
  const fw = JSON.parse(await (await import('node:child_process')).execFileSync('cargo', ['run', '-q', '-p', 'cascade-cli', '--', 'framework'], { encoding: 'utf8' }));
  const hostile = structuredClone(fw);
  hostile.domains[0].id = '__proto__';
  fs.writeFileSync(path.join(DIR, 'evil-framework.json'), JSON.stringify(hostile));
  fs.writeFileSync(path.join(DIR, 'proto-framework.json'), JSON.stringify(hostile));
  server = await startServer({
    csp: (p) => (p.startsWith('/__test/nocsp-') ? null : "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'"),
    files: {
      '/__test/axe.min.js': AXE,
      '/__test/plain.html': page('plain.html', ''),
      '/__test/proto.html': page('proto.html', 'framework="/__test/proto-framework.json"'),
      '/__test/proto-framework.json': path.join(DIR, 'proto-framework.json'),
      '/__test/nocsp-redirect.html': page('redirect.html', 'framework="/__test/redirect.json"'),
      '/__test/keyed.html': page('keyed.html', 'storage-key="a:assessment"'),
      '/__test/short.html': page('short.html', 'storage-key="a"'),
    },
  });
  // The test server has no redirects; this one path answers with one, to the other site.
  const inner = server;
  const wrapped = http.createServer((req, res) => {
    if (req.url === '/__test/redirect.json') {
      res.writeHead(302, { location: evil });
      res.end();
      return;
    }
    const fwd = http.request({ host: '127.0.0.1', port: new URL(inner.url).port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    req.pipe(fwd);
  });
  await new Promise((r) => wrapped.listen(0, '127.0.0.1', r));
  server = { ...inner, url: `http://127.0.0.1:${wrapped.address().port}/`, origin: `http://127.0.0.1:${wrapped.address().port}`, close: async () => { wrapped.close(); await inner.close(); } };
});

after(async () => {
  await browser?.close();
  await server?.close();
  redirector?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

/** Fills the origin's localStorage with one filler item, leaving less than `room` characters free. */
async function fillStorage(page, room = 0) {
  return page.evaluate((room) => {
    localStorage.removeItem('filler');
    let lo = 0;
    let hi = 12_000_000;
    // The largest filler the browser takes, to within a few characters.
    while (hi - lo > 16) {
      const mid = Math.floor((lo + hi) / 2);
      try {
        localStorage.setItem('filler', 'x'.repeat(mid));
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    localStorage.setItem('filler', 'x'.repeat(Math.max(0, lo - room)));
    return lo;
  }, room);
}

async function rawRecord(page, key = 'cascade') {
  return page.evaluate((k) => localStorage.getItem(`${k}:assessment:${localStorage.getItem(`${k}:current`)}`), key);
}

async function importText(page, selector, name, content, type = 'text/csv') {
  await el(page, selector).setInputFiles({ name, mimeType: type, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
}

async function errors(page) {
  const events = await page.evaluate(() => window.__errors ?? []);
  return events;
}

async function listenErrors(page) {
  await page.evaluate(() => {
    window.__errors = [];
    document.querySelector('cascade-assessment').addEventListener('cascade-error', (e) => window.__errors.push(e.detail.code));
  });
}

const UNSAVED = 'Not saved: this browser’s storage for this page is full. Your latest changes exist only in this window. Download the file now to keep them; deleting assessments you no longer need in Saved work makes room, and the next change is then saved again.';

describe('saving', () => {
  test('a failed save is said, stays said until a save succeeds, and offers the file', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server });
    const { page } = env;
    await load(page, server.url);
    await start(page, 'Full Vale');
    await listenErrors(page);
    await fillStorage(page);
    await press(page, '3');
    // The level is chosen on screen, and the page says it is not kept.
    assert.equal(await el(page, '[data-k="step:0"] .step-state').textContent(), '3');
    assert.equal(await text(page, '.error-text'), UNSAVED);
    assert.equal(await text(page, '[data-k="save-status"]'), 'Not saved in this browser. Download the file now');
    assert.deepEqual(await errors(page), ['storage']);
    // Another edit, which clears other messages, does not clear this one.
    await press(page, 'ArrowRight');
    await press(page, '4');
    assert.equal(await text(page, '.error-text'), UNSAVED);
    assert.equal(await el(page, '[data-k="dismiss-error"]').count(), 0);
    // The way out: the file, with what is on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), el(page, '[data-k="save-status-export"]').click()]);
    const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(file.agreed.map((a) => [a.domain, a.level]), [['clarity', 3], ['contact', 4]]);
    // Room again: the next change is saved, and the marks go.
    await page.evaluate(() => localStorage.removeItem('filler'));
    await press(page, '5');
    assert.equal(await el(page, '[data-k="save-status"]').count(), 0);
    assert.equal(await el(page, '.error').count(), 0);
    await page.reload();
    await page.waitForSelector('cascade-assessment[ready]');
    await settle(page);
    assert.equal(await el(page, '[data-k="step:0"] .step-state').textContent(), '3');
    assert.equal(await el(page, '[data-k="step:1"] .step-state').textContent(), '5');
    await close(env);
  });

  test('the stored record is compact: the document is an object, not JSON text in JSON', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server });
    const { page } = env;
    await load(page, server.url);
    await start(page, 'Small Vale');
    await press(page, '2');
    const raw = await rawRecord(page);
    const rec = JSON.parse(raw);
    assert.equal(rec.v, 2);
    assert.equal(typeof rec.document, 'object');
    assert.equal(rec.document.area, 'Small Vale');
    assert.ok(!raw.includes('\\"') && !raw.includes('\n'), raw.slice(0, 200));
    assert.equal(raw.length, JSON.stringify(rec).length, 'no white space');
    await close(env);
  });

  test('an import that cannot be kept says so, and a big one is kept compactly', { timeout: 120_000 }, async () => {
    const env = await open(browser, { server });
    const { page } = env;
    await load(page, server.url);
    await listenErrors(page);
    // 3,000 respondents (42,000 ratings, 1.5 MB of CSV): kept whole.
    const csv = workshopCsv({ people: 3000 });
    await importText(page, '[data-k="start-import"]', 'three-thousand.csv', csv);
    await page.waitForSelector('cascade-assessment .bar', { timeout: 60_000 });
    await settle(page);
    assert.equal(await el(page, '[data-k="save-status"]').count(), 0);
    assert.equal(await el(page, '.error').count(), 0);
    const raw = await rawRecord(page);
    assert.ok(raw.length < csv.length * 2.5, `${raw.length} characters stored for ${csv.length} of CSV`);
    assert.equal(JSON.parse(raw).document.ratings.length, 42_000);
    // With the storage full, an import is shown but said to be unsaved.
    await fillStorage(page);
    await importText(page, '[data-k="files-import"]', 'small.csv', workshopCsv({ people: 2, areas: ['Dale'] })).catch(async () => {
      await el(page, '[data-k="view:files"]').click();
      await importText(page, '[data-k="files-import"]', 'small.csv', workshopCsv({ people: 2, areas: ['Dale'] }));
    });
    await page.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Dale', null, { timeout: 30_000 });
    await settle(page);
    assert.equal(await text(page, '.error-text'), UNSAVED);
    assert.match(await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('[role="status"]').textContent), /^Imported small\.csv: Dale, but it is not saved in this browser$/);
    assert.ok((await errors(page)).includes('storage'));
    await page.evaluate(() => localStorage.removeItem('filler'));
    await close(env);
  });

  test('storage full at load: saved work is listed and opens, and the page says it is full', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server });
    const { page } = env;
    await load(page, server.url);
    await start(page, 'Kept Vale');
    await press(page, '4');
    await fillStorage(page);
    await page.reload();
    await page.waitForSelector('cascade-assessment[ready]');
    await settle(page);
    assert.equal(await text(page, '.area-name'), 'Kept Vale');
    assert.equal(await el(page, '[data-k="step:0"] .step-state').textContent(), '4');
    assert.equal(await text(page, '.error-text'), 'This browser’s storage for this page is full. Saved work is shown and can be opened, but changes cannot be kept until there is room: delete assessments you no longer need in Saved work, or download your work as a file.');
    await el(page, '[data-k="view:files"]').click();
    await settle(page);
    assert.match(await text(page, 'table.saved tbody tr th'), /^Kept Vale/);
    await page.evaluate(() => localStorage.removeItem('filler'));
    await close(env);
  });
});
