// Minifies JavaScript and CSS files in place, all in one process (a node start per file
// costs more than the minifying). Run by `cargo xtask dist`:
//
//   node tools/minify.mjs a.js b.css ... --script sw.js
//
// `.js` files are ES modules (terser `module`: top-level names may be mangled, export
// names never are) unless they follow `--script`, which marks classic scripts such as the
// service worker (top-level names kept). `.css` files go through csso without
// restructuring: rules keep their order and grouping, only tokens get shorter.
// Silent when all is well; on an error names the file and exits 1.

import fs from 'node:fs/promises';
import { minify as terser } from 'terser';
import { minify as csso } from 'csso';

let classic = false;
let failed = false;
for (const arg of process.argv.slice(2)) {
  if (arg === '--script') {
    classic = true;
    continue;
  }
  if (arg === '--module') {
    classic = false;
    continue;
  }
  try {
    const source = await fs.readFile(arg, 'utf8');
    let code;
    if (arg.endsWith('.css')) {
      code = csso(source, { restructure: false }).css;
    } else if (arg.endsWith('.js')) {
      code = (await terser(source, { module: !classic, compress: { passes: 2 }, mangle: true })).code;
    } else {
      throw new Error('neither .js nor .css');
    }
    await fs.writeFile(arg, code);
  } catch (e) {
    const at = e.line ? ` (line ${e.line}, column ${e.col})` : '';
    console.error(`${arg}: cannot minify: ${e.message}${at}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
