// The widget's cap: what an embedding page downloads before its visitor does anything (the
// README's two lines, under its policy, from a server that sends gzip), measured in Chromium
// by download.mjs, on the package as shipped: CASCADE_WIDGET_DIR (which `cargo xtask ci`
// gives), else the one `cargo xtask dist` last wrote. Not www/: its modules are neither
// minified nor bundled, and it is not what schools copy. Sizes are the product's stated cap,
// not a timing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureDownload, BUDGET } from './download.mjs';
import { launch, requireEngine } from './browser.mjs';

requireEngine();
const written = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/dist/cascade-widget');
const widget = process.env.CASCADE_WIDGET_DIR ? path.resolve(process.env.CASCADE_WIDGET_DIR) : written;
if (!fs.existsSync(path.join(widget, 'cascade-widget.js'))) {
  throw new Error(`${widget} holds no widget package: run \`cargo xtask dist\` first, or set CASCADE_WIDGET_DIR`);
}
let browser;
after(() => browser?.close());

test(`an embedding page downloads at most ${BUDGET} bytes gzip before its visitor does anything, each file once`, { timeout: 60_000 }, async (t) => {
  browser = await launch();
  const { files, total } = await measureDownload(browser, { widget });
  for (const f of files) t.diagnostic(`${f.file}: ${f.fetches} fetch, ${f.bytes} bytes, ${f.transferred} gzip`);
  t.diagnostic(`total: ${files.length} files, ${total.transferred} bytes gzip of ${BUDGET}`);
  assert.deepEqual(files.filter((f) => f.fetches > 1).map((f) => f.file), [], 'each file fetched once');
  assert.ok(total.transferred <= BUDGET, `${total.transferred} bytes gzip, over the cap of ${BUDGET} by ${total.transferred - BUDGET}`);
});
