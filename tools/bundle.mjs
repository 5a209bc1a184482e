// Bundles the element's modules for the widget package. Run by `cargo xtask dist`:
//
//   node tools/bundle.mjs <entry.js> <out folder> <external.js>...
//
// What the element imports statically becomes one file (one gzip stream and one request where
// the separate modules were a dozen, about 5.7 KB gzip less for a visitor), and each module it
// imports on first use (`import('./view-results.js')`) a file of its own, with esbuild's ESM
// code splitting: code those share with the element goes into a chunk the element imports,
// so nothing is shipped twice and nothing a visitor has not asked for is fetched. The
// externals stay files of their own: engine.js, so that the one-tag entry and the element
// share its single start of the engine, and import.js (loaded on first use, also by the
// import worker). Not minified here: terser does that after, as for every file.
//
// Prints one line per source module bundled (`module static view-score.js`: in a file loaded
// with the element; `module lazy view-files.js`: on first use), relative to the entry's folder,
// and one per file written (`file static chunk-AB12CD34.js`, `file lazy view-files-EF56GH78.js`),
// so that the package leaves the sources out and the one-tag entry asks early for exactly the
// files the element loads with it.

import path from 'node:path';
import * as esbuild from 'esbuild-wasm';

const [entry, outdir, ...externals] = process.argv.slice(2);
const dir = path.dirname(path.resolve(entry));
const rel = (p) => path.relative(dir, path.resolve(p)).split(path.sep).join('/');
try {
  const result = await esbuild.build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    // `view-results-AB12CD34.js` for what a view loads, `chunk-…` for shared code: the hash of
    // the content, so that a changed file is a new name, never a stale one from a cache.
    chunkNames: '[name]-[hash]',
    // The sources' own syntax, unchanged: the browsers supported are those of the sources.
    target: 'esnext',
    external: externals,
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  const outputs = result.metafile.outputs;
  const name = (p) => path.relative(path.resolve(outdir), path.resolve(p)).split(path.sep).join('/');
  const main = Object.keys(outputs).find((o) => outputs[o].entryPoint && path.resolve(outputs[o].entryPoint) === path.resolve(entry));
  // The element's file and every file it imports statically, transitively: fetched with it.
  const statics = new Set([main]);
  for (const o of statics) {
    for (const i of outputs[o].imports) if (i.kind === 'import-statement' && !i.external) statics.add(i.path);
  }
  for (const o of Object.keys(outputs)) {
    const when = statics.has(o) ? 'static' : 'lazy';
    for (const input of Object.keys(outputs[o].inputs)) console.log(`module ${when} ${rel(input)}`);
    console.log(`file ${when} ${name(o)}`);
  }
} catch (e) {
  console.error(`${entry}: cannot bundle: ${e.message}`);
  process.exit(1);
}
