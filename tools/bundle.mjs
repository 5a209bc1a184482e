// Bundles the element's modules for the widget package. Run by `cargo xtask dist`:
//
//   node tools/bundle.mjs <entry.js> <out folder> <external.js>...
//
// What the element imports statically becomes one file, `cascade-assessment.js` (one gzip
// stream and one request where the separate modules were a dozen), and each module it
// imports on first use (`import('./view-results.js')`) a file of its own under its own name,
// which takes what it shares with the element from the element's file (which exports it for
// them), so that nothing is shipped twice and nothing a visitor has not asked for is fetched.
// A module only those files share (words.js) is a file of its own too. (esbuild's code
// splitting would put the shared code in chunks of their own: three files fetched at the
// start, 1.3 KB gzip more.) The externals stay files of their own: engine.js, so that the
// one-tag entry and the element share its single start of the engine, and import.js (loaded
// on first use, also by the import worker). Not minified here: terser does that after.
//
// Prints one line per source module bundled (`module static view-score.js`: in the element's
// file; `module lazy view-files.js`: in a file loaded on first use), relative to the entry's
// folder, and one per file written (`file static cascade-assessment.js`, `file lazy
// view-files.js`), so that the package leaves the sources out and the one-tag entry asks
// early for exactly what the element loads with it.

import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild-wasm';

/** How both passes write: bundled ES modules in the sources' own syntax (the browsers supported are those of the sources). */
const OUTPUT = { bundle: true, format: 'esm', target: 'esnext', legalComments: 'none', logLevel: 'warning' };

const [entry, outdir, ...externals] = process.argv.slice(2);
const dir = path.dirname(path.resolve(entry));
const rel = (p) => path.relative(dir, path.resolve(p)).split(path.sep).join('/');
const ELEMENT = path.basename(entry);
const isExternal = (spec) => externals.includes(spec);

/** The modules `file` imports statically, with the modules it imports on first use. */
async function graph(file, { keep = () => false } = {}) {
  const lazy = new Set();
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    metafile: true,
    logLevel: 'error',
    plugins: [{
      name: 'graph',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          if (isExternal(args.path)) return { path: args.path, external: true };
          const target = rel(path.resolve(args.resolveDir, args.path));
          if (args.kind === 'dynamic-import') {
            lazy.add(target);
            return { path: args.path, external: true };
          }
          if (keep(target)) return { path: args.path, external: true };
          return undefined;
        });
      },
    }],
  });
  return { modules: Object.keys(result.metafile.inputs).map(rel), lazy: [...lazy] };
}

try {
  // What the element loads with it, and what on first use (with those modules' own needs).
  const main = await graph(entry);
  const statics = new Set(main.modules);
  const entries = [];
  const uses = new Map();
  for (let i = 0, todo = [...main.lazy]; i < todo.length; i++) {
    const m = todo[i];
    if (entries.includes(m) || statics.has(m)) continue;
    entries.push(m);
    const g = await graph(path.join(dir, m), { keep: (t) => statics.has(t) });
    uses.set(m, g.modules.filter((x) => x !== m));
    todo.push(...g.lazy);
  }
  // A module two of those files need is a file of its own; one only one needs goes inside it.
  const count = new Map();
  for (const list of uses.values()) for (const m of list) count.set(m, (count.get(m) ?? 0) + 1);
  const shared = [...count].filter(([, n]) => n > 1).map(([m]) => m);
  const files = [...entries, ...shared];
  // The element's file exports what those files import from its modules.
  const reexports = [...statics].filter((m) => m !== ELEMENT && !isExternal(`./${m}`))
    .map((m) => `export * from './${m}';`).join('\n');
  const written = [];
  await esbuild.build({
    stdin: { contents: `export * from './${ELEMENT}';\n${reexports}\n`, resolveDir: dir, sourcefile: 'element-with-exports.js', loader: 'js' },
    outfile: path.join(outdir, ELEMENT),
    ...OUTPUT,
    plugins: [{
      name: 'lazy-files',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (isExternal(args.path)) return { path: args.path, external: true };
          if (args.kind === 'dynamic-import') return { path: args.path, external: true };
          return undefined;
        });
      },
    }],
  });
  written.push(['static', ELEMENT]);
  for (const f of files) {
    await esbuild.build({
      entryPoints: [path.join(dir, f)],
      outfile: path.join(outdir, f),
      ...OUTPUT,
      plugins: [{
        name: 'from-the-element',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            if (isExternal(args.path) || args.kind === 'dynamic-import') return { path: args.path, external: true };
            const target = rel(path.resolve(args.resolveDir, args.path));
            if (statics.has(target)) return { path: `./${ELEMENT}`, external: true };
            if (files.includes(target) && target !== f) return { path: `./${target}`, external: true };
            return undefined;
          });
        },
      }],
    });
    written.push(['lazy', f]);
  }
  for (const m of statics) console.log(`module static ${m}`);
  for (const f of files) {
    console.log(`module lazy ${f}`);
    if (entries.includes(f)) for (const m of uses.get(f).filter((x) => !statics.has(x) && !files.includes(x))) console.log(`module lazy ${m}`);
  }
  for (const [when, f] of written) console.log(`file ${when} ${f}`);
  if (!fs.existsSync(path.join(outdir, ELEMENT))) throw new Error(`${ELEMENT} was not written`);
} catch (e) {
  console.error(`${entry}: cannot bundle: ${e.message}`);
  process.exit(1);
}
