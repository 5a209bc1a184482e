// The page as a room sees it: on a projector at 1280x720 and 1920x1080 and on a 390x844
// phone, driven by the keys a facilitator presses. After every key the area, the round, the
// capture and the domain stay on screen; each person's levels and the people fit together;
// in Present mode a domain and its results fit one screen; no text anywhere (SVG text as
// drawn) is under 16 px at 1280x720, and it all scales with --cascade-font-size; the phone
// shows the domain first, one row of domains, tables that say they scroll, readable charts.
// Every measurement looks at all visible text, so new parts of a view are checked too.
// The tests of a group run side by side, each in its own browser context.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, open, close, load, settle, el, start, press, requireEngine, foreign } from './browser.mjs';
import { workshopDocument, useDocument, visibleText, smallest, onScreen } from './layout-kit.mjs';

requireEngine();

const PROJECTORS = [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }];
const PHONE = { width: 390, height: 844 };

let browser;
let server;

before(async () => {
  browser = await launch();
  server = await startServer({ csp: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page at this size with the workshop loaded, scoring Clarity at the baseline. */
async function workshop(viewport) {
  const env = await open(browser, { server, viewport });
  await load(env.page, server.url);
  await start(env.page, 'Northfield and Vale');
  await useDocument(env.page, workshopDocument());
  await settle(env.page);
  return env;
}

async function finish(env) {
  assert.deepEqual(foreign(env.seen, server.origin), [], 'no request may leave the origin');
  assert.deepEqual(env.seen.errors, [], 'no console or page errors');
  await close(env);
}

async function click(page, k) {
  await el(page, `[data-k="${k}"]`).first().click();
  await settle(page);
}

/**
 * What the room can see of the context: for each of area, round, capture and domain, whether
 * some part that says it is drawn inside the viewport (not hidden, not scrolled away).
 */
async function context(page) {
  return page.evaluate(() => {
    const root = document.querySelector('cascade-assessment').shadowRoot;
    const seen = (el) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && Number(s.opacity) > 0.5
        && r.top >= -1 && r.bottom <= innerHeight + 1 && r.left >= -1 && r.right <= innerWidth + 1;
    };
    const any = (sel) => [...root.querySelectorAll(sel)].some(seen);
    return {
      area: any('.bar .area-name') || any('.context-area'),
      round: any('[data-k^="round:"][aria-pressed="true"]') || any('.round-now'),
      capture: any('[data-k^="mode:"][aria-pressed="true"]'),
      domain: any('.stepper [aria-current="step"]'),
      scrollY: Math.round(scrollY),
    };
  });
}

function assertContext(ctx, where) {
  for (const part of ['area', 'round', 'capture', 'domain']) {
    assert.ok(ctx[part], `the ${part} is on screen ${where} (scrolled to ${ctx.scrollY}px)`);
  }
}

/** The smallest text in the element, SVG text as drawn, with the worst offenders named. */
async function smallestText(page) {
  const all = await visibleText(page);
  return { all: smallest(all), svg: smallest(all, (t) => t.svg), count: all.length, svgCount: all.filter((t) => t.svg).length };
}

describe('on a projector, the context stays on screen whatever is pressed', { concurrency: true }, () => {
  for (const viewport of PROJECTORS) {
    test(`${viewport.width}x${viewport.height}: every capture mode, level and domain keys`, { timeout: 120_000 }, async () => {
      const env = await workshop(viewport);
      const { page } = env;
      const keys = ['3', 'ArrowRight', '5', 'ArrowRight', 'ArrowRight', '1', 'ArrowDown', '4', 'ArrowLeft', 'u', 'ArrowRight', 'ArrowRight', 'ArrowRight', '2', 'r', '5', 'ArrowLeft', 'r'];
      for (const mode of ['agreed', 'tally', 'respondents']) {
        await click(page, `mode:${mode}`);
        await click(page, 'step:0');
        assertContext(await context(page), `in ${mode} mode`);
        for (const key of keys) {
          await press(page, key);
          assertContext(await context(page), `after ${key} in ${mode} mode`);
        }
        // And after the facilitator scrolls down to the last level by hand.
        await page.mouse.wheel(0, 2000);
        await settle(page);
        assertContext(await context(page), `scrolled down in ${mode} mode`);
        await press(page, 'ArrowRight');
        assertContext(await context(page), `scrolled down, then a domain key, in ${mode} mode`);
      }
      // All seven at once, the same.
      await click(page, 'layout:all');
      for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', '3', 'ArrowDown', 'ArrowDown', '2']) {
        await press(page, key);
        assertContext(await context(page), `after ${key} with all seven on show`);
      }
      // The context takes little of the screen once it is stuck at the top.
      await page.mouse.wheel(0, 3000);
      await settle(page);
      const height = await page.evaluate(() => {
        const c = document.querySelector('cascade-assessment').shadowRoot.querySelector('.score-context');
        return c.getBoundingClientRect().height;
      });
      assert.ok(height <= viewport.height * 0.15, `the context is ${Math.round(height)}px high, 15% of the screen at most`);
      await finish(env);
    });
  }

  test('1280x720, each person: the levels and the people fit on one screen together', { timeout: 60_000 }, async () => {
    const env = await workshop(PROJECTORS[0]);
    const { page } = env;
    await click(page, 'mode:respondents');
    await click(page, 'step:0');
    // The facilitator scrolls the levels up under the context once; then only keys.
    await page.mouse.wheel(0, 300);
    await settle(page);
    for (const key of ['2', ']', '4', 'ArrowRight', '3', ']', '1', 'ArrowLeft', '[']) {
      await press(page, key);
      const levels = await onScreen(page, 'fieldset.domain.full .levels:not(.extras) .level');
      const person = await onScreen(page, '.people-table tr.current');
      assertContext(await context(page), `after ${key}`);
      assert.ok(levels.found && levels.inside, `all five levels on screen after ${key}: ${JSON.stringify(levels)}`);
      assert.ok(person.found && person.inside, `the person scoring on screen after ${key}: ${JSON.stringify(person)}`);
    }
    await finish(env);
  });
});

describe('Present mode fits a domain, and its results once revealed, on one screen', { concurrency: true }, () => {
  for (const viewport of PROJECTORS) {
    test(`${viewport.width}x${viewport.height}: F, then R, through all seven domains`, { timeout: 120_000 }, async () => {
      const env = await workshop(viewport);
      const { page } = env;
      const before = (await smallestText(page)).all.px;
      await press(page, 'f');
      assert.equal(await el(page, '.app.presenting').count(), 1);
      const fits = async (where, revealed, whole = true) => {
        const levels = await onScreen(page, 'fieldset.domain.full :is(.level, .tally-row)');
        assert.ok(levels.inside, `every level card, the fifth too, on screen ${where}: ${JSON.stringify(levels)}`);
        if (revealed) {
          for (const part of ['.results', '.results .stats', '.results .chart svg', '.results table.groups']) {
            const box = await onScreen(page, part);
            assert.ok(box.found && box.inside, `${part} on screen ${where}: ${JSON.stringify(box)}`);
          }
        }
        if (whole) {
          const scroll = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
          assert.ok(scroll <= 1, `nothing below the screen ${where} (${scroll}px more)`);
        }
        assertContext(await context(page), where);
      };
      await fits('before reveal', false);
      const enlarged = (await smallestText(page)).all.px;
      assert.ok(enlarged > before * 1.05, `Present mode enlarges the text: smallest ${before}px before, ${enlarged}px presenting`);
      for (let i = 0; i < 7; i++) {
        await press(page, 'ArrowRight');
        await fits(`hidden, domain ${(i + 1) % 7 + 1}`, false);
      }
      await press(page, 'r');
      for (let i = 0; i < 7; i++) {
        await fits(`revealed, domain ${i + 1}`, true);
        const sizes = await smallestText(page);
        assert.ok(sizes.all.px >= 16, `text presenting is at least 16px, domain ${i + 1}: ${sizes.all.worst.join('; ')}`);
        await press(page, 'ArrowRight');
      }
      // A show of hands and each person, revealed: the levels and the results on one screen
      // (the people, if shown at all, come below).
      for (const mode of ['tally', 'respondents']) {
        await press(page, 'f');
        await click(page, `mode:${mode}`);
        await click(page, 'step:0');
        await press(page, 'f');
        await fits(`${mode}, revealed`, true, mode === 'tally');
      }
      await finish(env);
    });
  }

  test('no "Download SVG" button in Present mode', { timeout: 60_000 }, async () => {
    const env = await workshop(PROJECTORS[0]);
    const { page } = env;
    await press(page, 'r');
    await click(page, 'view:compare');
    assert.ok(await el(page, '[data-k^="svg:"]').first().isVisible(), 'the buttons are there outside Present mode');
    await press(page, 'f');
    const shown = await el(page, '[data-k^="svg:"]').evaluateAll((bs) => bs.filter((b) => b.getClientRects().length > 0).length);
    assert.equal(shown, 0, 'no download button shows while presenting');
    await finish(env);
  });
});

describe('text a room can read', { concurrency: true }, () => {
  test('1280x720: nothing under 16px in any view, SVG text as drawn, and all of it scales', { timeout: 120_000 }, async () => {
    const env = await workshop(PROJECTORS[0]);
    const { page } = env;
    const views = [];
    const measure = async (name) => {
      const sizes = await smallestText(page);
      views.push([name, sizes]);
      assert.ok(sizes.count > 20, `${name}: text found (${sizes.count} pieces)`);
      assert.ok(sizes.all.px >= 16, `${name}: the smallest text is ${sizes.all.px}px: ${sizes.all.worst.join('; ')}`);
    };
    await measure('score, agreed, hidden');
    await click(page, 'mode:tally');
    await measure('score, show of hands');
    await click(page, 'mode:respondents');
    await measure('score, each person');
    await press(page, 'r');
    await measure('score, each person, revealed');
    await click(page, 'mode:agreed');
    await measure('score, revealed');
    const chart = views.at(-1)[1].svg;
    assert.ok(chart.px >= 16, `the distribution chart's text is drawn at ${chart.px}px: ${chart.worst.join('; ')}`);
    await click(page, 'layout:all');
    await measure('all seven, revealed');
    await click(page, 'layout:one');
    await click(page, 'view:compare');
    await measure('compare');
    const charts = views.at(-1)[1].svg;
    assert.ok(charts.px >= 16 && views.at(-1)[1].svgCount > 50, `compare charts' text is drawn at ${charts.px}px: ${charts.worst.join('; ')}`);
    await click(page, 'view:plan');
    await measure('action plan');
    await click(page, 'view:files');
    await measure('saved work');
    await click(page, 'view:score');
    await press(page, 'f');
    await measure('present, revealed');

    // A house size set on the element scales every text in proportion, and charts with it
    // while they have the room (a column caps a chart's width).
    await press(page, 'f');
    await click(page, 'view:compare');
    const at = async (size) => {
      await page.evaluate((s) => document.querySelector('cascade-assessment').style.setProperty('--cascade-font-size', s), size);
      await settle(page);
      const all = await visibleText(page);
      return { html: smallest(all, (t) => !t.svg).px, svg: smallest(all, (t) => t.svg).px };
    };
    const small = await at('15px');
    const large = await at('18px');
    assert.ok(Math.abs(large.html / small.html - 1.2) < 0.02, `the smallest text grows with --cascade-font-size: ${small.html}px at 15px, ${large.html}px at 18px`);
    assert.ok(Math.abs(large.svg / small.svg - 1.2) < 0.02, `chart text grows with it: ${small.svg}px at 15px, ${large.svg}px at 18px`);
    assert.ok(Math.abs(small.svg - 15) < 0.2, `chart text is drawn at the size of the words around it: ${small.svg}px in 15px text`);
    await page.evaluate(() => document.querySelector('cascade-assessment').style.removeProperty('--cascade-font-size'));
    console.log(`# smallest text at 1280x720: ${views.map(([n, s]) => `${n} ${s.all.px}px${s.svgCount ? ` (svg ${s.svg.px}px)` : ''}`).join(', ')}`);
    await finish(env);
  });

  test('1280x720, all seven: level labels whole, and the owner of an action readable', { timeout: 60_000 }, async () => {
    const env = await workshop(PROJECTORS[0]);
    const { page } = env;
    await click(page, 'layout:all');
    for (const mode of ['agreed', 'respondents']) {
      await click(page, `mode:${mode}`);
      const cut = await page.evaluate(() => [...document.querySelector('cascade-assessment').shadowRoot.querySelectorAll('fieldset.compact .level-label')]
        .filter((l) => {
          // Whole: no word broken across lines ("Developin" / "g"), none sticking out of its card.
          const box = l.closest('.level').getBoundingClientRect();
          const node = l.firstChild;
          const words = [...node.nodeValue.matchAll(/\S+/g)];
          return words.some((m) => {
            const r = document.createRange();
            r.setStart(node, m.index);
            r.setEnd(node, m.index + m[0].length);
            const rects = [...r.getClientRects()].filter((x) => x.width > 0.5);
            return rects.length !== 1 || rects[0].right > box.right - 1;
          });
        }).map((l) => l.textContent));
      assert.deepEqual(cut, [], `level labels cut or broken in ${mode} mode`);
    }
    await click(page, 'view:plan');
    const widths = await page.evaluate(() => {
      const root = document.querySelector('cascade-assessment').shadowRoot;
      const w = (sel) => root.querySelector(sel).getBoundingClientRect().width;
      return { what: w('[data-k="act:0:action"]'), owner: w('[data-k="act:0:owner"]'), due: w('[data-k="act:0:due"]'), fs: parseFloat(getComputedStyle(root.querySelector('.app')).fontSize) };
    });
    assert.ok(widths.owner >= 8 * widths.fs, `the owner's box is ${Math.round(widths.owner)}px, room for a name or a team`);
    assert.ok(widths.what >= widths.owner, `the action's box (${Math.round(widths.what)}px) is the widest`);
    const spill = await el(page, '.actions-table').evaluateAll((ts) => ts.map((t) => ({
      wrap: t.closest('.table-wrap').scrollWidth - t.closest('.table-wrap').clientWidth,
      cells: [...t.querySelectorAll('td > *')].filter((c) => c.getBoundingClientRect().right > c.closest('td').getBoundingClientRect().right + 1).map((c) => c.dataset.k),
    })));
    assert.equal(spill.length, 2, 'two domains have actions');
    for (const s of spill) assert.deepEqual(s, { wrap: 0, cells: [] }, 'the action list fits: no box sticks out of its column');
    await finish(env);
  });
});

describe('a phone', { concurrency: true }, () => {
  test('390x844: the domain and its levels first, one row of domains, tables that say they scroll, readable charts', { timeout: 90_000 }, async () => {
    const env = await workshop(PHONE);
    const { page } = env;
    await page.evaluate(() => scrollTo(0, 0));
    await settle(page);
    // The first screen: the domain's title and its first levels, before any other control.
    const legend = await onScreen(page, 'fieldset.domain.full > legend');
    const first = await onScreen(page, 'fieldset.domain.full .levels:not(.extras) > .level:first-child');
    assert.ok(legend.inside, `the domain's title is on the first screen: ${JSON.stringify(legend)}`);
    assert.ok(first.inside, `its first level is on the first screen: ${JSON.stringify(first)}`);
    const below = await page.evaluate(() => {
      const root = document.querySelector('cascade-assessment').shadowRoot;
      const levels = root.querySelector('fieldset.domain.full .levels').getBoundingClientRect().top;
      return [...root.querySelectorAll('[data-k^="mode:"], [data-k^="round:"], [data-k^="layout:"], [data-k^="target:"]')]
        .filter((b) => b.getBoundingClientRect().top < levels).map((b) => b.dataset.k);
    });
    assert.deepEqual(below, [], 'round, capture, layout and target come after the levels');
    // One row of seven domains: no tab alone on a second line.
    const tops = await el(page, '.stepper li').evaluateAll((lis) => [...new Set(lis.map((li) => Math.round(li.getBoundingClientRect().top)))]);
    assert.equal(tops.length, 1, `the domains sit in one row (rows at ${tops.join(', ')})`);
    // The stepper stays on screen while scrolling through the levels.
    await press(page, 'ArrowRight');
    await page.mouse.wheel(0, 600);
    await settle(page);
    assert.ok((await onScreen(page, '.stepper [aria-current="step"]')).inside, 'the current domain stays on screen');

    // A table wider than the phone says so, and one that fits says nothing.
    const hint = (sel) => page.evaluate((s) => {
      const wrap = document.querySelector('cascade-assessment').shadowRoot.querySelector(s)?.closest('.table-wrap');
      if (!wrap) return null;
      const after = getComputedStyle(wrap, '::after');
      return { scrolls: wrap.scrollWidth > wrap.clientWidth + 1, text: after.content, opacity: Number(after.opacity), height: parseFloat(after.height) };
    }, sel);
    await click(page, 'mode:respondents');
    const people = await hint('.people-table');
    assert.ok(people.scrolls, 'the people table is wider than a phone');
    assert.ok(people.opacity > 0.9 && people.height > 10 && /Scroll sideways/.test(people.text), `the people table says it scrolls: ${JSON.stringify(people)}`);
    await press(page, 'r');
    await click(page, 'view:compare');
    const change = await hint('.change-table');
    assert.ok(change.scrolls && change.opacity > 0.9 && change.height > 10, `the compare table says it scrolls: ${JSON.stringify(change)}`);
    // Scrolled to its end, the hint goes.
    await el(page, '.change-table').evaluate((t) => { const w = t.closest('.table-wrap'); w.scrollLeft = w.scrollWidth; });
    await settle(page);
    assert.ok((await hint('.change-table')).opacity < 0.1, 'at the end of the table the hint has gone');
    // Charts are readable: text drawn at 12px or more.
    const compare = await smallestText(page);
    assert.ok(compare.svgCount > 50 && compare.svg.px >= 12, `compare charts' text on a phone is ${compare.svg.px}px: ${compare.svg.worst.join('; ')}`);
    await click(page, 'view:score');
    await click(page, 'mode:agreed');
    const results = await smallestText(page);
    assert.ok(results.svgCount > 5 && results.svg.px >= 12, `the distribution chart's text on a phone is ${results.svg.px}px: ${results.svg.worst.join('; ')}`);
    // No sideways scrolling of the page itself.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await finish(env);
  });

  test('1920x1080: a table that fits shows no hint', { timeout: 60_000 }, async () => {
    const env = await workshop(PROJECTORS[1]);
    const { page } = env;
    await press(page, 'r');
    await click(page, 'view:compare');
    const h = await el(page, '.change-table').evaluate((t) => {
      const w = t.closest('.table-wrap');
      const after = getComputedStyle(w, '::after');
      return { scrolls: w.scrollWidth > w.clientWidth + 1, opacity: Number(after.opacity), height: parseFloat(after.height) };
    });
    assert.ok(!h.scrolls && h.opacity === 0 && !(h.height > 0), `no hint when the table fits: ${JSON.stringify(h)}`);
    await finish(env);
  });
});
