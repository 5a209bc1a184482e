// Keeps assessments in the browser's localStorage, under keys that start with the element's
// storage-key: `<key>:assessment:<id>` holds one record, `<key>:current` the one last open.
// A record (version 2) is one compact JSON object:
//   { v: 2, id, area, rounds (labels), updated (ISO time), framework (object, or null for
//     the built-in one), ui (view state), document (the assessment document, an object) }
// Version 1 held the document as JSON text inside the record, which more than doubled its
// size; such records are still read, and written again as version 2 at the next save.
// A record is checked for shape when read and its fields coerced, so a record written by
// hand or by an older page cannot put anything but text where text is shown. Its id is
// always the one in its key. Other windows hear of writes through the `storage` event;
// elements on the same page, which that event does not reach, through `changes`.

export const changes = new EventTarget();

/** A storage key may not hold ':' (it separates the key from what is kept under it). */
export function validStorageKey(key) {
  return typeof key === 'string' && key !== '' && !key.includes(':') && key.length <= 100;
}

const ASSESSMENT = ':assessment:';
const UI_KEYS = {
  view: 'string', mode: 'string', layout: 'string', domain: 'number', round: 'string', respondent: 'string',
  reveal: 'boolean', from: 'string', to: 'string', gapRound: 'string',
};

export class Store {
  constructor(prefix) {
    this.prefix = prefix || 'cascade';
    this.memory = new Map();
    // Full: the browser reads what it keeps but refuses to keep more.
    this.full = false;
    try {
      this.ls = window.localStorage;
      this.ls.getItem(`${this.prefix}:current`);
      this.available = true;
    } catch {
      this.ls = null;
      this.available = false;
      return;
    }
    try {
      const probe = `${this.prefix}:probe`;
      this.ls.setItem(probe, '1');
      this.ls.removeItem(probe);
    } catch {
      this.full = true;
    }
  }

  get(key) {
    return this.ls ? this.ls.getItem(key) : (this.memory.get(key) ?? null);
  }

  /** Writes at once; throws when the browser refuses (storage full). */
  set(key, value) {
    if (!this.ls) {
      this.memory.set(key, value);
      return;
    }
    this.ls.setItem(key, value);
    this.full = false;
    this.tell(key);
  }

  del(key) {
    if (!this.ls) {
      this.memory.delete(key);
      return;
    }
    this.ls.removeItem(key);
    this.tell(key);
  }

  tell(key) {
    changes.dispatchEvent(Object.assign(new Event('change'), { key, from: this }));
  }

  /** Every key this store's element may own: its records and its current one. */
  keys() {
    const all = [];
    if (!this.ls) all.push(...this.memory.keys());
    else for (let i = 0; i < this.ls.length; i++) all.push(this.ls.key(i));
    const head = `${this.prefix}${ASSESSMENT}`;
    return all.filter((k) => typeof k === 'string' && (k.startsWith(head) || k === `${this.prefix}:current` || k === `${this.prefix}:probe`));
  }

  recordKey(id) {
    return `${this.prefix}${ASSESSMENT}${id}`;
  }

  /**
   * Every stored assessment, newest change first: { id, area, updated, rounds }, and
   * records that cannot be read as { id, unreadable: why }, so they can be seen and deleted.
   */
  list() {
    const head = `${this.prefix}${ASSESSMENT}`;
    const out = [];
    for (const k of this.keys()) {
      if (!k.startsWith(head)) continue;
      const id = k.slice(head.length);
      const rec = this.read(id);
      if (rec.error) out.push({ id, unreadable: rec.error, area: '', updated: '', rounds: [] });
      else out.push({ id, area: rec.area, updated: rec.updated, rounds: rec.rounds });
    }
    return out.sort((a, b) => Number(Boolean(a.unreadable)) - Number(Boolean(b.unreadable)) || b.updated.localeCompare(a.updated));
  }

  /** A stored record, checked and coerced, or null when there is none or it cannot be read. */
  load(id) {
    const rec = this.read(id);
    return rec.error ? null : rec;
  }

  /**
   * Reads a record: { id, area, rounds, updated, framework, ui, document (JSON text), raw
   * (the record's text as stored) } or { error } saying why it cannot be used. Read straight
   * from storage every time, since another window may have written it.
   */
  read(id) {
    const text = this.get(this.recordKey(id));
    if (text === null) return { error: 'missing' };
    let raw;
    try {
      raw = JSON.parse(text);
    } catch {
      return { error: 'it is not JSON' };
    }
    const rec = coerce(id, raw);
    if (!rec.error) rec.raw = text;
    return rec;
  }

  /**
   * Writes a record (as save() takes it, its document as JSON text) and returns the text
   * stored, which read() gives back as `raw`; throws when refused.
   */
  save(rec) {
    const { document, ...meta } = rec;
    const head = JSON.stringify({ ...meta, v: 2 });
    // The document is spliced in as it is, rather than parsed and written again.
    const raw = `${head.slice(0, -1)},"document":${document}}`;
    this.set(this.recordKey(rec.id), raw);
    this.setCurrent(rec.id);
    return raw;
  }

  /** Remembers which assessment is open; not a failure when storage is full. */
  setCurrent(id) {
    try {
      if (this.current !== id) this.set(`${this.prefix}:current`, id);
    } catch {
      // The record itself is what matters; the next open picks the newest instead.
    }
  }

  remove(id) {
    this.del(this.recordKey(id));
    if (this.current === id) this.del(`${this.prefix}:current`);
  }

  get current() {
    return this.get(`${this.prefix}:current`);
  }

  /** Removes every assessment this element stored under its key, and nothing else. */
  clear() {
    for (const k of this.keys()) this.del(k);
  }

  newId() {
    const rnd = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    return rnd.slice(0, 18);
  }
}

const text = (v, fallback = '') => (typeof v === 'string' ? v : fallback);

/** The record's fields as the element uses them, or { error }. */
function coerce(id, raw) {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { error: 'it is not a record' };
  let document;
  if (raw.v === 2 && raw.document && typeof raw.document === 'object' && !Array.isArray(raw.document)) {
    document = JSON.stringify(raw.document);
  } else if ((raw.v === 1 || raw.v === undefined) && typeof raw.document === 'string') {
    document = raw.document;
  } else {
    return { error: raw.v !== 1 && raw.v !== 2 ? `its version ${JSON.stringify(raw.v)} is not known` : 'it holds no assessment' };
  }
  const doc = typeof raw.document === 'object' ? raw.document : null;
  const ui = Object.create(null);
  if (raw.ui && typeof raw.ui === 'object') {
    for (const [k, type] of Object.entries(UI_KEYS)) {
      if (Object.hasOwn(raw.ui, k) && typeof raw.ui[k] === type) ui[k] = raw.ui[k];
    }
  }
  const framework = raw.framework && typeof raw.framework === 'object' && !Array.isArray(raw.framework) ? raw.framework : null;
  return {
    id,
    area: text(raw.area, text(doc?.area, '(no name)')).slice(0, 200),
    rounds: Array.isArray(raw.rounds) ? raw.rounds.filter((r) => typeof r === 'string').map((r) => r.slice(0, 200)) : [],
    updated: text(raw.updated),
    framework,
    ui: { ...ui },
    document,
  };
}
