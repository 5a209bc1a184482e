// Measures a big assessment in the page (not a test): a tidy CSV of PEOPLE respondents (all
// seven domains at two rounds) imported, a page of the people table turned, a person found,
// and key presses, in RUNS fresh browser contexts. Prints each run's long tasks (over 50 ms)
// per step and each key press's time from keydown to its render done (shown) and to the page
// idle again after that frame's paint and the save (idle), then the median and worst of each. With --profile, also Chromium's CPU profile
// of each step, folded per function (inclusive and self milliseconds), which is how the time
// was found (DESIGN.md, "Why a key press in a big assessment re-reads nothing").
//
//   node e2e/measure-big.mjs [--people 5000] [--runs 5] [--profile]   (from tests/)

import { startServer, CSP } from './server.mjs';
import { launch, load, settle, el, requireEngine } from './browser.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const PEOPLE = arg('people', 5000);
const RUNS = arg('runs', 5);
const PROFILE = process.argv.includes('--profile');

requireEngine();
const server = await startServer({ csp: CSP });
const browser = await launch();
const runs = [];

async function run() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await load(page, server.url);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await page.evaluate((people) => {
    const C = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'];
    const rows = ['area,round,respondent,group,domain,level'];
    for (const round of ['baseline', 'followup']) for (let p = 0; p < people; p++) for (let d = 0; d < 7; d++) rows.push(`Vale,${round},p${p},education,${C[d]},${1 + ((p + d) % 5)}`);
    window.__file = new File([`${rows.join('\n')}\n`], 'big.csv', { type: 'text/csv' });
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
  }, PEOPLE);
  const out = { steps: {}, keys: [] };
  const step = async (name, body) => {
    await page.evaluate(() => { window.__long = []; });
    if (PROFILE) await cdp.send('Profiler.start');
    const t0 = Date.now();
    const extra = await body();
    const took = Date.now() - t0;
    await page.waitForTimeout(400);
    out.steps[name] = { ms: took, long: await page.evaluate(() => window.__long) };
    if (PROFILE) {
      const { profile } = await cdp.send('Profiler.stop');
      console.log(`\n== ${name}: ${took} ms; long tasks ${JSON.stringify(out.steps[name].long)}`);
      report(profile);
    }
    return extra;
  };
  await step('import', async () => {
    await page.evaluate(() => {
      const input = document.querySelector('cascade-assessment').shadowRoot.querySelector('[data-k="start-import"]');
      const dt = new DataTransfer();
      dt.items.add(window.__file);
      input.files = dt.files;
      input.dispatchEvent(new Event('change'));
    });
    await page.waitForSelector('cascade-assessment .people-table', { timeout: 120_000 });
    await settle(page);
  });
  out.saved = (await el(page, '[data-k="save-status"]').count()) === 0;
  await step('next page', async () => {
    await el(page, '[data-k="people-next"]').click();
    await settle(page);
  });
  await step('find', async () => {
    await el(page, '[data-k="people-find"]').fill(`p${PEOPLE - 7}`);
    await el(page, '[data-k="people-find"]').press('Enter');
    await settle(page);
  });
  await page.evaluate(() => document.activeElement.blur());
  for (const key of ['3', '4', '2', 'ArrowDown', '5']) {
    await step(`key ${key}`, async () => {
      // shown: the key's handler and the element's render (its requestAnimationFrame runs
      // before this one); idle: after that frame's paint and the tasks queued by then (the
      // save of the change among them).
      const t = await page.evaluate((k) => new Promise((resolve) => {
        const host = document.querySelector('cascade-assessment');
        const t0 = performance.now();
        host.dispatchEvent(new KeyboardEvent('keydown', { key: k, code: /^\d$/.test(k) ? `Digit${k}` : k, bubbles: true, composed: true }));
        requestAnimationFrame(() => {
          const shown = performance.now() - t0;
          setTimeout(() => resolve({ shown, idle: performance.now() - t0 }), 0);
        });
      }), key);
      out.keys.push({ key, shown: Math.round(t.shown), idle: Math.round(t.idle) });
    });
  }
  await context.close();
  return out;
}

function report(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // sample times in ms relative to performance.now()? profile.startTime is in µs (monotonic).
  let t = profile.startTime;
  const samples = profile.samples.map((id, i) => { t += profile.timeDeltas[i]; return [id, t]; });
  const dt = (i) => (i + 1 < samples.length ? samples[i + 1][1] - samples[i][1] : 0) / 1000;
  const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  const total = new Map();
  const self = new Map();
  samples.forEach(([id], i) => {
    const d = dt(i);
    const seen = new Set();
    let cur = id;
    const leaf = byId.get(id);
    if (['(idle)', '(program)', '(garbage collector)'].includes(leaf.callFrame.functionName)) {
      self.set(leaf.callFrame.functionName, (self.get(leaf.callFrame.functionName) ?? 0) + d);
      if (leaf.callFrame.functionName !== '(garbage collector)') return;
    } else self.set(name(leaf), (self.get(name(leaf)) ?? 0) + d);
    while (cur !== undefined) {
      const nm = name(byId.get(cur));
      if (!seen.has(nm)) { seen.add(nm); total.set(nm, (total.get(nm) ?? 0) + d); }
      cur = parent.get(cur);
    }
  });
  const top = (m, k) => [...m].filter(([n]) => !n.startsWith('(root)') && !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, v]) => `${v.toFixed(0).padStart(6)}  ${n}`).join('\n');
  console.log('-- inclusive\n' + top(total, 40));
  console.log('-- self\n' + top(self, 25));
}

try {
  for (let i = 0; i < RUNS; i++) {
    const r = await run();
    runs.push(r);
    console.log(`run ${i + 1}: ${JSON.stringify(r)}`);
  }
  const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor((s.length - 1) / 2)], worst: s[s.length - 1] };
  };
  const worstLong = (name) => stat(runs.map((r) => Math.max(0, ...r.steps[name].long)));
  const keySteps = Object.keys(runs[0].steps).filter((n) => n.startsWith('key'));
  console.log(JSON.stringify({
    people: PEOPLE,
    runs: RUNS,
    saved: runs.map((r) => r.saved),
    import_ms: stat(runs.map((r) => r.steps.import.ms)),
    longest_task_ms: {
      import: worstLong('import'),
      paging: worstLong('next page'),
      finding: worstLong('find'),
      keys: stat(runs.map((r) => Math.max(0, ...keySteps.flatMap((n) => r.steps[n].long)))),
    },
    key_shown_ms: stat(runs.flatMap((r) => r.keys.map((k) => k.shown))),
    key_idle_after_ms: stat(runs.flatMap((r) => r.keys.map((k) => k.idle))),
  }, null, 2));
} finally {
  await browser.close();
  await server.close();
}
