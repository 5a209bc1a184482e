// The import worker: reads and checks an imported file with the same engine as the page,
// off the page's main thread, and hands back each area as a tidy CSV text of its own (or
// each document of a JSON file as its JSON text).
// Messages in: { id, file (a File), framework (object or null), module (the page's compiled
// engine, engine.js's compiledEngine(), so the .wasm is not fetched again) }; out: { id, result } with
// what import.js's readFile() returns, { id, error } with the message to show, or
// { id, crash } when the engine itself could not run here (the page then reads the file).

import init, * as engine from './pkg/cascade_wasm.js';
import { readFile, ratingCount, oversize, ImportError } from './import.js';

let ready = null;

self.addEventListener('message', async (e) => {
  const { id, file, framework, module } = e.data;
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    self.postMessage({ id, error: `${file.name} could not be read (${err?.message ?? err}). Nothing has changed.` });
    return;
  }
  // Refused before the engine is even started.
  const big = oversize(file.name, bytes);
  if (big) {
    self.postMessage({ id, error: big.message });
    return;
  }
  try {
    ready ??= init({ module_or_path: module });
    await ready;
  } catch {
    self.postMessage({ id, crash: true });
    return;
  }
  try {
    const out = readFile(engine, file.name, bytes, framework ?? undefined);
    self.postMessage({ id, result: { ...out, ratings: out.kind === 'csv' ? ratingCount(out.docs) : null } });
  } catch (err) {
    self.postMessage({ id, error: err instanceof ImportError ? err.message : `${file.name} was not imported: ${err?.message ?? err}. Nothing has changed.` });
  }
});
