// www/embed.html as a web administrator uses it, in Chromium: every snippet has a copy
// button that copies exactly the snippet, and every snippet is complete: pasted alone into a
// page of a site that has the widget's folder at /assets/cascade-widget/, served with the
// policy the page's own snippet gives, it runs (ready, no error, no request off the site).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, WWW } from './server.mjs';
import { launch, foreign, requireEngine } from './browser.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const EXAMPLE = path.resolve(here, '../fixtures/example-assessment.json');

requireEngine();

let browser;
let server;
let snippets;

before(async () => {
  browser = await launch();
  server = await startServer({ csp: false });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the embed page, www/embed.html', () => {
  test('every snippet has a copy button that copies exactly its text', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const page = await context.newPage();
    await page.goto(new URL('embed.html', server.url).href);
    snippets = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('pre[id^="code-"]')].map((p) => [p.id, p.textContent])));
    const buttons = await page.locator('button[data-copy]').evaluateAll((all) => all.map((b) => b.dataset.copy));
    assert.deepEqual(buttons.sort(), Object.keys(snippets).sort(), 'one copy button per snippet');
    assert.ok(buttons.length >= 14, `every option has a snippet (${buttons.length})`);
    for (const id of ['code-two-lines', 'code-iis', 'code-results-js']) {
      await page.locator(`button[data-copy="${id}"]`).click();
      await page.waitForFunction((b) => document.querySelector(`button[data-copy="${b}"]`).textContent === 'Copied', id);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippets[id], `${id} copied as shown`);
      assert.equal(await page.locator('#copy-status').textContent(), 'Copied');
    }
    // Where the clipboard is refused, the snippet is selected instead, and the page says so.
    const refused = await browser.newContext();
    const other = await refused.newPage();
    await other.goto(new URL('embed.html', server.url).href);
    await other.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); });
    await other.locator('button[data-copy="code-csp"]').click();
    await other.waitForFunction(() => document.querySelector('#copy-status').textContent !== '');
    assert.equal(await other.locator('#copy-status').textContent(), 'Selected: press Ctrl+C (or ⌘C) to copy');
    assert.equal(await other.evaluate(() => getSelection().toString()), snippets['code-csp']);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
    await refused.close();
    await context.close();
  });

  test('every HTML snippet, pasted alone into a page under the snippet\'s policy, runs', { timeout: 120_000 }, async () => {
    assert.ok(snippets, 'the first test read the snippets');
    const policy = snippets['code-csp'].replace(/^Content-Security-Policy:\s*/, '');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-snippets-'));
    fs.mkdirSync(path.join(dir, 'js'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'js/show-results.js'), snippets['code-results-js']);
    fs.copyFileSync(EXAMPLE, path.join(dir, 'data/riverside-cascade.json'));
    fs.copyFileSync(path.join(WWW, 'icon.svg'), path.join(dir, 'favicon.ico')); // browsers ask for it
    const html = ['code-two-lines', 'code-fallback', 'code-rounds', 'code-results-html', 'code-read-only', 'code-two', 'code-page-keys'];
    for (const id of html) {
      fs.writeFileSync(path.join(dir, `${id}.html`), `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${id}</title></head><body>\n${snippets[id]}\n</body></html>\n`);
    }
    const site = await startServer({ root: dir, mounts: { '/assets/cascade-widget/': process.env.CASCADE_WIDGET_DIR ?? WWW }, csp: policy });
    try {
      for (const id of html) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors = [];
        const requests = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        context.on('request', (r) => requests.push(r.url()));
        await page.goto(new URL(`${id}.html`, site.url).href);
        await page.waitForFunction(() => {
          const all = [...document.querySelectorAll('cascade-assessment')];
          return all.length > 0 && all.every((e) => e.hasAttribute('ready'));
        }, null, { timeout: 20_000 });
        const facts = await page.evaluate(() => [...document.querySelectorAll('cascade-assessment')].map((e) => ({
          mode: e.getAttribute('mode') ?? 'score', area: e.getDocument()?.area ?? null, rounds: e.getDocument()?.rounds.map((r) => r.label) ?? null,
        })));
        if (id === 'code-rounds') assert.deepEqual(facts[0].rounds, ['Autumn', 'Spring', 'Summer']);
        if (id === 'code-results-html' || id === 'code-read-only') {
          await page.waitForFunction(() => document.querySelector('cascade-assessment').getDocument()?.area === 'Example Vale');
        }
        if (id === 'code-two') assert.deepEqual(facts.map((f) => f.area), ['North cluster', 'South cluster']);
        assert.deepEqual(errors, [], `${id}: no error`);
        assert.deepEqual(foreign({ requests }, site.origin), [], `${id}: nothing from elsewhere`);
        await context.close();
      }
      assert.ok(site.requests.every((r) => r.status === 200), JSON.stringify(site.requests.filter((r) => r.status !== 200)));
    } finally {
      await site.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
