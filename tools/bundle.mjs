// Bundles the element's modules into one file for the widget package. Run by `cargo xtask dist`:
//
//   node tools/bundle.mjs <entry.js> <out.js> <external.js>...
//
// One file is one gzip stream and one request where the separate modules were fourteen (about
// 5.7 KB gzip less for a visitor). The externals stay files of their own: engine.js, so that the
// one-tag entry and the element share its single start of the engine, and what is loaded on
// first use (import.js). Not minified here: terser does that after, as for every file. Prints
// the files bundled, one a line, relative to the entry's folder, so the package can leave them out.

import path from 'node:path';
import * as esbuild from 'esbuild-wasm';

const [entry, out, ...externals] = process.argv.slice(2);
const dir = path.dirname(path.resolve(entry));
try {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: 'esm',
    // The sources' own syntax, unchanged: the browsers supported are those of the sources.
    target: 'esnext',
    external: externals,
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    console.log(path.relative(dir, path.resolve(input)).split(path.sep).join('/'));
  }
} catch (e) {
  console.error(`${entry}: cannot bundle: ${e.message}`);
  process.exit(1);
}
