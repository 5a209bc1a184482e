// Writes cascade.html: the whole facilitator page in one file, its code, styles and scoring
// engine inside it, to open from disk (file://) with no server and no network. Run by
// `cargo xtask dist` on the site it has just written:
//
//   node tools/onefile.mjs target/dist/www target/dist/cascade.html
//
// The page's modules are bundled into one inline module by esbuild (esbuild-wasm: no native
// binary), dynamic imports included; the engine's .wasm goes in as bytes and starts through
// engine.js's startEngine(), so nothing is fetched; the element's stylesheets go in as
// data: URLs (useStylesheet()), the page's own as a <style>, the icon as a data: URL;
// imported files are read on the page's thread (a worker needs a file of its own). A
// Content-Security-Policy in the page allows exactly that inline script and style, and no
// network at all. No service worker: a file needs none to work offline.
// Prints the file's size; on an error says what and exits 1.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import * as esbuild from 'esbuild-wasm';

const [site, out] = process.argv.slice(2);
if (!site || !out) {
  console.error('usage: node tools/onefile.mjs <site folder> <out.html>');
  process.exit(2);
}

function read(rel) {
  const file = path.join(site, rel);
  if (!fs.existsSync(file)) {
    console.error(`onefile: ${file} is missing: run cargo xtask dist, which writes the site first`);
    process.exit(1);
  }
  return fs.readFileSync(file, 'utf8');
}

const jsBuild = fs.existsSync(path.join(site, 'pkg/cascade_wasm_bg.wasm.js'));
const entry = `
import * as glue from './pkg/cascade_wasm.js';
import wasm from './pkg/cascade_wasm_bg.wasm';
import css from './cascade.css';
import moreCss from './cascade-more.css';
import { startEngine } from './engine.js';
import { useStylesheet } from './theme.js';
import { withoutWorker } from './import.js';

startEngine({ glue, wasm${jsBuild ? ", js: () => import('./pkg/cascade_wasm_bg.wasm.js')" : ''} });
const data = (text) => 'data:text/css;charset=utf-8,' + encodeURIComponent(text);
useStylesheet(data(css), data(moreCss));
withoutWorker(); // its script would be a file of its own
// Only now the element: it finds the engine started and the stylesheet set.
import('./cascade-widget.js');
`;

let bundle;
try {
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: path.resolve(site), sourcefile: 'cascade-onefile.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    // The oldest engines the page supports: esbuild then writes the engine's bytes with a
    // decoder they have (Uint8Array.fromBase64 is new in 2025).
    target: ['safari15', 'chrome97', 'firefox104'],
    minify: true,
    write: false,
    charset: 'utf8',
    legalComments: 'none',
    loader: { '.wasm': 'binary', '.css': 'text' },
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0].text;
} catch (e) {
  console.error(`onefile: bundling failed: ${e.message}`);
  process.exit(1);
}
// "</script" inside the code would end the element early; in a string "<\/script" is the same.
const script = bundle.replaceAll('</script', '<\\/script');
const style = read('app.css');
const hash = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const icon = `data:image/svg+xml,${encodeURIComponent(read('icon.svg'))}`;
const policy = [
  "default-src 'none'",
  `script-src ${hash(script)} 'wasm-unsafe-eval'`,
  `style-src ${hash(style)} data:`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let html = read('index.html');
const replace = (pattern, by, what) => {
  if (!pattern.test(html)) {
    console.error(`onefile: index.html has no ${what}; tools/onefile.mjs must learn its new shape`);
    process.exit(1);
  }
  html = html.replace(pattern, by);
};
replace(/\s*<link rel="(modulepreload|preload)"[^>]*>/g, '', 'preload links');
replace(/<link rel="stylesheet" href="app\.css">/, () => `<style>${style}</style>`, 'app.css link');
replace(/<link rel="icon" href="icon\.svg"([^>]*)>/, () => `<link rel="icon" href="${icon}"$1>`, 'icon link');
replace(/<script type="module" src="app\.js"><\/script>/, () => `<script type="module">${script}</script>`, 'app.js script');
replace(/<meta charset="utf-8">/, () => `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`, 'charset');
replace(/(Use “Saved work” to export, import or clear it\.)/, '$1 This is the one-file copy of the page: it needs no internet and no installing, and keeps your work in this browser on this computer.', 'footer');
fs.writeFileSync(out, html);
const gz = (await import('node:zlib')).gzipSync(html, { level: 9 }).length;
console.log(`wrote ${out}: ${Buffer.byteLength(html)} bytes, ${gz} gzip${jsBuild ? ' (with the JavaScript build of the engine)' : ''}`);
