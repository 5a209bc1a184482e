// Reading an imported file: its bytes decoded (UTF-8, or Windows-1252 with a notice), told
// apart as JSON or tidy CSV, checked against what one workshop holds, and turned into one
// assessment JSON text per area by the engine. It runs in a worker (import-worker.js) with
// the same engine, so a big file never freezes the page; where a worker cannot start (a
// site's policy forbids it), the same code runs here, on files small enough not to matter.

/** What one workshop's file holds at most; beyond it the `cascade` command is the tool. */
export const LIMITS = {
  bytes: 10 * 1024 * 1024,
  ratings: 100_000,
};

const MB = (n) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const count = (n) => n.toLocaleString('en-GB');

/** An import that cannot go ahead: `message` says why, and what to do. */
export class ImportError extends Error {}

/** Text of the file's bytes, and whether it had to be read as Windows-1252. */
export function decode(bytes) {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Excel's "CSV (Comma delimited)" on Windows; every byte is a character there.
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/**
 * What a file too big to import holds, counted on its bytes without reading it as ratings:
 * { rows, areas } (areas null when there is no area column). Quoted fields are not unpicked,
 * so the figures are "about".
 */
export function survey(bytes) {
  const NL = 10;
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const lineEnd = (from) => {
    const at = bytes.indexOf(NL, from);
    return at === -1 ? bytes.length : at;
  };
  // The header: the first line that is not blank.
  let head = '';
  while (pos < bytes.length && head.trim() === '') {
    const end = lineEnd(pos);
    head = new TextDecoder().decode(bytes.subarray(pos, end));
    pos = end + 1;
  }
  const sep = head.includes(',') ? ',' : head.includes(';') ? ';' : '\t';
  const sepByte = sep.charCodeAt(0);
  const at = head.split(sep).map((c) => c.trim().toLowerCase()).indexOf('area');
  const areas = new Set();
  const decoder = new TextDecoder();
  let rows = 0;
  let last = null;
  while (pos < bytes.length) {
    const end = lineEnd(pos);
    if (end - pos > 1 || (end - pos === 1 && bytes[pos] !== 13)) {
      rows++;
      if (at >= 0 && areas.size < 10_000) {
        let from = pos;
        for (let k = 0; k < at && from <= end; k++) from = bytes.indexOf(sepByte, from) + 1 || end + 1;
        let to = Math.min(end, bytes.indexOf(sepByte, from) === -1 ? end : bytes.indexOf(sepByte, from));
        if (to > from && bytes[to - 1] === 13) to--;
        const field = bytes.subarray(from, Math.max(from, to));
        // Files come grouped by area: only a change of area is decoded.
        if (!same(last, field)) {
          last = field;
          areas.add(decoder.decode(field).trim().replace(/^"|"$/g, ''));
        }
      }
    }
    pos = end + 1;
  }
  return { rows, areas: at >= 0 ? areas.size : null };
}

function same(a, b) {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The refusal of a file over the limit, or null when it is within it. */
export function oversize(name, bytes) {
  return bytes.byteLength > LIMITS.bytes ? tooBig(name, bytes.byteLength, bytes) : null;
}

function tooBig(name, size, bytes) {
  const what = bytes === null ? `is ${MB(size)}` : (() => {
    const { rows, areas } = survey(bytes);
    return `is ${MB(size)} and holds about ${count(rows)} ratings${areas === null ? '' : ` in ${count(areas)} ${areas === 1 ? 'area' : 'areas'}`}`;
  })();
  return new ImportError(`${name} ${what}: more than one workshop’s assessment, which this page keeps up to ${MB(LIMITS.bytes)} or ${count(LIMITS.ratings)} ratings. `
    + `For files this size use the cascade command-line tool, for example: cascade summary "${name}"`);
}

/**
 * Reads a file: { docs, kind, encoding }. For a CSV file (kind 'csv') `docs` holds each
 * area's ratings as a tidy CSV text of its own, checked by the engine; for JSON (kind
 * 'json') each document's JSON text. Throws ImportError with the message to show.
 */
export function readFile(engine, name, bytes, framework) {
  // A file too big is refused from its size and a count of its lines alone.
  if (bytes.byteLength > LIMITS.bytes) throw tooBig(name, bytes.byteLength, bytes);
  const { text, encoding } = decode(bytes);
  const json = /\.json$/i.test(name) || /^\s*[{[]/.test(text.slice(0, 1000));
  if (json) {
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ImportError(`${name} was not imported: it is not JSON (${String(e.message).slice(0, 200)}). Nothing has changed.`);
    }
    // An array of documents, as the cascade command reads and writes them.
    const docs = Array.isArray(value) ? value.map((d) => JSON.stringify(d)) : [text];
    if (!docs.length) throw new ImportError(`${name} was not imported: it is an empty list of assessments. Nothing has changed.`);
    const ratings = (Array.isArray(value) ? value : [value]).reduce((n, d) => n + (Array.isArray(d?.ratings) ? d.ratings.length : 0), 0);
    if (ratings > LIMITS.ratings) throw tooBigRatings(name, bytes.byteLength, ratings, docs.length);
    return { docs, kind: 'json', encoding };
  }
  let docs;
  try {
    docs = engine.csvDocuments(text, framework ?? undefined);
  } catch (e) {
    throw new ImportError(`${name} was not imported: ${e.message}. Nothing has changed.`);
  }
  return { docs, kind: 'csv', encoding };
}

function tooBigRatings(name, size, ratings, areas) {
  return new ImportError(`${name} is ${MB(size)} and holds ${count(ratings)} ratings in ${count(areas)} ${areas === 1 ? 'assessment' : 'assessments'}: `
    + `more than one workshop’s assessment, which this page keeps up to ${count(LIMITS.ratings)} ratings. `
    + `For files this size use the cascade command-line tool, for example: cascade summary "${name}"`);
}

/** Counts the ratings of the areas' CSV texts the engine wrote: a line each, after the header. */
export function ratingCount(docs) {
  let n = 0;
  for (const d of docs) {
    for (let i = d.indexOf('\n'); i !== -1; i = d.indexOf('\n', i + 1)) n++;
    n--;
  }
  return n;
}

let worker = null;
let workerBroken = false;
let nextId = 0;
const waiting = new Map();

/** Reads every import on the page's own thread: for cascade.html, one file, where a worker's
 * script (a file of its own) cannot be. */
export function withoutWorker() {
  workerBroken = true;
}

function startWorker() {
  if (worker || workerBroken) return worker;
  try {
    worker = new Worker(new URL('./import-worker.js', import.meta.url), { type: 'module', name: 'cascade-import' });
  } catch {
    workerBroken = true;
    return null;
  }
  worker.addEventListener('message', (e) => {
    const job = waiting.get(e.data.id);
    if (!job) return;
    waiting.delete(e.data.id);
    if (e.data.error) job.reject(new ImportError(e.data.error));
    else if (e.data.crash) job.fallback();
    else job.resolve(e.data.result);
  });
  // The worker's script or engine did not load (a policy, a missing file): read here instead.
  worker.addEventListener('error', (e) => {
    e.preventDefault?.();
    workerBroken = true;
    worker = null;
    for (const job of waiting.values()) job.fallback();
    waiting.clear();
  });
  return worker;
}

/**
 * Reads an imported File off the main thread: resolves to what readFile() returns (with
 * `ratings`, their number), rejects with an ImportError saying why it cannot be imported.
 */
export async function readImport(engine, file, framework) {
  const here = async () => {
    const bytes = new Uint8Array(file.size > 8 * LIMITS.bytes ? 0 : await file.arrayBuffer());
    if (file.size > 8 * LIMITS.bytes) throw tooBig(file.name, file.size, null);
    const out = readFile(engine, file.name, bytes, framework);
    return { ...out, ratings: out.kind === 'csv' ? ratingCount(out.docs) : null };
  };
  // The worker starts its engine from the page's compiled module, so the .wasm is neither
  // fetched nor compiled twice; where the page runs the engine as JavaScript there is none,
  // and the page reads the file itself rather than fetch the JavaScript build again.
  // (Asked for here, not imported at the top: the worker loads this module too, and has no
  // use for engine.js.)
  const { compiledEngine } = await import('./engine.js');
  const module = compiledEngine();
  const w = module ? startWorker() : null;
  if (!w) return here();
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    waiting.set(id, { resolve, reject, fallback: () => here().then(resolve, reject) });
    w.postMessage({ id, file, framework: framework ?? null, module });
  }).then((out) => {
    if (out.kind === 'csv' && out.ratings > LIMITS.ratings) throw tooBigRatings(file.name, file.size, out.ratings, out.docs.length);
    return out;
  });
}

/**
 * Opens what readImport read in element `el`: every area or document is checked before any
 * is kept, each area is its own assessment, and each step of a big import runs in a task of
 * its own. Here, not in the element, since most visitors never import a file.
 */
export async function openImport(el, file, read, fw, defaultUi) {
  mark('read');
  // Every area or document is checked before any is kept: a bad one changes nothing.
  const sessions = [];
  const many = read.docs.length > 1;
  for (const [i, text] of read.docs.entries()) {
    try {
      sessions.push(read.kind === 'csv' ? el.engine.Session.fromCsv(text, fw) : el.engine.Session.fromJson(text, fw));
    } catch (e) {
      for (const s of sessions) s.free();
      const which = many ? `${read.kind === 'csv' ? 'area' : 'assessment'} ${i + 1} of ${read.docs.length}: ` : '';
      el.showError(`${file.name} was not imported: ${which}${e.message}. Nothing has changed.`);
      return;
    }
    mark('opened');
    await pause();
  }
  // Each area is its own assessment: the others are kept, and the first opens.
  const areas = [];
  let notKept = 0;
  for (const session of sessions.slice(1)) {
    const doc = session.documentHead();
    areas.push(doc.area);
    try {
      el.store.save({
        id: el.store.newId(), area: doc.area, rounds: doc.rounds.map((r) => r.label), updated: new Date().toISOString(),
        framework: fw ?? null, document: session.documentJson(), ui: { ...defaultUi, mode: importMode(session, doc) },
      });
    } catch {
      notKept++;
    }
    session.free();
    await pause();
  }
  el.closeSession();
  el.session = sessions[0];
  el.customFramework = fw ?? null;
  el.recordId = el.store.newId();
  el.ui = { ...defaultUi, view: 'score' };
  el.refresh();
  el.ui.mode = importMode(el.session, el.doc);
  mark('document');
  // Each step of a big import in a task of its own, so that none holds the page for long.
  await pause();
  el.summary();
  mark('summary');
  await pause();
  el.documentText();
  mark('written');
  await pause();
  const saved = el.save();
  mark('saved');
  await pause();
  el.clearError();
  const notes = [];
  if (many) {
    const all = [el.doc.area, ...areas];
    const listed = all.length > 6 ? `${all.slice(0, 5).join(', ')} and ${all.length - 5} more` : all.join(', ');
    notes.push(`${file.name} holds ${all.length} ${read.kind === 'csv' ? 'areas' : 'assessments'}: ${listed}. Each is imported as its own assessment, listed in Saved work; ${el.doc.area} is open.`
      + (notKept ? ` ${notKept} of them could not be kept in this browser: its storage is full.` : ''));
  }
  if (read.encoding === 'windows-1252') {
    notes.push(`${file.name} is not saved as UTF-8, so it was read as Windows-1252 (Western European): check that accented letters look right, and save it as “CSV UTF-8” next time.`);
  }
  el.notice = notes.join(' ');
  el.renderError();
  el.announce(saved ? `Imported ${file.name}: ${el.doc.area}` : `Imported ${file.name}: ${el.doc.area}, but it is not saved in this browser`);
  el.invalidate();
  el.scheduleReport();
  await pause();
  if (el.session) el.emitChange('import');
  mark('told');
}

/** Marks a step of an import on the page's performance timeline, for measuring. */
function mark(step) {
  performance.mark?.(`cascade-import:${step}`);
}

/** Lets the page paint and take input between the steps of a long job. */
function pause() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The capture mode an imported document opens in: what it holds (`doc` its documentHead()). */
function importMode(session, doc) {
  const rated = doc.rounds.some((r) => session.ratingCounts(r.id).some((n) => n > 0));
  return rated ? 'respondents' : doc.tallies.length ? 'tally' : 'agreed';
}
