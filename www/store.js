// Keeps assessments in the browser's localStorage, under keys that start with the element's
// storage-key: `<key>:assessment:<id>` holds one record, `<key>:current` the one last open.
// A record: { v: 1, id, area, updated (ISO time), framework (object, or null for the
// built-in one), document (the assessment JSON text from the engine), ui (view state) }.
// Other windows hear of writes through the `storage` event; elements on the same page,
// which that event does not reach, through `changes` (a `change` event with `key`, `from`).

export const changes = new EventTarget();

export class Store {
  constructor(prefix) {
    this.prefix = prefix || 'cascade';
    this.memory = new Map();
    try {
      this.ls = window.localStorage;
      const probe = `${this.prefix}:probe`;
      this.ls.setItem(probe, '1');
      this.ls.removeItem(probe);
      this.available = true;
    } catch {
      this.ls = null;
      this.available = false;
    }
  }

  get(key) {
    return this.ls ? this.ls.getItem(key) : (this.memory.get(key) ?? null);
  }

  set(key, value) {
    if (!this.ls) {
      this.memory.set(key, value);
      return;
    }
    this.ls.setItem(key, value);
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

  keys() {
    if (!this.ls) return [...this.memory.keys()];
    const out = [];
    for (let i = 0; i < this.ls.length; i++) out.push(this.ls.key(i));
    return out;
  }

  recordKey(id) {
    return `${this.prefix}:assessment:${id}`;
  }

  /** Every stored assessment, newest change first: { id, area, updated }. */
  list() {
    const head = `${this.prefix}:assessment:`;
    const out = [];
    for (const k of this.keys()) {
      if (!k || !k.startsWith(head)) continue;
      const rec = this.load(k.slice(head.length));
      if (rec) out.push({ id: rec.id, area: rec.area, updated: rec.updated, rounds: rec.rounds ?? [] });
    }
    return out.sort((a, b) => String(b.updated).localeCompare(String(a.updated)));
  }

  load(id) {
    try {
      const rec = JSON.parse(this.get(this.recordKey(id)) ?? 'null');
      return rec && typeof rec.document === 'string' ? rec : null;
    } catch {
      return null;
    }
  }

  /** Writes a record at once; throws when the browser refuses (storage full). */
  save(rec) {
    this.set(this.recordKey(rec.id), JSON.stringify(rec));
    this.set(`${this.prefix}:current`, rec.id);
  }

  remove(id) {
    this.del(this.recordKey(id));
    if (this.current === id) this.del(`${this.prefix}:current`);
  }

  get current() {
    return this.get(`${this.prefix}:current`);
  }

  /** Removes everything this element stored under its key, and nothing else. */
  clear() {
    for (const k of this.keys()) {
      if (k && k.startsWith(`${this.prefix}:`)) this.del(k);
    }
  }

  newId() {
    const rnd = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    return rnd.slice(0, 18);
  }
}
