// The widget's files as its modules name them, read from a widget folder (www/ or the package
// as shipped), so that a new module or chunk needs no edit in the tests that count requests.

import fs from 'node:fs';
import path from 'node:path';

/**
 * The element's files, whoever loads it: its modules as they statically import each other from
 * cascade-assessment.js (read from the widget's folder, so a new module needs no edit here),
 * its stylesheet, and the engine's glue. The engine itself (.wasm or JavaScript build) apart.
 * In the package the element's modules are one file; the facilitator page (www/) has them apart.
 */
export function elementFiles(dir) {
  const found = ['cascade-assessment.js'];
  for (let i = 0; i < found.length; i++) {
    const text = fs.readFileSync(path.join(dir, found[i]), 'utf8');
    // Static imports only: a module the element imports on first use (import.js) is not
    // part of its start.
    for (const m of text.matchAll(/\bfrom\s*['"]\.\/([\w./-]+\.js)['"]/g)) {
      if (!found.includes(m[1])) found.push(m[1]);
    }
  }
  for (const f of ['engine.js', 'cascade.css', 'pkg/cascade_wasm.js']) if (!found.includes(f)) found.push(f);
  return found;
}

/**
 * What the element loads on first use (`import('./x.js')`: the views but Score, the score
 * view's parts), with what those import, read from the widget's folder; not import.js, which
 * the tests that import name.
 */
export function lazyFiles(dir) {
  const statics = elementFiles(dir);
  const found = [];
  const scan = (f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\(\s*)['"]\.\/([\w./-]+\.js)['"]/g)) {
      const g = m[1];
      if (g === 'import.js' || g === 'engine.js' || g.startsWith('pkg/') || statics.includes(g) || found.includes(g)) continue;
      found.push(g);
      scan(g);
    }
  };
  for (const f of statics.filter((x) => x.endsWith('.js') && !x.startsWith('pkg/'))) scan(f);
  // The styles of what those show, and of all domains at once and each person.
  return [...found, 'cascade-more.css'];
}
