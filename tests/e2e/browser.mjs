// Shared set-up for the browser tests and the measurement script: Debian's Chromium driven
// by playwright-core (no browser is ever downloaded), a page that records every request,
// console error and page error, and helpers to reach into <cascade-assessment>.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer, WWW } from './server.mjs';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const AXE = require.resolve('axe-core/axe.min.js');
export const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/contract');

/** Stops with a clear message when the engine has not been built into www/pkg/ (or CASCADE_PKG_DIR). */
export function requireEngine() {
  const dir = process.env.CASCADE_PKG_DIR ?? path.join(WWW, 'pkg');
  if (!fs.existsSync(path.join(dir, 'cascade_wasm.js')) || !fs.existsSync(path.join(dir, 'cascade_wasm_bg.wasm'))) {
    throw new Error(`${process.env.CASCADE_PKG_DIR ?? 'www/pkg'}/ has no engine: run \`cargo xtask wasm\` first (it builds crates/cascade-wasm into www/pkg/)`);
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A server, a browser context and a page, with everything the page asks the network for
 * and every console or page error recorded.
 */
export async function open(browser, { csp = true, viewport = { width: 1280, height: 720 }, serviceWorkers = 'block', server } = {}) {
  const srv = server ?? await startServer({ csp, files: { '/__test/axe.min.js': AXE } });
  const context = await browser.newContext({ viewport, serviceWorkers, acceptDownloads: true });
  const page = await context.newPage();
  const seen = { requests: [], errors: [] };
  context.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => {
    // axe-core itself sets inline styles while it checks contrast, which the page's CSP
    // refuses and reports; that is the test tool, not the page.
    if (m.type() === 'error' && !m.location()?.url?.includes('/__test/axe.min.js')) seen.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.errors.push(`page: ${e.message}`));
  return { server: srv, context, page, seen, ownServer: !server };
}

export async function close(env) {
  await env.context.close();
  if (env.ownServer) await env.server.close();
}

/** Goes to the page and waits until the element says it is ready. */
export async function load(page, url) {
  await page.goto(url);
  await page.waitForSelector('cascade-assessment[ready]', { timeout: 20_000 });
  await settle(page);
}

/** Waits until the element has painted whatever the last change asked for. */
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Playwright's locators pierce open shadow roots, so a CSS selector is enough. */
export function el(page, selector) {
  return page.locator(`cascade-assessment ${selector}`);
}

export async function text(page, selector) {
  return (await el(page, selector).first().textContent())?.trim();
}

/** Requests that went anywhere but the test server. */
export function foreign(seen, origin) {
  return seen.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

/** Runs axe-core inside the page on the element and returns its violations. */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Served by the test server from node_modules, so that it loads under the page's CSP.
    await page.addScriptTag({ url: new URL('/__test/axe.min.js', page.url()).href });
  }
  return page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('cascade-assessment'), {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
}

/** Fills the start form and starts scoring. */
export async function start(page, area, rounds) {
  await el(page, '[data-k="start-area"]').fill(area);
  if (rounds) {
    for (let i = 2; i < rounds.length; i++) await el(page, '[data-k="start-add-round"]').click();
    for (let i = 0; i < rounds.length; i++) await el(page, `[data-k="start-round:${i}"]`).fill(rounds[i]);
  }
  await el(page, '[data-k="start-go"]').click();
  await page.waitForSelector('cascade-assessment fieldset.domain');
  await settle(page);
}

export async function press(page, key) {
  await page.keyboard.press(key);
  await settle(page);
}

/** How the page writes a statistic: at most two decimals, a real minus sign, `–` for none. */
export function shown(v) {
  if (v == null) return '–';
  const s = String(Number(v.toFixed(2)));
  return s.startsWith('-') ? `\u2212${s.slice(1)}` : s;
}

/** A change as the page writes it: `+` before a rise. */
export function shownSigned(v) {
  return v > 0 ? `+${shown(v)}` : shown(v);
}
