// What a visitor downloads: loads an embedding page (the README's two lines, under its
// policy) in Debian's Chromium from a server that sends every file gzip-compressed, as most
// hosts do, and records every response of the widget as the browser received it: how often
// each file was fetched, its bytes, and the bytes transferred for it (its gzip). Run by
// `cargo xtask dist` on the package it writes; also used by measure.mjs.
//
//   node e2e/download.mjs [widget folder] [--json]     (from tests/; default: www/, or CASCADE_WIDGET_DIR)
//
// With a policy without 'wasm-unsafe-eval' (the second page) it reports what those visitors
// download instead: the JavaScript build of the engine in place of the .wasm.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, WWW, EMBED_CSP } from './server.mjs';
import { launch } from './browser.mjs';

const FOLDER = '/assets/cascade-widget/';
export const NO_WASM_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
/** The widget's cap, 110 KB (of 1000 bytes, as the README counts): an embedding page's download, gzip, before its visitor does anything. Over it, the command exits 1. */
export const BUDGET = 110_000;

/**
 * Loads the page with `csp` and returns `{ files: [{ file, fetches, bytes, transferred }], total }`
 * for every request under the widget's folder, from the browser's resource timing (bytes:
 * decoded body; transferred: encoded body, as sent gzip-compressed; headers not counted).
 */
export async function measureDownload(browser, { widget = WWW, csp = EMBED_CSP } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-download-'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>Our school</title>\n`
    + `<script type="module" src="${FOLDER}cascade-widget.js"></script>\n</head>\n<body>\n<main>\n<h1>Link Programme</h1>\n`
    + '<cascade-assessment area="St Mary\'s Primary" storage-key="st-marys"></cascade-assessment>\n</main>\n</body>\n</html>\n');
  const site = await startServer({ root: dir, mounts: { [FOLDER]: widget }, csp, gzip: true });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const requested = [];
    context.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(site.url);
    await page.waitForSelector('cascade-assessment[ready]', { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const entries = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => ({ path: new URL(e.name).pathname, bytes: e.decodedBodySize, transferred: e.encodedBodySize })));
    const files = new Map();
    for (const p of requested.filter((p) => p.startsWith(FOLDER))) {
      const file = p.slice(FOLDER.length);
      const row = files.get(file) ?? { file, fetches: 0, bytes: 0, transferred: 0 };
      row.fetches++;
      files.set(file, row);
    }
    for (const e of entries.filter((e) => e.path.startsWith(FOLDER))) {
      const row = files.get(e.path.slice(FOLDER.length));
      if (!row) continue;
      row.bytes += e.bytes;
      row.transferred += e.transferred;
    }
    const list = [...files.values()].sort((a, b) => a.file.localeCompare(b.file));
    const total = list.reduce((t, f) => ({ fetches: t.fetches + f.fetches, bytes: t.bytes + f.bytes, transferred: t.transferred + f.transferred }), { fetches: 0, bytes: 0, transferred: 0 });
    return { files: list, total };
  } finally {
    await context.close();
    await site.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table(title, { files, total }) {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const lines = [title, `${'file'.padEnd(30)} ${'fetches'.padStart(7)} ${'bytes'.padStart(9)} ${'gzip'.padStart(9)}`];
  for (const f of files) lines.push(`${f.file.padEnd(30)} ${String(f.fetches).padStart(7)} ${String(f.bytes).padStart(9)} ${String(f.transferred).padStart(9)}`);
  lines.push(`${'total'.padEnd(30)} ${String(total.fetches).padStart(7)} ${String(total.bytes).padStart(9)} ${String(total.transferred).padStart(9)}`);
  lines.push(`= ${files.length} files, ${kb(total.bytes)}, ${kb(total.transferred)} gzip`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const folder = path.resolve(args.find((a) => !a.startsWith('--')) ?? process.env.CASCADE_WIDGET_DIR ?? WWW);
  const browser = await launch();
  try {
    const wasm = await measureDownload(browser, { widget: folder });
    const js = await measureDownload(browser, { widget: folder, csp: NO_WASM_CSP });
    if (json) {
      console.log(JSON.stringify({ widget: folder, embedding_page: wasm, without_wasm_unsafe_eval: js }, null, 2));
    } else {
      console.log(table(`What an embedding page downloads, measured in Chromium (gzip as transferred):`, wasm));
      const twice = wasm.files.filter((f) => f.fetches > 1).map((f) => f.file);
      console.log(twice.length ? `FETCHED MORE THAN ONCE: ${twice.join(', ')}` : 'each file fetched once');
      console.log(wasm.total.transferred <= BUDGET
        ? `within the widget's cap of ${BUDGET / 1000} KB gzip (${((BUDGET - wasm.total.transferred) / 1000).toFixed(1)} KB to spare)`
        : `OVER the widget's cap of ${BUDGET / 1000} KB gzip by ${((wasm.total.transferred - BUDGET) / 1000).toFixed(1)} KB`);
      console.log(`\n${table('Under a policy without \'wasm-unsafe-eval\' (the JavaScript build in place of the .wasm):', js)}`);
    }
    // A file fetched twice fails `cargo xtask dist`; the cap itself is asserted by
    // download.test.mjs, on the package as shipped.
    const twice = wasm.files.filter((f) => f.fetches > 1).map((f) => f.file);
    if (twice.length) {
      console.error(`download.mjs: an embedding page fetches ${twice.join(', ')} more than once`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
  }
}
