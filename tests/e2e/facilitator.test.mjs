// The facilitator's page end to end, in Debian's Chromium under the page's strict CSP:
// scoring all seven domains by keyboard at the baseline and the follow-up, the numbers the
// page shows against the scoring contract's worked example, reload, import (good and bad),
// export, print, accessibility (axe-core), offline, embedding, one assessment open in two
// windows (live updates, deletion, malformed records), and no request off the origin, no
// console error, no cookie.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, open, close, load, settle, el, text, foreign, axe, start, press, requireEngine, FIXTURES, AXE, shown, shownSigned } from './browser.mjs';

const EMBED = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'fixtures/embed.html');
const CSV = fs.readFileSync(path.join(FIXTURES, 'workshop.csv'), 'utf8');
const SUMMARY = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'summary.json'), 'utf8'));
const COMPARE = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'compare.json'), 'utf8'));


requireEngine();

let browser;
let server;

before(async () => {
  browser = await launch();
  server = await startServer({ csp: true, files: { '/__test/axe.min.js': AXE, '/__test/embed.html': EMBED } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The stored record of the open assessment, straight from localStorage. */
async function stored(page, key = 'cascade') {
  return page.evaluate((k) => {
    const id = localStorage.getItem(`${k}:current`);
    const rec = JSON.parse(localStorage.getItem(`${k}:assessment:${id}`) ?? 'null');
    // Version 2 records hold the document as an object; version 1 held it as JSON text.
    return rec && { ...rec, document: typeof rec.document === 'string' ? JSON.parse(rec.document) : rec.document };
  }, key);
}

async function clean(env) {
  assert.deepEqual(foreign(env.seen, server.origin), [], 'no request may leave the origin');
  assert.deepEqual(env.seen.errors, [], 'no console or page errors');
  assert.deepEqual(await env.context.cookies(), [], 'no cookies');
  assert.ok(env.server.requests.every((r) => r.status === 200), `every request served: ${JSON.stringify(env.server.requests.filter((r) => r.status !== 200))}`);
}

async function noViolations(page, where) {
  const v = await axe(page);
  assert.deepEqual(v, [], `axe-core violations in ${where}:\n${JSON.stringify(v, null, 2)}`);
}

async function stat(page, scope, name) {
  return text(page, `${scope} [data-stat="${name}"]`);
}

/**
 * The distribution chart on show, which the page updates in place as numbers change, next to
 * the one the engine draws for the stored document: both as nested [name, sorted attributes,
 * text or children], so they must be the same drawing.
 */
async function chartAgainstEngine(page, scope, round, domain) {
  return page.evaluate(async ({ scope, round, domain }) => {
    const shape = (n) => n.nodeType === 3 ? n.nodeValue
      : [n.nodeName, [...n.attributes].map((a) => `${a.name}=${a.value}`).sort(), [...n.childNodes].filter((c) => c.nodeType === 1 || c.nodeType === 3).map(shape)];
    const host = document.querySelector('cascade-assessment');
    const shown = host.shadowRoot.querySelector(`${scope} .chart svg`);
    const { Session } = await import(new URL('pkg/cascade_wasm.js', location.href));
    const session = Session.fromJson(JSON.stringify(host.getDocument()));
    const drawn = new DOMParser().parseFromString(session.distributionSvg(round, domain), 'image/svg+xml').documentElement;
    session.free();
    return { shown: shape(shown), engine: shape(drawn) };
  }, { scope, round, domain });
}

/** Adds a person in each-person mode. */
async function addPerson(page, id, group) {
  await el(page, '[data-k="new-person-id"]').fill(id);
  await el(page, '[data-k="new-person-group"]').selectOption(group);
  await el(page, '[data-k="add-person"]').click();
  await page.waitForSelector(`cascade-assessment tr[data-person="${id}"]`);
  await settle(page);
}

async function keys(page, list) {
  for (const k of list) await press(page, k);
}

/** Switches round; a new round hides the results, so reveal them again when asked. */
async function round(page, id, reveal = false) {
  await el(page, `[data-k="round:${id}"]`).click();
  await settle(page);
  if (reveal && (await el(page, '[data-k="reveal"]').getAttribute('aria-pressed')) !== 'true') await press(page, 'r');
}

describe('scoring a workshop by keyboard', () => {
  let env;
  let page;

  before(async () => {
    env = await open(browser, { server });
    page = env.page;
    await load(page, server.url);
  });

  after(async () => {
    await clean(env);
    await close(env);
  });

  test('starts an assessment from the page alone', { timeout: 60_000 }, async () => {
    assert.equal(await text(page, '#start-title'), 'Start an assessment');
    assert.equal(await el(page, '[data-k="start-round:0"]').inputValue(), 'Baseline');
    assert.equal(await el(page, '[data-k="start-round:1"]').inputValue(), 'Follow-up');
    assert.ok(await el(page, '[data-k="fw-builtin"]').isChecked());
    await noViolations(page, 'the start form');
    await start(page, 'Keyboard Vale');
    assert.equal(await text(page, '.area-name'), 'Keyboard Vale');
    // Every domain's levels are a real radio group: fieldset, legend, radios.
    const group = await page.evaluate(() => {
      const fs = document.querySelector('cascade-assessment').shadowRoot.querySelector('fieldset.domain');
      return { legend: fs.querySelector('legend')?.textContent, radios: fs.querySelectorAll('input[type=radio]').length };
    });
    assert.match(group.legend, /Clarity on remit/);
    assert.equal(group.radios, 6, 'five levels and "not agreed yet"');
    // The descriptors of the levels are on show.
    assert.match(await text(page, 'fieldset.domain .level:nth-child(1) .descriptor'), /Partners are unsure/);
  });

  test('baseline: agreed levels for five domains, by keyboard', { timeout: 60_000 }, async () => {
    // Focus is on Clarity's levels after starting; move to Structures and agree levels.
    await keys(page, ['ArrowRight', 'ArrowRight', '2', 'ArrowRight', '1', 'ArrowRight', '2', 'ArrowRight', '3', 'ArrowRight', '1']);
    const doc = (await stored(page)).document;
    assert.deepEqual(doc.agreed.map((a) => [a.round, a.domain, a.level]), [
      ['baseline', 'structures', 2], ['baseline', 'outcomes', 1], ['baseline', 'learning', 2],
      ['baseline', 'integration', 3], ['baseline', 'evidence', 1]]);
    assert.equal(await text(page, '[data-k="step:6"] .step-state'), '1');
    // Results are hidden until revealed.
    assert.equal(await el(page, '.results.hidden-results').count(), 1);
    assert.equal(await el(page, '.results [data-stat="median"]').count(), 0);
    await noViolations(page, 'the scoring view, agreed mode');
  });

  test('baseline: one row per person with their group, and a show of hands', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="mode:respondents"]').click();
    await settle(page);
    await addPerson(page, 'ana', 'education');
    await addPerson(page, 'ben', 'mental-health');
    await addPerson(page, 'cat', 'education');
    await addPerson(page, 'dev', 'commissioner');
    await el(page, '[data-k="step:0"]').click();
    await settle(page);
    // dev is scoring now; ] moves on to ana, and so on.
    await keys(page, [']', '2', 'ArrowRight', '1', 'ArrowLeft']);
    await keys(page, [']', '3', 'ArrowRight', '2', 'ArrowLeft']);
    await keys(page, [']', '1']);
    await keys(page, [']', 'u']);
    // Typing in a text box is never taken as a shortcut.
    const before = (await stored(page)).document;
    await el(page, '[data-k="new-person-id"]').pressSequentially('3uzt');
    await settle(page);
    assert.deepEqual((await stored(page)).document, before);
    await el(page, '[data-k="new-person-id"]').fill('');
    // Until revealed, the table says who has rated, not what.
    assert.equal(await text(page, '[data-k="cell:ana:clarity"]'), '✓');
    await noViolations(page, 'the scoring view, each-person mode');
    // One more hand at level 4 for Clarity, from someone who did not give their name: the
    // page asks before counting hands beside people's ratings, and they are kept together.
    await el(page, '[data-k="mode:tally"]').click();
    await el(page, '[data-k="choose:keep"]').click();
    await settle(page);
    await press(page, '4');
    assert.equal(await text(page, '[data-k="tally:clarity:4:masked"]'), '•', 'hidden: the count is not on screen');
    await press(page, '4');
    await press(page, 'Shift+4');
    await press(page, 'r');
    assert.equal(await el(page, '[data-k="tally:clarity:4:count"]').inputValue(), '1');
    await noViolations(page, 'the scoring view, show of hands');
    await press(page, 'r');
  });

  test('follow-up: the same people and agreed levels, a target, undo and redo', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="round:followup"]').click();
    await el(page, '[data-k="mode:respondents"]').click();
    await settle(page);
    await el(page, '[data-k="who:ana"]').check();
    await el(page, '[data-k="step:0"]').click();
    await settle(page);
    await keys(page, ['3', 'ArrowRight', '2', 'ArrowLeft']);
    await keys(page, [']', '3', 'ArrowRight', '1', 'ArrowLeft']);
    await keys(page, [']', '3']);
    await keys(page, [']', '2']);
    await el(page, '[data-k="mode:agreed"]').click();
    await settle(page);
    await keys(page, ['ArrowRight', 'ArrowRight', '3', 'ArrowRight', '2', 'ArrowRight', '2', 'ArrowRight', '3', 'ArrowRight', '2', 't', '2']);
    assert.deepEqual((await stored(page)).document.targets, [{ domain: 'evidence', level: 2 }]);
    await press(page, 'z');
    assert.deepEqual((await stored(page)).document.targets, []);
    await press(page, 'y');
    assert.deepEqual((await stored(page)).document.targets, [{ domain: 'evidence', level: 2 }]);
    // A target by mouse too.
    await el(page, '[data-k="step:2"]').click();
    await settle(page);
    await el(page, '[data-k="target:structures"]').selectOption('4');
    await settle(page);
    assert.equal((await stored(page)).document.targets.length, 2);
  });

  test('revealed results match the scoring contract', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="round:baseline"]').click();
    await el(page, '[data-k="step:0"]').click();
    await settle(page);
    await press(page, 'r');
    const expected = SUMMARY.areas[0].rounds;
    for (const [ri, id] of [[0, 'baseline'], [1, 'followup']]) {
      await round(page, id, true);
      for (const [di, domain] of [[0, 'clarity'], [1, 'contact']]) {
        await el(page, `[data-k="step:${di}"]`).click();
        await settle(page);
        const want = expected[ri].domains[di];
        const scope = `.results[data-round="${id}"][data-domain="${domain}"]`;
        assert.equal(await stat(page, scope, 'median'), shown(want.median), `${id} ${domain} median`);
        assert.equal(await stat(page, scope, 'mean'), shown(want.mean), `${id} ${domain} mean`);
        assert.equal(await stat(page, scope, 'n'), String(want.n), `${id} ${domain} n`);
        assert.equal(await stat(page, scope, 'unsure'), String(want.unsure), `${id} ${domain} unsure`);
        assert.equal(await el(page, `${scope} [data-stat="split"]`).count(), want.split ? 1 : 0, `${id} ${domain} split mark`);
        assert.equal(await el(page, `${scope} .chart svg[role="img"]`).count(), 1, 'distribution chart');
        const chart = await chartAgainstEngine(page, scope, id, domain);
        assert.deepEqual(chart.shown, chart.engine, `${id} ${domain} chart as the engine draws it`);
      }
    }
    // The worked example spelled out: clarity at baseline is split, 2.5 by median and mean.
    await round(page, 'baseline', true);
    await el(page, '[data-k="step:0"]').click();
    await settle(page);
    const clarity = '.results[data-domain="clarity"]';
    assert.equal(await stat(page, clarity, 'median'), '2.5');
    assert.equal(await stat(page, clarity, 'mean'), '2.5');
    assert.equal(await stat(page, clarity, 'n'), '4');
    assert.match(await stat(page, clarity, 'split'), /Split room/);
    // All seven at once.
    await el(page, '[data-k="layout:all"]').click();
    await settle(page);
    assert.equal(await el(page, 'fieldset.domain').count(), 7);
    assert.equal(await stat(page, '.compact-results[data-domain="structures"]', 'headline'), '2');
    assert.equal(await stat(page, '.compact-results[data-domain="structures"]', 'headline-source'), 'agreed · no votes');
    await noViolations(page, 'all seven domains, results revealed');
    await el(page, '[data-k="layout:one"]').click();
    await settle(page);
    await noViolations(page, 'one domain, results revealed');
  });

  test('compare: radar, change, paired changes and the sign test', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="view:compare"]').click();
    await settle(page);
    assert.equal(await el(page, '.view figure[data-chart="radar"] svg[role="img"]').count(), 1, 'radar chart');
    assert.match(await text(page, '.view figure[data-chart="radar"] svg title'), /radar/i);
    assert.equal(await el(page, '.view figure[data-chart="change"] svg[role="img"]').count(), 1, 'change chart');
    assert.equal(await el(page, '.view figure[data-chart="group-gap-from"] svg[role="img"]').count(), 1, 'education and mental health, baseline');
    assert.equal(await el(page, '.view figure[data-chart="group-gap-to"] svg[role="img"]').count(), 1, 'education and mental health, follow-up');
    for (const want of COMPARE.areas[0].domains.slice(0, 2)) {
      const row = `.change-table tr[data-domain="${want.domain}"]`;
      assert.equal(await stat(page, row, 'from'), shown(want.from.headline));
      assert.equal(await stat(page, row, 'to'), shown(want.to.headline));
      assert.equal(await stat(page, row, 'delta'), shownSigned(want.delta));
      assert.equal(await el(page, `${row} [data-stat="direction"]`).getAttribute('data-direction'), want.direction);
      const paired = el(page, `${row} [data-stat="paired"]`);
      for (const k of ['n', 'improved', 'unchanged', 'declined']) {
        assert.equal(Number(await paired.getAttribute(`data-${k}`)), want.paired[k], `${want.domain} paired ${k}`);
      }
      assert.equal(await stat(page, row, 'p'), String(want.paired.p_value));
    }
    // Clarity, in words: +0.5, improved, 2 up 1 same 0 down, p 0.5.
    const clarity = '.change-table tr[data-domain="clarity"]';
    assert.equal(await stat(page, clarity, 'delta'), '+0.5');
    assert.match(await stat(page, clarity, 'direction'), /Improved/);
    assert.equal(await stat(page, clarity, 'paired'), '3 people: 2 up, 1 same, 0 down');
    assert.equal(await stat(page, clarity, 'p'), '0.5');
    // Agreed levels are the headline; nobody is paired there.
    const structures = '.change-table tr[data-domain="structures"]';
    assert.equal(await stat(page, structures, 'from'), '2');
    assert.equal(await stat(page, structures, 'to'), '3');
    assert.equal(await stat(page, structures, 'delta'), '+1');
    assert.equal(await stat(page, structures, 'p'), '–');
    assert.equal(await stat(page, structures, 'target'), '4 (1 to go)');
    // Overall: the mean of the seven headlines, now that all seven have one in both rounds.
    assert.equal(await stat(page, '.overall', 'overall-from'), shown((2.5 + 1.5 + 2 + 1 + 2 + 3 + 1) / 7));
    assert.equal(await stat(page, '.overall', 'overall-to'), shown((3 + 1.5 + 3 + 2 + 2 + 3 + 2) / 7));
    assert.equal(await stat(page, '.overall', 'overall-delta'), '+0.5');
    assert.equal(await text(page, 'figure[data-chart="radar"] figcaption > span'), 'Radar: Baseline, Follow-up and target');
    // Education against mental health at both rounds, from the core: clarity's education
    // mean 1.5 against mental health's 3 at baseline, 3 against 3 at follow-up.
    const gap = '.view .perception-table tr[data-domain="clarity"]';
    assert.equal(await stat(page, gap, 'gap-from'), '\u22121.5');
    assert.equal(await stat(page, gap, 'gap-to'), '0');
    assert.equal(await el(page, `${gap} [data-stat="gap-change"]`).getAttribute('data-change'), 'narrowed');
    await noViolations(page, 'the compare view');
  });

  test('plan: actions per domain beside the change', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="view:plan"]').click();
    await settle(page);
    await el(page, '[data-k="new-act:clarity:action"]').fill('Share a one-page map of who does what');
    await el(page, '[data-k="new-act:clarity:owner"]').fill('CAMHS link lead');
    await el(page, '[data-k="new-act:clarity:due"]').fill('2026-06-30');
    await el(page, '[data-k="new-act:clarity:add"]').click();
    await settle(page);
    await el(page, '[data-k="note:contact"]').fill('Contact list lives with the LA.');
    await el(page, '[data-k="note:contact"]').blur();
    await settle(page);
    const doc = (await stored(page)).document;
    assert.deepEqual(doc.actions, [{ domain: 'clarity', action: 'Share a one-page map of who does what', owner: 'CAMHS link lead', due: '2026-06-30' }]);
    assert.deepEqual(doc.notes, [{ domain: 'contact', text: 'Contact list lives with the LA.' }]);
    assert.match(await text(page, '.plan-domain[data-domain="clarity"] .plan-change'), /\+0\.5/);
    await noViolations(page, 'the action plan');
    await el(page, '[data-k="view:compare"]').click();
    await settle(page);
    assert.match(await text(page, '.change-table tr[data-domain="clarity"] .actions-cell'), /Share a one-page map/);
  });

  test('a reload loses nothing', { timeout: 60_000 }, async () => {
    const beforeDoc = (await stored(page)).document;
    await page.reload();
    await page.waitForSelector('cascade-assessment[ready]');
    await settle(page);
    assert.deepEqual((await stored(page)).document, beforeDoc);
    assert.equal(await text(page, '.area-name'), 'Keyboard Vale');
    // It comes back where it was: the compare view, results revealed.
    assert.equal(await stat(page, '.change-table tr[data-domain="clarity"]', 'delta'), '+0.5');
    assert.equal(await stat(page, '.change-table tr[data-domain="clarity"]', 'p'), '0.5');
    await el(page, '[data-k="view:score"]').click();
    await el(page, '[data-k="mode:respondents"]').click();
    await settle(page);
    assert.equal(await el(page, '.people-table tbody tr').count(), 4);
    assert.equal(await text(page, 'tr[data-person="ben"] select option:checked'), 'Mental health');
  });

  test('print preview is a clean report', { timeout: 60_000 }, async () => {
    await page.emulateMedia({ media: 'print' });
    await page.waitForSelector('cascade-assessment .report [data-section="compare"] svg', { state: 'visible' });
    for (const section of ['title', 'round-baseline', 'round-followup', 'compare', 'groups', 'actions']) {
      assert.ok(await el(page, `.report [data-section="${section}"]`).isVisible(), `report section ${section}`);
    }
    assert.ok(await el(page, '.report [data-chart="radar"] svg').isVisible());
    assert.ok(await el(page, '.report [data-chart="change"] svg').isVisible());
    assert.match(await text(page, '.report [data-section="actions"]'), /Share a one-page map/);
    for (const control of ['.bar', '.controls', '.stepper', 'fieldset.domain', 'button']) {
      assert.equal(await el(page, control).first().isVisible(), false, `${control} hidden in print`);
    }
    assert.equal(await page.locator('header.site').isVisible(), false);
    const pdf = path.join(os.tmpdir(), `cascade-report-${process.pid}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const bytes = fs.readFileSync(pdf);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.ok(bytes.length > 20_000, `the PDF holds the charts (${bytes.length} bytes)`);
    fs.rmSync(pdf);
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await el(page, '.report').isVisible(), false);
  });

  test('the page keeps to its rules: no style attributes, no globals, no inline script', async () => {
    const facts = await page.evaluate(() => {
      const root = document.querySelector('cascade-assessment').shadowRoot;
      return {
        styled: root.querySelectorAll('[style]').length + document.querySelectorAll('[style]').length,
        styleElements: root.querySelectorAll('style').length + document.querySelectorAll('style').length,
        inlineScripts: [...document.scripts].filter((s) => !s.src).length,
        handlers: [...root.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
        leaked: ['Session', 'h', 'Store', 'CascadeAssessment', 'renderScore', 'init'].filter((n) => n in window),
        stylesheet: root.querySelector('link[rel=stylesheet]')?.href,
      };
    });
    assert.deepEqual(facts, { styled: 0, styleElements: 0, inlineScripts: 0, handlers: 0, leaked: [], stylesheet: new URL('cascade.css', server.url).href });
  });
});

describe('keeping and moving work', () => {
  let env;
  let page;

  before(async () => {
    env = await open(browser, { server });
    page = env.page;
    await load(page, server.url);
    await start(page, 'Move Vale');
    await keys(page, ['3', 'ArrowRight', '2']);
  });

  after(async () => {
    await clean(env);
    await close(env);
  });

  test('imports the worked example CSV and shows the contract numbers', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="view:files"]').click();
    await settle(page);
    await el(page, '[data-k="files-import"]').setInputFiles({ name: 'workshop.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.area-name')?.textContent === 'Example Vale');
    await settle(page);
    await el(page, '[data-k="view:score"]').click();
    await settle(page);
    for (const [ri, r] of SUMMARY.areas[0].rounds.entries()) {
      await round(page, r.round, true);
      for (const want of r.domains) {
        const di = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'].indexOf(want.domain);
        await el(page, `[data-k="step:${di}"]`).click();
        await settle(page);
        const scope = `.results[data-round="${r.round}"][data-domain="${want.domain}"]`;
        assert.equal(await stat(page, scope, 'headline'), shown(want.headline), `${ri} ${want.domain} headline`);
        if (want.n === 0) {
          // No votes: the page says what the headline rests on instead of a row of dashes.
          assert.equal(await el(page, `${scope} [data-stat="no-votes"]`).count(), 1, `${ri} ${want.domain} no votes`);
          continue;
        }
        assert.equal(await stat(page, scope, 'median'), shown(want.median), `${ri} ${want.domain}`);
        assert.equal(await stat(page, scope, 'mean'), shown(want.mean));
        assert.equal(await stat(page, scope, 'n'), String(want.n));
        assert.equal(await el(page, `${scope} [data-stat="split"]`).count(), want.split ? 1 : 0);
      }
    }
    await el(page, '[data-k="view:compare"]').click();
    await settle(page);
    for (const want of COMPARE.areas[0].domains) {
      const row = `.change-table tr[data-domain="${want.domain}"]`;
      assert.equal(await stat(page, row, 'delta'), shownSigned(want.delta), want.domain);
      assert.equal(await el(page, `${row} [data-stat="direction"]`).getAttribute('data-direction'), want.direction);
      if (want.paired.n) assert.equal(await stat(page, row, 'p'), String(want.paired.p_value));
    }
    // Both assessments are kept.
    await el(page, '[data-k="view:files"]').click();
    await settle(page);
    assert.equal(await el(page, 'table.saved tbody tr').count(), 2);
  });

  test('a bad import says what is wrong and where, and changes nothing', { timeout: 60_000 }, async () => {
    const beforeRec = await stored(page);
    const beforeList = await el(page, 'table.saved tbody tr').count();
    const bad = 'area,round,respondent,group,domain,level\nVale,baseline,ana,education,clarity,2\nVale,baseline,ben,education,clarity,7\n';
    await el(page, '[data-k="files-import"]').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.waitForSelector('cascade-assessment .error[role="alert"]');
    const message = await text(page, '.error-text');
    assert.match(message, /broken\.csv/);
    assert.match(message, /line 3/);
    assert.match(message, /Nothing has changed/);
    assert.deepEqual(await stored(page), beforeRec);
    assert.equal(await text(page, '.area-name'), 'Example Vale');
    assert.equal(await el(page, 'table.saved tbody tr').count(), beforeList);
    await el(page, '[data-k="files-import"]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema_version": 1, "area": "X", "rounds": [], "framework": {"id": "cascade", "version": "1"}, "ratings": [{"round": "nope"}]}') });
    await page.waitForFunction(() => /broken\.json/.test(document.querySelector('cascade-assessment').shadowRoot.querySelector('.error-text')?.textContent ?? ''));
    assert.deepEqual(await stored(page), beforeRec);
    await noViolations(page, 'saved work with an error showing');
    await el(page, '[data-k="dismiss-error"]').click();
    await settle(page);
    assert.equal(await el(page, '.error').count(), 0);
  });

  test('exports JSON, CSV and SVG as downloads', { timeout: 60_000 }, async () => {
    const rec = await stored(page);
    const save = async (k) => {
      const [download] = await Promise.all([page.waitForEvent('download'), el(page, `[data-k="${k}"]`).click()]);
      const file = path.join(os.tmpdir(), `cascade-${process.pid}-${download.suggestedFilename()}`);
      await download.saveAs(file);
      const body = fs.readFileSync(file, 'utf8');
      fs.rmSync(file);
      return { name: download.suggestedFilename(), body };
    };
    const json = await save('export-json');
    assert.equal(json.name, 'example-vale-cascade.json');
    assert.deepEqual(JSON.parse(json.body), rec.document);
    const csv = await save('export-csv');
    assert.equal(csv.name, 'example-vale-cascade.csv');
    assert.equal(csv.body.replace(/\r\n/g, '\n'), CSV);
    await el(page, '[data-k="view:compare"]').click();
    await settle(page);
    const svg = await save('svg:radar');
    assert.equal(svg.name, 'example-vale-radar.svg');
    assert.match(svg.body, /^<\?xml[^>]*>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  test('several assessments: open one, delete one, clear everything with confirmation', { timeout: 60_000 }, async () => {
    await el(page, '[data-k="view:files"]').click();
    await settle(page);
    const other = await el(page, 'table.saved tbody tr:not(.current)').getAttribute('data-id');
    await el(page, `[data-k="open:${other}"]`).click();
    await settle(page);
    assert.equal(await text(page, '.area-name'), 'Move Vale');
    assert.equal((await stored(page)).document.agreed.length, 2);
    // Delete asks first; cancelling keeps it.
    await el(page, '[data-k="view:files"]').click();
    await settle(page);
    const example = await el(page, 'table.saved tbody tr:not(.current)').getAttribute('data-id');
    await el(page, `[data-k="delete:${example}"]`).click();
    await el(page, 'dialog.confirm button.quiet').click();
    await settle(page);
    assert.equal(await el(page, 'table.saved tbody tr').count(), 2);
    await el(page, `[data-k="delete:${example}"]`).click();
    await el(page, '[data-k="confirm-yes"]').click();
    await settle(page);
    assert.equal(await el(page, 'table.saved tbody tr').count(), 1);
    // Clearing everything.
    await el(page, '[data-k="clear-all"]').click();
    assert.ok(await el(page, 'dialog.confirm').isVisible());
    await noViolations(page, 'the confirmation dialog');
    await el(page, '[data-k="confirm-yes"]').click();
    await page.waitForSelector('cascade-assessment #start-title');
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cascade:')));
    assert.deepEqual(left, []);
  });
});

describe('a framework file and more rounds', () => {
  const MINI = {
    id: 'mini', version: '1', name: 'Mini', levels: [{ label: 'No' }, { label: 'Partly' }, { label: 'Yes' }],
    domains: [
      { id: 'talk', letter: 'T', title: 'Talking', description: 'We talk.', descriptors: ['Rarely', 'Sometimes', 'Often'] },
      { id: 'plan', letter: 'P', title: 'Planning', description: 'We plan.', descriptors: ['Never', 'Sometimes', 'Always'] },
    ],
  };

  test('scores on a framework file with three rounds and compares any two', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server });
    const { page } = env;
    await load(page, server.url);
    await el(page, '[data-k="start-area"]').fill('Mini Vale');
    await el(page, '[data-k="start-add-round"]').click();
    await el(page, '[data-k="start-round:2"]').fill('Review');
    await el(page, '[data-k="fw-file"]').check();
    await el(page, '[data-k="fw-input"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"id": "mini", "version": "1", "name": "Mini", "levels": [{"label": "Only"}], "domains": []}') });
    await page.waitForSelector('cascade-assessment .error[role="alert"]');
    assert.match(await text(page, '.error-text'), /bad\.json is not a usable framework: framework: .*level/);
    await el(page, '[data-k="fw-input"]').setInputFiles({ name: 'mini.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(MINI)) });
    await page.waitForSelector('cascade-assessment .fw-file .ok');
    assert.match(await text(page, '.fw-file .ok'), /Loaded Mini: 2 domains, levels 1 to 3/);
    await el(page, '[data-k="start-go"]').click();
    await page.waitForSelector('cascade-assessment fieldset.domain');
    await settle(page);
    assert.equal(await el(page, '.stepper button').count(), 2);
    assert.equal(await el(page, 'fieldset.domain input[type=radio]').count(), 4);
    await keys(page, ['3', '4', 'ArrowRight', '2']);
    const doc = (await stored(page)).document;
    assert.deepEqual(doc.framework, { id: 'mini', version: '1' });
    assert.deepEqual(doc.rounds.map((r) => [r.id, r.label]), [['baseline', 'Baseline'], ['followup', 'Follow-up'], ['review', 'Review']]);
    assert.deepEqual(doc.agreed.map((a) => [a.domain, a.level]), [['talk', 3], ['plan', 2]]);
    await round(page, 'review');
    await press(page, '1');
    await page.reload();
    await page.waitForSelector('cascade-assessment[ready]');
    await settle(page);
    assert.equal(await el(page, '.stepper button').count(), 2, 'the framework file is kept with the work');
    await press(page, 'r');
    await el(page, '[data-k="view:compare"]').click();
    await settle(page);
    await el(page, '[data-k="cmp-to"]').selectOption('review');
    await settle(page);
    assert.equal(await stat(page, '.change-table tr[data-domain="plan"]', 'delta'), '\u22121');
    assert.equal(await el(page, '.change-table tr[data-domain="plan"] [data-stat="direction"]').getAttribute('data-direction'), 'declined');
    assert.equal(await el(page, '.change-table tr[data-domain="talk"] [data-stat="direction"]').getAttribute('data-direction'), 'unknown');
    assert.equal(await el(page, '.view figure[data-chart="radar"] svg[role="img"]').count(), 1);
    await noViolations(page, 'compare on a framework file');
    await clean(env);
    await close(env);
  });
});

describe('offline, embedding and the full-screen key', () => {
  test('works offline once loaded, through the service worker', { timeout: 90_000 }, async () => {
    const env = await open(browser, { server, serviceWorkers: 'allow' });
    const { page, context } = env;
    await load(page, server.url);
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.state;
    });
    await start(page, 'Offline Vale');
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('cascade-assessment[ready]', { timeout: 20_000 });
    assert.equal(await text(page, '.area-name'), 'Offline Vale');
    await press(page, '4');
    assert.equal((await stored(page)).document.agreed[0].level, 4);
    await context.setOffline(false);
    assert.deepEqual(foreign(env.seen, server.origin), []);
    assert.deepEqual(await context.cookies(), []);
    await close(env);
  });

  test('embeds in another page with its own area and storage key, and no service worker', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server, serviceWorkers: 'allow' });
    const { page } = env;
    await load(page, new URL('/__test/embed.html', server.url).href);
    assert.equal(await text(page, '.area-name'), 'Embed Vale');
    await press(page, '2');
    const keysUsed = await page.evaluate(() => Object.keys(localStorage));
    assert.ok(keysUsed.length > 0 && keysUsed.every((k) => k.startsWith('school-site:')), keysUsed.join());
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    // Typing in the host page's own search box does not score.
    const before = (await stored(page, 'school-site')).document;
    await page.locator('#search').pressSequentially('345');
    assert.deepEqual((await stored(page, 'school-site')).document, before);
    const events = await page.evaluate(() => new Promise((resolve) => {
      const el = document.querySelector('cascade-assessment');
      const seen = [];
      document.addEventListener('cascade-change', (e) => seen.push(['change', e.detail.op, e.detail.area]));
      document.addEventListener('cascade-error', (e) => seen.push(['error', e.detail.message]));
      el.shadowRoot.querySelector('input[type=radio][value="3"]').click();
      setTimeout(() => resolve(seen), 100);
    }));
    assert.deepEqual(events, [['change', 'set_agreed', 'Embed Vale']]);
    await noViolations(page, 'the embedded element');
    assert.deepEqual(env.seen.errors, []);
    await close(env);
  });

  test('F presents, and the page works at 1920x1080 and on a phone', { timeout: 60_000 }, async () => {
    for (const viewport of [{ width: 1920, height: 1080 }, { width: 390, height: 844 }]) {
      const env = await open(browser, { server, viewport });
      const { page } = env;
      await load(page, server.url);
      await start(page, 'Screen Vale');
      const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('cascade-assessment')).fontSize));
      assert.ok(fontSize >= 18, `base type ${fontSize}px`);
      if (viewport.width > 1000) assert.ok(fontSize >= 20, `base type on the projector ${fontSize}px`);
      // No sideways scrolling in any way of capturing or any view, with people in the table.
      const sideways = async (where) => {
        await settle(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `no sideways scrolling at ${viewport.width}px in ${where} (${overflow}px too wide)`);
      };
      await sideways('agreed levels');
      await el(page, '[data-k="mode:tally"]').click();
      await sideways('show of hands');
      // All seven at once: each counter fits inside its box.
      await el(page, '[data-k="layout:all"]').click();
      await sideways('show of hands, all seven');
      const spilled = await page.evaluate(() => [...document.querySelector('cascade-assessment').shadowRoot.querySelectorAll('.tally-row')]
        .filter((r) => r.scrollWidth > r.clientWidth).length);
      assert.equal(spilled, 0, `counters spill out of ${spilled} boxes at ${viewport.width}px`);
      await el(page, '[data-k="layout:one"]').click();
      await el(page, '[data-k="mode:respondents"]').click();
      for (let i = 0; i < 3; i++) await el(page, '[data-k="add-person"]').click();
      await press(page, '4');
      await sideways('each person');
      await press(page, 'r');
      await sideways('each person, results revealed');
      for (const view of ['compare', 'plan', 'files', 'score']) {
        await el(page, `[data-k="view:${view}"]`).click();
        if (view === 'plan') {
          await el(page, '[data-k="new-act:clarity:action"]').fill('Map who does what in each school');
          await el(page, '[data-k="new-act:clarity:owner"]').fill('Link lead');
          await el(page, '[data-k="new-act:clarity:add"]').click();
          assert.equal(await el(page, '[data-k="act:0:action"]').inputValue(), 'Map who does what in each school');
        }
        await sideways(`the ${view} view`);
      }
      await press(page, 'f');
      assert.equal(await el(page, '.app.presenting').count(), 1);
      assert.equal(await el(page, '.views').isVisible(), false);
      await press(page, 'f');
      assert.equal(await el(page, '.app.presenting').count(), 0);
      await noViolations(page, `the scoring view at ${viewport.width}px`);
      await clean(env);
      await close(env);
    }
  });
});

describe('the same assessment open in two windows', () => {
  /** A second window of the same browser context (same origin, same localStorage), watched like the first. */
  async function second(env) {
    const page = await env.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location()?.url?.includes('/__test/axe.min.js')) env.seen.errors.push(`console (2nd window): ${m.text()}`);
    });
    page.on('pageerror', (e) => env.seen.errors.push(`page (2nd window): ${e.message}`));
    return page;
  }

  const checked = (page, domain) => el(page, `fieldset.domain[data-domain="${domain}"] input[type=radio]:checked`).getAttribute('data-k');
  const status = (page) => el(page, '[role="status"]').textContent();

  test('an edit in one window shows in the other at once, and nothing is lost', { timeout: 90_000 }, async () => {
    const env = await open(browser, { server });
    const a = env.page;
    await load(a, server.url);
    await start(a, 'Twin Vale');
    // Window A shows all seven domains with results, scoring Structures.
    await el(a, '[data-k="layout:all"]').click();
    await settle(a);
    await press(a, 'r');
    await el(a, '[data-k="step:2"]').click();
    await settle(a);
    const b = await second(env);
    await load(b, server.url);
    assert.equal(await text(b, '.area-name'), 'Twin Vale');
    // Window B scores Clarity by keyboard (arrows, not a click on the sticky domain strip,
    // which can land on a neighbour while the strip settles).
    for (let i = 0; i < 7 && (await el(b, '[data-k="step:0"]').getAttribute('aria-current')) !== 'step'; i++) await press(b, 'ArrowLeft');
    await press(b, '3');
    await a.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot
      .querySelector('input[data-k="lvl:clarity:3"]')?.checked === true, null, { timeout: 5_000 });
    await settle(a);
    assert.equal(await checked(a, 'clarity'), 'lvl:clarity:3');
    assert.equal(await el(a, 'fieldset.domain[data-domain="clarity"] input[type=radio]:checked').count(), 1);
    assert.equal(await text(a, 'fieldset.domain[data-domain="clarity"] label.checked .num'), '3');
    assert.equal(await text(a, '[data-k="step:0"] .step-state'), '3');
    assert.equal(await stat(a, '.compact-results[data-domain="clarity"]', 'headline'), '3');
    assert.equal(await stat(a, '.compact-results[data-domain="clarity"]', 'headline-source'), 'agreed · no votes');
    assert.equal(await status(a), 'Updated from another window.');
    // A keeps its own view: still on Structures, all seven, results shown, the baseline.
    assert.equal(await el(a, '[data-k="step:2"]').getAttribute('aria-current'), 'step');
    assert.equal(await el(a, 'fieldset.domain').count(), 7);
    assert.equal(await el(a, '[data-k="reveal"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await el(a, '[data-k="round:baseline"]').getAttribute('aria-pressed'), 'true');
    // Undo in A cannot bring back the document from before B's edit.
    assert.ok(await el(a, '[data-k="undo"]').isDisabled());
    await noViolations(a, 'a window updated from another');
    // A scores Outcomes; B sees it without a reload, and its undo cannot take it away.
    await el(a, '[data-k="step:3"]').click();
    await settle(a);
    await press(a, '2');
    await b.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot
      .querySelector('[data-k="step:3"] .step-state')?.textContent === '2', null, { timeout: 5_000 });
    await press(b, 'z');
    assert.equal(await status(b), 'Nothing to undo');
    // B only moving to another domain changes no document: A keeps its undo history.
    const said = await status(a);
    assert.match(said, /^Outcomes, Baseline: agreed level 2/);
    await el(b, '[data-k="step:1"]').click();
    await settle(b);
    await settle(a);
    assert.equal(await status(a), said);
    // Undo in A takes back only A's own edit, and redo restores it.
    await press(a, 'z');
    assert.deepEqual((await stored(a)).document.agreed.map((x) => [x.domain, x.level]), [['clarity', 3]]);
    await press(a, 'y');
    await b.reload();
    await b.waitForSelector('cascade-assessment[ready]');
    await settle(b);
    assert.deepEqual((await stored(b)).document.agreed.map((x) => [x.domain, x.level]), [['clarity', 3], ['outcomes', 2]]);
    assert.equal(await text(b, '[data-k="step:0"] .step-state'), '3');
    assert.equal(await text(b, '[data-k="step:3"] .step-state'), '2');
    assert.equal(await checked(b, 'clarity'), 'lvl:clarity:3');
    assert.equal(await checked(b, 'outcomes'), 'lvl:outcomes:2');
    await b.close();
    await clean(env);
    await close(env);
  });

  test('two elements with one storage key on one page follow each other', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server });
    const { page } = env;
    await load(page, server.url);
    await start(page, 'Pair Vale');
    await page.evaluate(() => document.querySelector('main').append(Object.assign(document.createElement('cascade-assessment'), { id: 'twin' })));
    await page.waitForSelector('#twin[ready]');
    const first = page.locator('cascade-assessment').first();
    const twin = page.locator('#twin');
    assert.equal(await twin.locator('.area-name').textContent(), 'Pair Vale');
    await first.locator('input[data-k="lvl:clarity:4"]').check();
    await settle(page);
    assert.ok(await twin.locator('input[data-k="lvl:clarity:4"]').isChecked());
    assert.equal(await twin.locator('[role="status"]').textContent(), 'Updated from another window.');
    assert.equal(await first.locator('[role="status"]').textContent(), 'Clarity, Baseline: agreed level 4, Established');
    await clean(env);
    await close(env);
  });

  test('an edit, undo or redo made before the news of another window\'s edit arrives builds on it', { timeout: 90_000 }, async () => {
    const env = await open(browser, { server });
    const a = env.page;
    await load(a, server.url);
    await start(a, 'Race Vale');
    // Window A stops listening to other windows, as if B's save were still on its way.
    await a.evaluate(() => window.removeEventListener('storage', document.querySelector('cascade-assessment').onStorage));
    const b = await second(env);
    await load(b, server.url);
    // Both windows move by keyboard (the page takes keys with nothing focused): a click on the
    // domain strip can land on its neighbour while the sticky strip is still settling.
    await press(b, '3');
    assert.equal(await checked(a, 'clarity'), 'lvl:clarity:none', 'A has not heard of B\'s edit');
    // A scores Contact by keyboard: B's Clarity is kept, not overwritten.
    await press(a, 'ArrowRight');
    await press(a, '2');
    assert.deepEqual((await stored(a)).document.agreed.map((x) => [x.domain, x.level]), [['clarity', 3], ['contact', 2]]);
    assert.equal(await text(a, '[data-k="step:0"] .step-state'), '3');
    assert.equal(await text(a, '[data-k="step:1"] .step-state'), '2');
    // B scores Structures; A, still unaware, presses undo. Undoing its Contact would write
    // over B's Structures, so A takes up B's version instead and has nothing left to undo.
    await press(b, 'ArrowRight');
    await press(b, 'ArrowRight');
    await press(b, '4');
    await press(a, 'z');
    assert.equal(await status(a), 'Updated from another window. Nothing to undo');
    assert.deepEqual((await stored(a)).document.agreed.map((x) => [x.domain, x.level]), [['clarity', 3], ['contact', 2], ['structures', 4]]);
    assert.equal(await text(a, '[data-k="step:2"] .step-state'), '4');
    assert.ok(await el(a, '[data-k="undo"]').isDisabled());
    await press(b, 'z');
    await press(a, 'y');
    assert.equal(await status(a), 'Updated from another window. Nothing to redo');
    assert.deepEqual((await stored(a)).document.agreed.map((x) => [x.domain, x.level]), [['clarity', 3], ['contact', 2]]);
    assert.equal(await text(a, '[data-k="step:2"] .step-state'), '–');
    // No target is set, so the radar's caption names none.
    await el(a, '[data-k="view:compare"]').click();
    await settle(a);
    assert.equal(await text(a, 'figure[data-chart="radar"] figcaption > span'), 'Radar: Baseline, Follow-up');
    await b.close();
    await clean(env);
    await close(env);
  });

  test('deleted in another window: still on screen, said clearly, saved again by the next change', { timeout: 90_000 }, async () => {
    const env = await open(browser, { server });
    const a = env.page;
    await load(a, server.url);
    await start(a, 'Gone Vale');
    await press(a, '4');
    const b = await second(env);
    await load(b, server.url);
    await el(b, '[data-k="view:files"]').click();
    await settle(b);
    const id = await el(b, 'table.saved tbody tr').getAttribute('data-id');
    await el(b, `[data-k="delete:${id}"]`).click();
    await el(b, '[data-k="confirm-yes"]').click();
    await b.waitForSelector('cascade-assessment #start-title');
    await a.waitForSelector('cascade-assessment .error[role="alert"]', { timeout: 5_000 });
    assert.equal(await text(a, '.error-text'),
      '“Gone Vale” was deleted in another window. It is still shown here: your next change saves it again, or download it from Saved work.');
    assert.equal(await text(a, '.area-name'), 'Gone Vale');
    assert.equal(await checked(a, 'clarity'), 'lvl:clarity:4');
    assert.equal(await a.evaluate(() => document.querySelector('cascade-assessment').getDocument().agreed[0].level), 4);
    await noViolations(a, 'a window whose assessment was deleted elsewhere');
    // The next change keeps it again, and B's list of saved work shows it without a reload.
    await press(a, 'ArrowRight');
    await press(a, '2');
    assert.equal(await el(a, '.error').count(), 0);
    assert.deepEqual((await stored(a)).document.agreed.map((x) => [x.domain, x.level]), [['clarity', 4], ['contact', 2]]);
    await b.waitForFunction(() => document.querySelector('cascade-assessment').shadowRoot
      .querySelectorAll('table.saved tbody tr').length === 1, null, { timeout: 5_000 });
    assert.match(await text(b, 'table.saved tbody tr th'), /^Gone Vale/);
    await b.close();
    await clean(env);
    await close(env);
  });

  test('a malformed record from another page is never adopted', { timeout: 60_000 }, async () => {
    const env = await open(browser, { server });
    const a = env.page;
    await load(a, server.url);
    await start(a, 'Bad Vale');
    await press(a, '2');
    const before = await a.evaluate(() => document.querySelector('cascade-assessment').getDocument());
    const b = await second(env);
    // Another page of the site, with its own widget under another storage key.
    await load(b, new URL('/__test/embed.html', server.url).href);
    const write = (value) => b.evaluate((v) => localStorage.setItem(`cascade:assessment:${localStorage.getItem('cascade:current')}`, v), value);
    await write('{"v": 1, "document": ');
    await a.waitForSelector('cascade-assessment .error[role="alert"]', { timeout: 5_000 });
    assert.equal(await text(a, '.error-text'),
      '“Bad Vale” was changed in another window, but what it saved cannot be read. This window keeps what it shows; your next change saves it again.');
    assert.deepEqual(await a.evaluate(() => document.querySelector('cascade-assessment').getDocument()), before);
    assert.equal(await checked(a, 'clarity'), 'lvl:clarity:2');
    await el(a, '[data-k="dismiss-error"]').click();
    // Well-formed JSON, but a document the engine refuses (level 9 on a five-level scale).
    const bad = { ...before, agreed: [{ round: 'baseline', domain: 'clarity', level: 9 }] };
    await write(JSON.stringify({ v: 1, id: 'x', area: 'Bad Vale', updated: new Date().toISOString(), framework: null, document: JSON.stringify(bad) }));
    await a.waitForSelector('cascade-assessment .error[role="alert"]', { timeout: 5_000 });
    assert.match(await text(a, '.error-text'), /^Saved assessment "Bad Vale" could not be opened: .+\. This window keeps what it shows\.$/);
    assert.deepEqual(await a.evaluate(() => document.querySelector('cascade-assessment').getDocument()), before);
    assert.equal(await checked(a, 'clarity'), 'lvl:clarity:2');
    assert.equal(await text(a, '[data-k="step:0"] .step-state'), '2');
    await noViolations(a, 'a window refusing a malformed record');
    // Its next change writes its good document back.
    await press(a, '3');
    assert.equal((await stored(a)).document.agreed[0].level, 3);
    await b.close();
    await clean(env);
    await close(env);
  });
});
