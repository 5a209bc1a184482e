// Makes the JavaScript build of the engine from the WebAssembly module, for pages where
// WebAssembly is refused (a Content-Security-Policy without 'wasm-unsafe-eval') or missing.
// Run by `cargo xtask wasm`:
//
//   node tools/wasm2js.mjs www/pkg/cascade_wasm_bg.wasm www/pkg/cascade_wasm_bg.wasm.js
//
// It is the same module, translated by binaryen's wasm2js: no second implementation of
// anything. wasm2js cannot translate three things the module uses, so they are lowered first,
// each checked to have exactly the shape expected (anything else stops the build):
//  - the externref table wasm-bindgen keeps JS values in (wasm2js takes one table only):
//    its table.get, table.set and table.grow become calls of three imported functions over a
//    JS array, and the module's export of it becomes an object with WebAssembly.Table's
//    get, set, grow and length;
//  - multi-value results (the exports that return a pointer, a length and an error flag):
//    the function returns the first value and leaves the others in globals, and the export
//    is wrapped to return them together as an array, as a WebAssembly export does;
//  - non-trapping float-to-int, sign-extension and bulk-memory instructions, by binaryen's
//    own lowering passes.
// The output is a minified ES module exporting `instantiate(imports)`, which returns what
// `WebAssembly.Instance.exports` would be for the same imports. Growing its memory detaches
// the old ArrayBuffer, as WebAssembly does, because wasm-bindgen's glue relies on that to
// know its views of memory are stale.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import binaryen from 'binaryen';
import { minify } from 'terser';

const require = createRequire(import.meta.url);
const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node tools/wasm2js.mjs in.wasm out.js');
  process.exit(2);
}

function fail(message) {
  console.error(`wasm2js.mjs: ${input}: ${message}`);
  process.exit(1);
}

/** The index just after the parenthesis that closes the one at `open`. */
function closing(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i + 1;
    }
  }
  fail('unbalanced parentheses in the module text');
}

/** The folded expressions directly inside the one that starts at `open`. */
function operands(text, open) {
  const end = closing(text, open) - 1;
  const list = [];
  for (let i = text.indexOf('(', open + 1); i !== -1 && i < end; i = text.indexOf('(', i)) {
    const after = closing(text, i);
    list.push(text.slice(i, after));
    i = after;
  }
  return list;
}

// What the module is built with (xtask's wasm-opt flags); not Features.All, whose binary
// encoding (compact imports) wasm2js cannot read.
const F = binaryen.Features;
const FEATURES = F.MVP | F.BulkMemory | F.BulkMemoryOpt | F.CallIndirectOverlong | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue;
const wasm = binaryen.readBinary(fs.readFileSync(input));
wasm.setFeatures(FEATURES);
let text = wasm.emitText();
wasm.dispose();

// 1. The externref table becomes imported functions over a JS array.
const tables = [...text.matchAll(/^ \(table (\$\S+) (\d+)(?: \d+)? externref\)\n/gm)];
if (tables.length > 1) fail('more than one externref table');
let table = null;
if (tables.length === 1) {
  const [line, name, size] = tables[0];
  const exported = new RegExp(`^ \\(export "([^"]+)" \\(table \\${name}\\)\\)\\n`, 'm').exec(text);
  if (!exported) fail(`the externref table ${name} is not exported`);
  table = { name: exported[1], size: Number(size) };
  const ops = [...text.matchAll(new RegExp(`\\((table\\.[a-z_]+) \\${name}\\b`, 'g'))].map((m) => m[1]);
  const unknown = ops.filter((op) => !['table.get', 'table.set', 'table.grow'].includes(op));
  if (unknown.length) fail(`the externref table is used by ${[...new Set(unknown)].join(', ')}, which this script does not lower`);
  if (new RegExp(`\\(elem [^\\n]*\\(table \\${name}\\)`).test(text)) fail('the externref table has element segments');
  text = text.replace(line, '').replace(exported[0], '');
  for (const op of ['get', 'set', 'grow']) text = text.replaceAll(`(table.${op} ${name}`, `(call $__cascade_table_${op}`);
  const imports = ' (import "__cascade_table" "get" (func $__cascade_table_get (param i32) (result externref)))\n'
    + ' (import "__cascade_table" "set" (func $__cascade_table_set (param i32 externref)))\n'
    + ' (import "__cascade_table" "grow" (func $__cascade_table_grow (param externref i32) (result i32)))\n';
  const first = text.search(/^ \((?:func|table|memory|global|data|elem|export|start|tag) /m);
  text = text.slice(0, first) + imports + text.slice(first);
}

// 2. Multi-value results: the first value returned, the others left in globals.
const tuples = {};
let widest = 0;
const edits = [];
for (const m of text.matchAll(/^ \(func (\$\S+)[^\n]*?(\(result (?:i32 ){1,}i32\))/gm)) {
  const [head, name, result] = m;
  const count = result.split(' ').length - 1;
  const start = m.index;
  const end = closing(text, start);
  const body = text.slice(start, end);
  if (body.includes('(return') || body.split('(tuple.').length !== 2) fail(`${name} returns ${count} values other than by one final tuple.make`);
  const at = start + body.indexOf('(tuple.make');
  const values = operands(text, at);
  if (values.length !== count) fail(`${name}: tuple.make of ${values.length} values, expected ${count}`);
  const exported = new RegExp(`^ \\(export "([^"]+)" \\(func \\${name}\\)\\)$`, 'm').exec(text);
  if (!exported) fail(`${name} returns several values but is not exported`);
  if (text.includes(`(call ${name}\n`) || text.includes(`(call ${name})`) || text.includes(`(ref.func ${name})`) || new RegExp(`\\(elem [^\\n]*\\${name}\\b`).test(text)) {
    fail(`${name} returns several values and is also called inside the module`);
  }
  tuples[exported[1]] = count;
  widest = Math.max(widest, count);
  edits.push([start, start + head.length, head.replace(result, '(result i32)').replace(/ \(type \$[^)]+\)/, '')]);
  edits.push([at, closing(text, at), `${values.map((v, i) => `(global.set $__cascade_ret${i} ${v})`).join(' ')} (global.get $__cascade_ret0)`]);
}
for (const [from, to, by] of edits.sort((a, b) => b[0] - a[0])) text = text.slice(0, from) + by + text.slice(to);
if (widest > 0) {
  const globals = Array.from({ length: widest }, (_, i) => ` (global $__cascade_ret${i} (mut i32) (i32.const 0))\n`).join('');
  const first = text.search(/^ \((?:func|table|memory|global|data|elem|export|start|tag) /m);
  text = text.slice(0, first) + globals + text.slice(first);
  const getters = Array.from({ length: widest - 1 }, (_, i) => i + 1)
    .map((i) => ` (func $__cascade_get_ret${i} (result i32) (global.get $__cascade_ret${i}))\n (export "__cascade_ret${i}" (func $__cascade_get_ret${i}))\n`).join('');
  text = `${text.trimEnd().replace(/\)$/, '')}${getters})\n`;
}

// 3. binaryen's own lowerings, then wasm2js.
const lowered = binaryen.parseText(text);
lowered.setFeatures(FEATURES);
lowered.runPasses(['llvm-nontrapping-fptoint-lowering', 'signext-lowering', 'llvm-memory-copy-fill-lowering']);
if (!lowered.validate()) fail('the lowered module does not validate');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-wasm2js-'));
let js;
try {
  fs.writeFileSync(path.join(tmp, 'lowered.wasm'), lowered.emitBinary());
  lowered.dispose();
  const bin = path.join(path.dirname(require.resolve('binaryen')), 'bin/wasm2js');
  // -Oz: a third smaller than unoptimised; -O2 is no faster in the browser here.
  execFileSync(process.execPath, [bin, path.join(tmp, 'lowered.wasm'), '-Oz', '--enable-reference-types', '--enable-bulk-memory', '--enable-mutable-globals', '-o', path.join(tmp, 'out.js')], { stdio: ['ignore', 'ignore', 'inherit'] });
  js = fs.readFileSync(path.join(tmp, 'out.js'), 'utf8');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// 4. The module's own start-up code becomes instantiate(imports).
const begin = js.indexOf('function asmFunc(imports) {');
const finish = js.indexOf('\nvar retasmFunc = asmFunc(');
if (begin < 0 || finish < 0) fail('wasm2js wrote an unexpected module (no asmFunc)');
const prelude = js.slice(0, begin).replace(/^import \* as \S+ from '[^']*';\n/gm, '');
let body = js.slice(begin, finish);
const grow = 'buffer = newBuffer;';
if (body.split(grow).length !== 2) fail('wasm2js wrote an unexpected memory.grow');
body = body.replace(grow, `detach(buffer);\n   ${grow}`);

const out = `/* Generated by tools/wasm2js.mjs from cascade_wasm_bg.wasm (binaryen's wasm2js): the same
   engine as JavaScript, for pages where WebAssembly is refused or missing. Do not edit. */
${prelude}
/** Detaches an ArrayBuffer, as WebAssembly's memory.grow does to the old one. */
function detach(old) {
  try {
    structuredClone(old, { transfer: [old] });
  } catch {
    const channel = new MessageChannel();
    channel.port1.postMessage(null, [old]);
    channel.port1.close();
  }
}

${body}
const TUPLES = ${JSON.stringify(tuples)};
const TABLE = ${JSON.stringify(table)};

/** What a WebAssembly.Instance of the module would export, for the same imports. */
export function instantiate(imports) {
  const refs = TABLE ? new Array(TABLE.size).fill(null) : [];
  const grow = (delta, value) => {
    const old = refs.length;
    for (let i = 0; i < delta; i++) refs.push(value);
    return old;
  };
  const raw = asmFunc({
    ...imports,
    __cascade_table: { get: (i) => refs[i], set: (i, v) => { refs[i] = v; }, grow: (value, delta) => grow(delta, value) },
  });
  const exports = { ...raw };
  for (const [name, count] of Object.entries(TUPLES)) {
    const f = raw[name];
    const rest = Array.from({ length: count - 1 }, (_, i) => raw[\`__cascade_ret\${i + 1}\`]);
    exports[name] = (...args) => [f(...args), ...rest.map((get) => get())];
  }
  if (TABLE) {
    exports[TABLE.name] = {
      get: (i) => refs[i],
      set: (i, v) => { refs[i] = v; },
      grow: (delta, value = null) => grow(delta, value),
      get length() { return refs.length; },
    };
  }
  return exports;
}
`;
// Minified here, names only: terser's compression passes take most of a minute on this much
// code and win under 1% of its gzip size; `cargo xtask dist` leaves the file as it is.
const { code } = await minify(out, { module: true, compress: false, mangle: true, format: { comments: /Generated by tools\/wasm2js/ } });
fs.writeFileSync(output, code);
