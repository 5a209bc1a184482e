// A browser too old for the element, played by Chromium with the newest features the
// element needs taken away before any script runs: in place of the assessment, a message
// that says so and what to do (announced), a cascade-error with code engine-unsupported, a
// rejected `ready`; never a blank box or a half-working page. On the facilitator page and on
// an embedding page under the README's policy.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, EMBED_CSP, WWW } from './server.mjs';
import { launch, requireEngine } from './browser.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);

requireEngine();

let browser;
let server;

before(async () => {
  browser = await launch();
  server = await startServer({
    root: path.join(here, 'fixtures/site'),
    mounts: { '/vendor/cascade-widget/': process.env.CASCADE_WIDGET_DIR ?? WWW, '/app/': WWW },
    csp: EMBED_CSP,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Safari 15.3's generation, roughly: no Object.hasOwn, no Array.prototype.findLast. */
function older() {
  delete Object.hasOwn;
  delete Array.prototype.findLast;
  window.__testEvents = [];
  document.addEventListener('cascade-error', (e) => window.__testEvents.push(e.detail));
}

/** An engine of before bulk memory (Safari 14): WebAssembly that cannot validate the engine's features. */
function olderWasm() {
  WebAssembly.validate = () => false;
  window.__testEvents = [];
  document.addEventListener('cascade-error', (e) => window.__testEvents.push(e.detail));
}

async function visit(url, init) {
  const context = await browser.newContext();
  await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(new URL(url, server.url).href);
  await page.waitForSelector('cascade-assessment [role="alert"]');
  const shown = await page.evaluate(async () => {
    const el = document.querySelector('cascade-assessment');
    const alert = el.shadowRoot.querySelector('[role="alert"]');
    let rejected = null;
    await el.ready.catch((e) => { rejected = e.code; });
    await new Promise((r) => setTimeout(r, 100));
    return {
      code: alert.dataset.code, title: alert.querySelector('h2').textContent, text: alert.textContent,
      height: alert.getBoundingClientRect().height, border: getComputedStyle(alert).borderTopStyle,
      rejected, events: window.__testEvents.map((e) => e.code),
    };
  });
  await context.close();
  return { shown, errors };
}

describe('a browser too old for the element', () => {
  for (const [name, init, lacks] of [['without Object.hasOwn and findLast', older, /lacks Object\.hasOwn, Array\.prototype\.findLast/], ['whose WebAssembly has no bulk memory', olderWasm, /lacks WebAssembly bulk memory/]]) {
    test(`${name}: the message on an embedding page and on the facilitator page`, { timeout: 60_000 }, async () => {
      for (const url of ['strict.html', 'app/']) {
        const { shown, errors } = await visit(url, init);
        assert.equal(shown.code, 'engine-unsupported', url);
        assert.equal(shown.title, 'This browser is too old for the self-assessment');
        assert.match(shown.text, /up-to-date Edge, Chrome, Firefox or Safari/);
        assert.match(shown.text, /iPadOS 16 or later/);
        assert.match(shown.text, lacks);
        assert.ok(shown.height > 100, `the message is shown, not a blank box (${shown.height}px)`);
        assert.equal(shown.border, 'solid', 'styled as the element\'s own messages (its stylesheet loaded)');
        assert.equal(shown.rejected, 'engine-unsupported');
        assert.deepEqual(shown.events, ['engine-unsupported']);
        assert.deepEqual(errors, [], `${url}: no error besides the message`);
      }
    });
  }
});
