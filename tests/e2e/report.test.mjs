// `cascade report` as an evaluator sends it: the HTML file opened from disk (file://) in
// Debian's Chromium. It must make no request of any kind, log no error, pass axe-core, show
// the roll-up's numbers, and print to A4 with no table or chart wider or taller than a page.
//
// The report is made by the CLI binary that `cargo test` builds (target/debug/cascade, or
// CASCADE_BIN) from the Forms fixtures (tests/fixtures/forms) imported with `cascade import`,
// and the contract's programme example, which has areas lacking a round.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, AXE } from './browser.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(here, '../..');
const BIN = process.env.CASCADE_BIN ?? path.join(ROOT, 'target/debug/cascade');
const FORMS = path.join(ROOT, 'tests/fixtures/forms');
const PROGRAMME = path.join(ROOT, 'tests/fixtures/contract/programme.csv');

if (!fs.existsSync(BIN)) {
  throw new Error(`${BIN} is missing: run \`cargo build -p cascade-cli\` (or cargo test) first, or set CASCADE_BIN`);
}

let browser;
let dir;
let report;

function cascade(...args) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-report-'));
  cascade('import', '--round', 'baseline', '-o', path.join(dir, 'vale-baseline.csv'), path.join(FORMS, 'google-baseline.csv'));
  cascade('import', '--round', 'followup', '-o', path.join(dir, 'vale-followup.csv'), path.join(FORMS, 'ms-followup.xlsx'));
  // An assessment document with an action plan, under an area name of its own.
  const plan = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/example-assessment.json'), 'utf8'));
  plan.area = 'Plan <b>Vale</b>';
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
  report = path.join(dir, 'report.html');
  cascade('report', '--from', 'baseline', '--to', 'followup', '--title', 'Link Programme <test> & "report"', '-o', report,
    PROGRAMME, path.join(dir, 'vale-baseline.csv'), path.join(dir, 'vale-followup.csv'), path.join(dir, 'plan.json'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function openReport(viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const seen = { requests: [], errors: [] };
  context.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => seen.errors.push(`page: ${e.message}`));
  await page.goto(`file://${report}`);
  return { context, page, seen };
}

test('the report opened from disk makes no request and logs no error', async () => {
  const { context, page, seen } = await openReport();
  await page.waitForLoadState('load');
  assert.deepEqual(seen.requests, [`file://${report}`], 'the file itself, nothing else');
  assert.deepEqual(seen.errors, []);
  // Nothing that could fetch later, either.
  // (An SVG's xmlns names its namespace; it is never fetched.)
  const html = fs.readFileSync(report, 'utf8').replaceAll('xmlns="http://www.w3.org/2000/svg"', '');
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(|https?:\/\//i);
  await context.close();
});

test('the report shows the roll-up, every area, and user text as text', async () => {
  const { context, page } = await openReport();
  assert.equal(await page.title(), 'Link Programme <test> & "report"');
  assert.equal(await page.locator('h1').textContent(), 'Link Programme <test> & "report"');
  // Five areas from the contract's example, North Vale from the Forms exports, and a document.
  assert.match(await page.locator('header .lead').textContent(), /^7 areas of the CASCADE/);
  const rows = await page.locator('table').first().locator('tbody tr').allTextContents();
  assert.equal(rows.length, 8, 'seven domains and overall');
  const overall = await page.locator('table').first().locator('tr.total td').allTextContents();
  // Areas compared, improved, same, declined, not compared, p.
  assert.deepEqual(overall, ['5', '3', '1', '1', '2', '0.625']);
  assert.deepEqual(await page.locator('nav li').allTextContents(),
    ['Example Vale', 'Riverside', 'Hill & Dale', 'Northfield', 'Ørsted Bay', 'North Vale', 'Plan <b>Vale</b>']);
  assert.equal(await page.locator('section.area').count(), 7);
  // The document's action plan, its text as text.
  const plan = page.locator('section.area').last();
  assert.equal(await plan.locator('h2').textContent(), 'Plan <b>Vale</b>');
  assert.equal(await plan.locator('h2 b').count(), 0);
  const actions = plan.locator('table').last().locator('tbody tr');
  assert.equal(await actions.count(), 6);
  assert.deepEqual(await actions.first().locator('td').allTextContents(),
    ["Publish a one-page 'who does what' for schools, CAMHS, the MHST and early help", 'Link Programme lead, Example Vale CCG', '2026-02-13']);
  assert.match(await page.locator('main').textContent(), /Not compared, for lack of a round: 1 area without followup \(Northfield\)/);
  // Every chart carries words for screen readers.
  for (const svg of await page.locator('svg').all()) {
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.ok((await svg.getAttribute('aria-label')).length > 10);
  }
  await context.close();
});

test('axe-core finds no accessibility problem, on a desk and on a phone', async () => {
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    const { context, page, seen } = await openReport(viewport);
    await page.addScriptTag({ content: fs.readFileSync(AXE, 'utf8') });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `${viewport.width}px`);
    // Only the tables scroll sideways, in their own box; the page does not.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${viewport.width}px`);
    assert.deepEqual(seen.errors, []);
    await context.close();
  }
});

test('it prints to A4 with no table or chart cut', async () => {
  // A4 less the report's print margins (12 mm each side, 14 mm top and bottom), in CSS pixels.
  const width = Math.floor(((210 - 24) / 25.4) * 96);
  const height = Math.floor(((297 - 28) / 25.4) * 96);
  const { context, page } = await openReport({ width, height });
  await page.emulateMedia({ media: 'print' });
  const boxes = await page.evaluate(() => [...document.querySelectorAll('table, figure')].map((e) => {
    const r = e.getBoundingClientRect();
    return { what: `${e.tagName} ${e.querySelector('caption, figcaption')?.textContent.slice(0, 40)}`, w: r.width, h: r.height, sw: e.scrollWidth };
  }));
  assert.ok(boxes.length > 20);
  for (const b of boxes) {
    assert.ok(b.w <= width && b.sw <= width + 1, `${b.what} is ${b.w}px (${b.sw}px) wide; the page is ${width}px`);
    // Taller than a page could not be kept whole by break-inside: avoid.
    assert.ok(b.h <= height, `${b.what} is ${b.h}px tall; the page is ${height}px`);
  }
  const areas = await page.locator('section.area').count();
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  // An area's charts sit side by side, so it takes two pages: an evaluator prints 20 areas on
  // about 44 pages, not 84. The programme overview takes up to four.
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g).length;
  console.log(`# ${areas} areas printed on ${pages} A4 pages`);
  assert.ok(areas >= 3 && pages <= 4 + 2 * areas, `${areas} areas took ${pages} pages`);
  await context.close();
});
