// The live room, as a facilitator runs it from the keyboard in Debian's Chromium: counting the
// room once (the warning when a second way of counting would count the same people again, and
// its three answers), what every headline rests on (score, results, compare, print), a key for
// every action of a workshop (and the keys dialog listing exactly those), Enter in every box
// that adds something, hands counted per group and the perception gap they give, results
// that stay hidden until revealed, and people who stay anonymous.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, open, close, load, settle, el, text, start, press, requireEngine, foreign, AXE } from './browser.mjs';

requireEngine();

let browser;
let server;

before(async () => {
  browser = await launch();
  server = await startServer({ csp: true, files: { '/__test/axe.min.js': AXE } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page with a new assessment of `area`, scoring the first domain. */
async function fresh(area = 'Riverside') {
  const env = await open(browser, { server });
  await load(env.page, server.url);
  await start(env.page, area);
  return env;
}

async function keys(page, list) {
  for (const k of list) await press(page, k);
}

/** The open document, from the element's own API. */
function doc(page) {
  return page.evaluate(() => document.querySelector('cascade-assessment').getDocument());
}

function summaryOf(page, round, domain) {
  return page.evaluate(({ round, domain }) => document.querySelector('cascade-assessment').getSummary()
    .rounds.find((r) => r.round === round).domains.find((d) => d.domain === domain), { round, domain });
}

async function finish(env) {
  assert.deepEqual(foreign(env.seen, server.origin), [], 'no request may leave the origin');
  assert.deepEqual(env.seen.errors, [], 'no console or page errors');
  await close(env);
}

/** Waits for the capture dialog and answers it by keyboard: Tab to the button, Enter. */
async function answer(page, choice) {
  const dialog = page.locator('cascade-assessment dialog.confirm[open]');
  await dialog.waitFor();
  const order = ['cancel', 'keep', 'replace'];
  for (let i = 0; i < order.indexOf(choice); i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.activeElement?.dataset.k), `choose:${choice}`);
  await press(page, 'Enter');
  await dialog.waitFor({ state: 'hidden' });
  await settle(page);
}

describe('counting the room once', () => {
  test('switching to a second way of counting asks, and cancel, keep both and replace do what they say', async () => {
    const env = await fresh();
    const { page } = env;
    // Vote, reveal, discuss, agree: an agreed level sits beside the votes without a question.
    await press(page, '3');
    await press(page, 'h');
    assert.equal(await el(page, 'dialog.confirm[open]').count(), 0, 'agreed then hands: no question');
    await keys(page, ['3', '3', '3', '2', '2', '4', 'u']);
    let s = await summaryOf(page, 'baseline', 'clarity');
    assert.deepEqual([s.n, s.unsure, s.median, s.agreed, s.headline], [6, 1, 3, 3, 3]);

    // Each person, while the round has hands: the page asks.
    await page.keyboard.press('e');
    await page.locator('cascade-assessment dialog.confirm[open]').waitFor();
    assert.equal(await text(page, 'dialog.confirm h2'), 'Count the room twice?');
    assert.match(await text(page, 'dialog.confirm p'), /^Baseline already has a show of hands for Clarity\. Each person’s ratings would be counted as well, so the same people could be counted twice\.$/);
    assert.equal(await text(page, '[data-k="choose:replace"]'), 'Replace: clear the show of hands in Baseline');
    await answer(page, 'cancel');
    assert.equal(await el(page, '[data-k="mode:tally"]').getAttribute('aria-pressed'), 'true', 'cancel keeps the show of hands');
    assert.equal((await doc(page)).tallies.length, 1);

    // Replace: the round's hands go, in one step of undo.
    await page.keyboard.press('e');
    await answer(page, 'replace');
    assert.equal(await el(page, '[data-k="mode:respondents"]').getAttribute('aria-pressed'), 'true');
    assert.deepEqual((await doc(page)).tallies, [], 'replace clears the show of hands of the round');
    assert.equal((await doc(page)).agreed.length, 1, 'the agreed level stays');
    await press(page, 'z');
    assert.equal((await doc(page)).tallies.length, 1, 'one undo brings the hands back');

    // Keep both: people are counted beside the hands, and the page says the two are together.
    await press(page, 'h');
    assert.equal(await el(page, 'dialog.confirm[open]').count(), 0, 'no people yet: no question');
    await page.keyboard.press('e');
    await answer(page, 'keep');
    assert.equal(await el(page, '[data-k="mode:respondents"]').getAttribute('aria-pressed'), 'true');
    for (let i = 0; i < 6; i++) {
      await press(page, 'n');
      assert.equal(await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.activeElement?.dataset.k), 'new-person-id', 'N puts focus in the new person’s initials');
      await page.keyboard.type(`P${i + 1}`);
      await press(page, 'Enter');
      await press(page, String([2, 2, 3, 3, 4, 4][i]));
    }
    s = await summaryOf(page, 'baseline', 'clarity');
    assert.equal(s.n, 12, 'kept: hands and people both count');
    await press(page, 'r');
    assert.equal(await text(page, '.results [data-stat="sources"]'), '7 hands and 6 people’s ratings, counted together: check they are different people.');
    assert.equal(await text(page, '.results [data-stat="headline-source"]'), 'agreed · median 3 of 12');
    // The facilitator chose to keep both for this round: moving between them asks no more.
    await press(page, 'h');
    assert.equal(await el(page, 'dialog.confirm[open]').count(), 0);
    assert.equal(await el(page, '[data-k="mode:tally"]').getAttribute('aria-pressed'), 'true');
    assert.equal((await doc(page)).ratings.length, 6);
    await finish(env);
  });
});

describe('every headline says what it rests on', () => {
  test('in the score view, all seven, compare and the printed report', async () => {
    const env = await fresh();
    const { page } = env;
    // Baseline, evidence: agreed 1 while the individuals' median is 3 (n 5).
    await press(page, 'End'); // no key: nothing happens
    for (let i = 0; i < 6; i++) await press(page, 'ArrowRight');
    assert.equal(await text(page, 'fieldset.domain legend .domain-title'), 'Evidence-based approach to intervention');
    await press(page, '1');
    await press(page, 'h');
    await keys(page, ['3', '3', '3', '2', '4']);
    await press(page, 'r');
    assert.equal(await text(page, '.results [data-stat="headline"]'), '1');
    assert.equal(await text(page, '.results [data-stat="headline-source"]'), 'agreed · median 3 of 5');
    // Follow-up: no agreed level, six hands with median 3.
    await press(page, '.');
    await keys(page, ['3', '3', '3', '2', '4', '4']);
    await press(page, 'r');
    assert.equal(await text(page, '.results [data-stat="headline-source"]'), 'median of 6');
    await press(page, 'l');
    assert.equal(await text(page, '.all-row[data-domain="evidence"] [data-stat="headline-source"]'), 'median of 6');
    assert.equal(await text(page, '.all-row[data-domain="clarity"] [data-stat="headline-source"]'), 'not scored');
    // Compare: both rounds say what they rest on, so 1 is not read as a median of 5.
    await press(page, 'c');
    const row = '.change-table tr[data-domain="evidence"]';
    assert.equal(await text(page, `${row} [data-stat="from"]`), '1');
    assert.equal(await text(page, `${row} [data-stat="from-source"]`), 'agreed · median 3 of 5');
    assert.equal(await text(page, `${row} [data-stat="to"]`), '3');
    assert.equal(await text(page, `${row} [data-stat="to-source"]`), 'median of 6');
    assert.equal(await text(page, `${row} [data-stat="delta"]`), '+2');
    // The report printed from here says the same, and explains its terms.
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await settle(page);
    assert.equal(await text(page, '.report .report-change tr[data-domain="evidence"] [data-stat="from-source"]'), 'agreed · median 3 of 5');
    assert.equal(await text(page, '.report .round-table[data-round="baseline"] tr[data-domain="evidence"] [data-stat="headline-source"]'), 'agreed · median 3 of 5');
    const terms = await el(page, '.report [data-section="terms"] dt').allTextContents();
    assert.deepEqual(terms, ['Headline', 'Agreed', 'Median', 'Mean', 'n', 'Within one level of the median', 'Split room', 'Target (to go)', 'Overall', 'Change', 'Paired changes', 'Sign test p', 'Perception gap']);
    assert.match(await text(page, '.report [data-section="terms"] dd:nth-of-type(12)'), /^Among the paired people who changed their view, how likely so many ups against downs/);
    await finish(env);
  });
});

describe('a key for every action', () => {
  test('views, rounds, capture modes, layout, a person, a target apart from the score, names, reveal and the keys dialog', async () => {
    const env = await fresh();
    const { page } = env;
    const pressed = (k) => el(page, `[data-k="${k}"]`).getAttribute('aria-pressed');
    const view = () => page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('.app').dataset.view);
    for (const [key, v] of [['c', 'compare'], ['p', 'plan'], ['o', 'files'], ['s', 'score']]) {
      await press(page, key);
      assert.equal(await view(), v, `${key} opens ${v}`);
    }
    await press(page, '.');
    assert.equal(await pressed('round:followup'), 'true', '. is the next round');
    await press(page, '.');
    assert.equal(await pressed('round:followup'), 'true', 'and stays on the last');
    await press(page, ',');
    assert.equal(await pressed('round:baseline'), 'true', ', is the previous round');
    for (const [key, mode] of [['h', 'tally'], ['e', 'respondents'], ['a', 'agreed']]) {
      await press(page, key);
      assert.equal(await pressed(`mode:${mode}`), 'true', `${key} counts by ${mode}`);
    }
    await press(page, 'l');
    assert.equal(await pressed('layout:all'), 'true');
    await press(page, 'l');
    assert.equal(await pressed('layout:one'), 'true');

    // A target above the agreed level, without changing the agreed level in front of the room.
    await press(page, '2');
    await press(page, 't');
    assert.match(await text(page, '[data-k="target-prompt"]'), /^Target for Clarity: press 1 to 5, Delete to clear it, Esc to cancel$/);
    await press(page, '4');
    let d = await doc(page);
    assert.deepEqual(d.targets, [{ domain: 'clarity', level: 4 }]);
    assert.deepEqual(d.agreed.map((a) => a.level), [2], 'the agreed level is untouched');
    await press(page, 't');
    await press(page, 'Escape');
    assert.deepEqual((await doc(page)).targets, [{ domain: 'clarity', level: 4 }], 'Esc leaves the target');
    await press(page, 't');
    await press(page, 'Delete');
    d = await doc(page);
    assert.deepEqual(d.targets, [], 'T then Delete clears it');
    assert.deepEqual(d.agreed.map((a) => a.level), [2]);

    // N from any mode: each person, focus in the initials.
    await press(page, 'n');
    assert.equal(await pressed('mode:respondents'), 'true');
    assert.equal(await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.activeElement?.dataset.k), 'new-person-id');
    await page.keyboard.type('AB');
    await press(page, 'Enter');
    assert.deepEqual((await doc(page)).respondents, [{ id: 'AB', group: 'education' }]);
    await press(page, 'g');
    assert.deepEqual((await doc(page)).respondents, [{ id: 'AB', group: 'mental-health' }], 'G changes the person’s group');
    await press(page, '3');
    await press(page, 'r');
    assert.equal(await text(page, '[data-k="reveal"]'), 'Hide results R', 'the button says what it will do');
    assert.equal(await text(page, '[data-k="cell:AB:clarity"]'), '✓', 'who rated what is private');
    await press(page, 'i');
    assert.equal(await text(page, '[data-k="cell:AB:clarity"]'), '3', 'I shows it');
    await press(page, 'i');
    await press(page, 'r');
    assert.equal(await text(page, '[data-k="reveal"]'), 'Reveal results R');

    // The keys dialog lists exactly what the keys do, from the same table.
    await press(page, '?');
    const rows = await el(page, 'dialog.help[open] tbody tr:not(:first-child)').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('kbd').textContent, tr.querySelector('td').textContent]));
    const listed = Object.fromEntries(rows);
    for (const [k, words] of [['S', 'Go to Score'], ['C', 'Go to Compare'], ['P', 'Go to Action plan'], ['O', 'Go to Saved work'],
      [', .', 'Previous or next round'], ['A', 'Capture: agreed level'], ['H', 'Capture: show of hands'], ['E', 'Capture: each person'],
      ['L', 'One domain at a time, or all of them'], ['R', 'Reveal or hide the results'], ['F', 'Present full screen, or leave it']]) {
      assert.equal(listed[k], words, `the dialog lists ${k}`);
    }
    assert.match(listed['T, then 1 – 5'], /^Set the domain’s target level, whatever its score/);
    assert.match(listed.N, /^Add a person/);
    assert.match(listed.I, /^Show or hide who rated what/);
    assert.equal(rows.length, 24, 'every key of the keymap, once');
    await press(page, '?');
    assert.equal(await el(page, 'dialog.help[open]').count(), 0);
    await finish(env);
  });
});

describe('Enter in a box adds what was typed and clears it', () => {
  test('the action plan, the initials of a new person, and an empty add said beside the box', async () => {
    const env = await fresh();
    const { page } = env;
    await press(page, 'p');
    const box = el(page, '[data-k="new-act:clarity:action"]');
    await box.click();
    await page.keyboard.type('Publish a who-does-what sheet');
    await press(page, 'Tab');
    await page.keyboard.type('Link lead');
    await press(page, 'Enter');
    assert.deepEqual((await doc(page)).actions, [{ domain: 'clarity', action: 'Publish a who-does-what sheet', owner: 'Link lead' }]);
    assert.equal(await box.inputValue(), '', 'the action box is cleared');
    assert.equal(await el(page, '[data-k="new-act:clarity:owner"]').inputValue(), '', 'and the owner box');
    assert.equal(await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.activeElement?.dataset.k), 'new-act:clarity:action', 'focus is back in the action box, for the next one');
    await press(page, 'Enter');
    assert.equal((await doc(page)).actions.length, 1, 'an empty Enter adds nothing');
    assert.equal(await text(page, '[data-k="act-note:clarity"]'), 'Type what will be done first, then Enter adds it.');
    assert.equal(await el(page, '.error').count(), 0, 'and shows no engine message');
    await page.keyboard.type('Termly network meeting');
    assert.equal(await text(page, '[data-k="act-note:clarity"]'), 'Enter in any box adds the action.', 'typing clears the note');
    await press(page, 'Enter');
    assert.equal((await doc(page)).actions.length, 2);
    // Esc leaves the box, and the keys work again. The compare table offers another action
    // for a domain that has one.
    await press(page, 'Escape');
    await press(page, 'r');
    await press(page, 'c');
    assert.equal(await el(page, '[data-k="plan:clarity"]').count(), 1);

    await press(page, 's');
    await press(page, 'n');
    await page.keyboard.type('AB');
    await press(page, 'Enter');
    assert.equal(await el(page, '[data-k="new-person-id"]').inputValue(), '', 'the initials box is cleared');
    await press(page, 'n');
    await page.keyboard.type('AB');
    await press(page, 'Enter');
    assert.equal(await text(page, '[data-k="person-note"]'), 'AB is already on the list: use other initials, or pick AB in the table.');
    assert.equal((await doc(page)).respondents.length, 1);
    await el(page, '[data-k="new-person-id"]').fill('');
    assert.equal(await el(page, '[data-k="new-person-id"]').getAttribute('placeholder'), 'r2');
    await el(page, '[data-k="new-person-id"]').press('Enter');
    await settle(page);
    assert.deepEqual((await doc(page)).respondents.map((r) => r.id), ['AB', 'r2'], 'empty initials take the code the box showed');
    await press(page, 'n');
    await press(page, 'Escape');
    assert.equal(await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.activeElement?.dataset.domainFocus), 'domain:0', 'Esc goes back to scoring');
    // A new round, under Saved work: Enter adds it and clears the box.
    await press(page, 'o');
    await el(page, '[data-k="new-round"]').click();
    await page.keyboard.type('Check-in');
    await press(page, 'Enter');
    assert.deepEqual((await doc(page)).rounds.map((r) => r.label), ['Baseline', 'Follow-up', 'Check-in']);
    assert.equal(await el(page, '[data-k="new-round"]').inputValue(), '');
    await finish(env);
  });
});

describe('hands by group', () => {
  test('education, mental health and others counted apart, the gap in each round and whether it narrowed', async () => {
    const env = await fresh();
    const { page } = env;
    await press(page, 'h');
    await press(page, 'g');
    assert.equal(await el(page, '[data-k="hands:education"]').getAttribute('aria-pressed'), 'true');
    await keys(page, ['4', '4', '3', '5']);
    await press(page, 'g');
    await keys(page, ['2', '2', '1']);
    await press(page, 'g');
    await keys(page, ['3']);
    const t = (await doc(page)).tallies.map(({ group, counts }) => [group, counts]);
    assert.deepEqual(t, [['education', [0, 0, 1, 2, 1]], ['mental-health', [1, 2, 0, 0, 0]], ['other', [0, 0, 1, 0, 0]]]);
    await press(page, 'r');
    // 4 education (mean 4) against 3 mental health (mean 5/3): the gap, exactly.
    assert.equal(await text(page, '.results [data-stat="perception-gap"] td'), '2.33: education rates it higher');
    assert.equal(await text(page, '.results tr[data-group-id="education"] td:nth-of-type(2)'), '4');
    // Follow-up: the two groups closer.
    await press(page, '.');
    await press(page, 'g');
    await press(page, 'g');
    assert.equal(await el(page, '[data-k="hands:education"]').getAttribute('aria-pressed'), 'true', 'the group counted carries over');
    await keys(page, ['4', '3', '3']);
    await press(page, 'g');
    await keys(page, ['3', '3', '2']);
    await press(page, 'r');
    await press(page, 'c');
    const row = '.view .perception-table tr[data-domain="clarity"]';
    assert.equal(await text(page, `${row} [data-stat="gap-from"]`), '2.33');
    assert.equal(await text(page, `${row} [data-stat="gap-to"]`), '0.67');
    assert.equal(await el(page, `${row} [data-stat="gap-change"]`).getAttribute('data-change'), 'narrowed');
    assert.equal(await text(page, `${row} [data-stat="gap-change"]`), '▼ Closer');
    assert.equal(await text(page, '.view [data-stat="gap-summary"]'), 'Education and mental health came closer in 1 of the 1 domain both groups rated at both workshops.');
    await finish(env);
  });
});

describe('hidden means hidden', () => {
  test('nothing on screen shows the spread before reveal: not the level cards, the domain tabs, the hands or the people', async () => {
    const env = await fresh();
    const { page } = env;
    await press(page, 'n');
    await page.keyboard.type('AB');
    await press(page, 'Enter');
    await press(page, '4');
    assert.equal(await el(page, 'fieldset.domain .level.checked').count(), 0, 'the card of the level given is not marked');
    assert.equal(await text(page, '[data-stat="person-state"]'), '· rated ✓ (hidden until you reveal)');
    assert.equal(await text(page, '[data-k="step:0"] .step-state'), '✓');
    assert.equal(await text(page, '[data-k="cell:AB:clarity"]'), '✓');
    assert.equal(await text(page, '[data-stat="so-far"]'), 'So far: 1 person rated');
    const status = await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('[role="status"]').textContent);
    assert.match(status, /AB: level 4/, 'the screen reader still hears the level');
    await press(page, 'r');
    assert.equal(await el(page, 'fieldset.domain .level.checked').count(), 0, 'revealed, a person’s level stays private');
    assert.equal(await text(page, '[data-k="step:0"] .step-state'), '✓');
    assert.equal(await text(page, '[data-k="cell:AB:clarity"]'), '✓');
    assert.equal(await text(page, '[data-stat="person-state"]'), '· rated ✓ (private: I shows who rated what)');
    await press(page, 'f');
    assert.equal(await text(page, '[data-k="cell:AB:clarity"]'), '✓', 'and in Present mode');
    await press(page, 'f');
    await press(page, 'i');
    assert.equal(await el(page, 'fieldset.domain .level.checked').count(), 1, 'shown by the facilitator, the card is marked');
    assert.equal(await text(page, '[data-k="step:0"] .step-state'), '4');
    assert.equal(await text(page, '[data-k="cell:AB:clarity"]'), '4');
    await press(page, 'i');
    await press(page, 'r');
    // Hands: while hidden each level shows a dot, never its count, and no button tells a zero.
    await press(page, 'h');
    await answer(page, 'keep');
    await keys(page, ['2', '2', '5']);
    const masked = await el(page, '.tally-row .count').allTextContents();
    assert.deepEqual(masked, ['•', '•', '•', '•', '•', '•']);
    assert.equal(await el(page, '.tally-row button[disabled]').count(), 0);
    assert.equal(await text(page, '[data-stat="hands"]'), '3 hands counted (levels hidden until you reveal)');
    const announced = await page.evaluate(() => document.querySelector('cascade-assessment').shadowRoot.querySelector('[role="status"]').textContent);
    assert.equal(announced, 'Clarity, Baseline: a hand counted', 'nor is the count read out');
    await press(page, 'r');
    assert.deepEqual(await el(page, '.tally-row input.count').evaluateAll((xs) => xs.map((x) => x.value)), ['0', '2', '0', '0', '1', '0']);
    await finish(env);
  });

  test('an agreed level with no votes says so instead of an empty chart', async () => {
    const env = await fresh();
    const { page } = env;
    await press(page, '3');
    assert.equal(await text(page, '[data-stat="so-far"]'), 'So far: agreed level 3');
    await press(page, 'r');
    assert.equal(await text(page, '[data-stat="no-votes"]'), 'No votes were counted for this domain in Baseline: the headline is the level the room agreed, 3.');
    assert.equal(await el(page, '.results .chart.distribution').count(), 0);
    assert.equal(await text(page, '.results [data-stat="headline-source"]'), 'agreed · no votes');
    await finish(env);
  });
});
