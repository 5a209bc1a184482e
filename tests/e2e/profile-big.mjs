// Scratch profiler: a 5,000-respondent import, paging, finding and a key press, with the
// CPU profile folded per function (inclusive ms) inside each long task.
import { startServer, CSP } from './server.mjs';
import { launch, load, settle, el } from './browser.mjs';

const server = await startServer({ csp: CSP });
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
const page = await context.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await load(page, server.url);
await page.evaluate(() => document.querySelector('cascade-assessment').addEventListener('cascade-error', (e) => console.log('cascade-error', e.detail.code, e.detail.message)));
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });

await page.evaluate((people) => {
  const C = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'];
  const rows = ['area,round,respondent,group,domain,level'];
  for (const round of ['baseline', 'followup']) for (let p = 0; p < people; p++) for (let d = 0; d < 7; d++) rows.push(`Vale,${round},p${p},education,${C[d]},${1 + ((p + d) % 5)}`);
  window.__file = new File([`${rows.join('\n')}\n`], 'five.csv', { type: 'text/csv' });
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask' });
}, 5000);

async function phase(name, run) {
  await page.evaluate(() => { window.__long = []; });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await run();
  const took = Date.now() - t0;
  const { profile } = await cdp.send('Profiler.stop');
  const long = await page.evaluate(() => window.__long);
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]));
  await page.evaluate(() => performance.clearMarks());
  console.log(`\n== ${name}: ${took} ms; long tasks ${JSON.stringify(long)}`);
  if (marks.length) console.log('marks', JSON.stringify(marks));
  report(profile, long);
}

function report(profile, long) {
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

await phase('import', async () => {
  await page.evaluate(() => {
    const input = document.querySelector('cascade-assessment').shadowRoot.querySelector('[data-k="start-import"]');
    const dt = new DataTransfer();
    dt.items.add(window.__file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector('cascade-assessment .people-table', { timeout: 120_000 });
  await settle(page);
  await page.waitForTimeout(1000);
});
await phase('next page', async () => {
  await el(page, '[data-k="people-next"]').click();
  await settle(page);
});
await phase('find', async () => {
  await el(page, '[data-k="people-find"]').fill('p4321');
  await el(page, '[data-k="people-find"]').press('Enter');
  await settle(page);
});
await page.evaluate(() => document.activeElement.blur());
for (const k of ['3', '4', 'ArrowDown', '2']) {
  await phase(`key ${k}`, async () => {
    const t = await page.evaluate((key) => new Promise((r) => {
      const t0 = performance.now();
      document.querySelector('cascade-assessment').dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
      requestAnimationFrame(() => setTimeout(() => r(performance.now() - t0), 0));
    }), k);
    console.log(`key ${k} to after paint: ${t.toFixed(0)} ms`);
    await page.waitForTimeout(500);
  });
}
await browser.close();
await server.close();
