// <cascade-assessment>: the facilitator's page for scoring an area's joint working on the
// CASCADE framework at a baseline and a follow-up workshop, and seeing what changed.
//
// This module wires the DOM and nothing else: scoring, statistics, validation, file formats
// and charts all come from the WebAssembly engine's Session (./pkg/cascade_wasm.js).
// Everything is resolved relative to this module, so the element can be embedded anywhere
// with one script tag. It leaks no globals, uses no inline styles or scripts, and keeps
// its work in localStorage under the `storage-key` attribute.

import { h, morph, download, fileSlug, MODES } from './dom.js';
import { Store } from './store.js';
import { renderScore } from './view-score.js';
import { renderCompare, renderPlan, renderReport } from './view-results.js';
import { renderStart, renderFiles } from './view-files.js';

let enginePromise = null;

/** Loads and initialises the engine once per page, however many elements there are. */
function loadEngine() {
  enginePromise ??= import('./pkg/cascade_wasm.js').then(async (m) => {
    await m.default({ module_or_path: new URL('./pkg/cascade_wasm_bg.wasm', import.meta.url) });
    return m;
  });
  return enginePromise;
}

const VIEWS = [
  ['score', 'Score'],
  ['compare', 'Compare'],
  ['plan', 'Action plan'],
  ['files', 'Saved work'],
];


const DEFAULT_UI = {
  view: 'score',
  mode: 'agreed',
  layout: 'one',
  domain: 0,
  round: null,
  respondent: null,
  reveal: false,
  from: null,
  to: null,
  gapRound: null,
};

class CascadeAssessment extends HTMLElement {
  static observedAttributes = ['area', 'storage-key'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.session = null;
    this.engine = null;
    this.ui = { ...DEFAULT_UI };
    this.present = false;
    this.lastLevel = {};
    this.cache = {};
    this.renderQueued = false;
    this.reportQueued = null;
    this.statusText = '';
    this.errorText = '';
    this.onKey = this.onKey.bind(this);
    this.onDocKey = this.onDocKey.bind(this);
    this.onFullscreen = this.onFullscreen.bind(this);
  }

  connectedCallback() {
    this.addEventListener('keydown', this.onKey);
    document.addEventListener('keydown', this.onDocKey);
    document.addEventListener('fullscreenchange', this.onFullscreen);
    if (!this.booted) {
      this.booted = true;
      this.boot();
    }
  }

  disconnectedCallback() {
    this.removeEventListener('keydown', this.onKey);
    document.removeEventListener('keydown', this.onDocKey);
    document.removeEventListener('fullscreenchange', this.onFullscreen);
  }

  attributeChangedCallback(name, old, value) {
    if (!this.engine || old === value) return;
    this.openInitial();
    this.invalidate();
  }

  // ---- start-up -------------------------------------------------------------------------

  async boot() {
    const root = this.shadowRoot;
    const css = h('link', { rel: 'stylesheet', href: new URL('./cascade.css', import.meta.url).href });
    const cssLoaded = new Promise((resolve) => {
      css.addEventListener('load', resolve, { once: true });
      css.addEventListener('error', resolve, { once: true });
    });
    this.statusEl = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.errorEl = h('div', { class: 'error-slot' });
    this.mainEl = h('div', { class: 'view' }, h('p', { class: 'loading', text: 'Loading the scoring engine…' }));
    this.reportEl = h('section', { class: 'report', 'aria-label': 'Printable report' });
    this.helpDialog = this.buildHelp();
    this.confirmDialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' });
    this.appEl = h('div', { class: 'app' }, this.errorEl, this.mainEl, this.reportEl, this.statusEl, this.helpDialog, this.confirmDialog);
    root.replaceChildren(css, this.appEl);
    try {
      this.engine = await loadEngine();
      this.builtin = this.engine.builtinFramework();
    } catch (e) {
      this.mainEl.replaceChildren(
        h('div', { class: 'fatal', role: 'alert' },
          h('h2', { text: 'The scoring engine could not load' }),
          h('p', { text: `Reload the page to try again. Details: ${e?.message ?? e}` })),
      );
      this.emitError(`engine: ${e?.message ?? e}`);
      return;
    }
    this.openInitial();
    this.render();
    await cssLoaded;
    this.toggleAttribute('ready', true);
    this.dispatchEvent(new CustomEvent('cascade-ready', { bubbles: true, composed: true }));
    const print = window.matchMedia('print');
    print.addEventListener?.('change', (e) => e.matches && this.renderReportNow());
    window.addEventListener('beforeprint', () => this.renderReportNow());
  }

  get storageKey() {
    return this.getAttribute('storage-key') || 'cascade';
  }

  /** Opens what the attributes ask for: the area named by `area`, else the last work. */
  openInitial() {
    this.store = new Store(this.storageKey);
    if (!this.store.available) this.showError('This browser is not keeping data for this page, so work will be lost when it closes. Export your work before closing.');
    const area = this.getAttribute('area')?.trim();
    const saved = this.store.list();
    if (area) {
      const match = saved.find((r) => r.area === area);
      if (match && this.openStored(match.id)) return;
      this.createAssessment(area, ['Baseline', 'Follow-up'], [], null);
      return;
    }
    const current = this.store.current;
    if (current && this.openStored(current)) return;
    if (saved.length && this.openStored(saved[0].id)) return;
    this.closeSession();
    this.ui = { ...DEFAULT_UI, view: 'start' };
  }

  closeSession() {
    if (this.session) this.session.free();
    this.session = null;
    this.doc = null;
    this.fw = null;
    this.recordId = null;
    this.cache = {};
  }

  /** Opens a stored assessment; false (and a message) when it cannot be read. */
  openStored(id) {
    const rec = this.store.load(id);
    if (!rec) return false;
    let session;
    try {
      session = this.engine.Session.fromJson(rec.document, rec.framework ?? undefined);
    } catch (e) {
      this.showError(`Saved assessment "${rec.area}" could not be opened: ${e.message}`);
      return false;
    }
    this.closeSession();
    this.session = session;
    this.recordId = rec.id;
    this.customFramework = rec.framework ?? null;
    this.ui = { ...DEFAULT_UI, ...(rec.ui ?? {}) };
    this.refresh();
    this.store.set(`${this.store.prefix}:current`, rec.id);
    return true;
  }

  /** Starts a new assessment and keeps it. Throws the engine's error when the input is bad. */
  createAssessment(area, labels, dates, framework) {
    const S = this.engine.Session;
    let s = S.create(area, labels, framework ?? undefined);
    const rounds = s.document().rounds;
    if (dates.some(Boolean)) {
      rounds.forEach((r, i) => {
        if (dates[i]) s.apply({ op: 'set_round', id: r.id, label: r.label, date: dates[i] });
      });
      // A fresh session, so that undo does not start by removing the dates just given.
      const clean = S.fromJson(s.toJson(), framework ?? undefined);
      s.free();
      s = clean;
    }
    this.closeSession();
    this.session = s;
    this.customFramework = framework ?? null;
    this.recordId = this.store.newId();
    this.ui = { ...DEFAULT_UI };
    this.refresh();
    this.save();
  }

  /** Re-reads the document and framework from the session and forgets cached results. */
  refresh() {
    this.doc = this.session.document();
    this.fw = this.session.framework();
    this.cache = {};
    const rounds = this.doc.rounds.map((r) => r.id);
    const ui = this.ui;
    if (!rounds.includes(ui.round)) ui.round = rounds[0];
    if (!rounds.includes(ui.from)) ui.from = rounds[0];
    if (!rounds.includes(ui.to)) ui.to = rounds[Math.min(1, rounds.length - 1)];
    if (!rounds.includes(ui.gapRound)) ui.gapRound = ui.to;
    if (!(ui.domain >= 0 && ui.domain < this.fw.domains.length)) ui.domain = 0;
    const people = this.doc.respondents.map((r) => r.id);
    if (!people.includes(ui.respondent)) ui.respondent = people[0] ?? null;
    if (!MODES.some(([m]) => m === ui.mode)) ui.mode = 'agreed';
  }

  save() {
    if (!this.session) return;
    const rec = {
      v: 1,
      id: this.recordId,
      area: this.doc.area,
      rounds: this.doc.rounds.map((r) => r.label),
      updated: new Date().toISOString(),
      framework: this.customFramework,
      document: this.session.toJson(),
      ui: { ...this.ui, view: this.ui.view === 'start' ? 'score' : this.ui.view },
    };
    try {
      this.store.save(rec);
    } catch (e) {
      this.showError(`Could not save in this browser (${e.message}). Export your work as a file to keep it.`);
    }
  }

  // ---- changes ---------------------------------------------------------------------------

  /** Applies one edit through the engine; on success saves at once and repaints. */
  edit(edit, message) {
    if (!this.session) return false;
    try {
      this.session.apply(edit);
    } catch (e) {
      this.showError(e.message);
      return false;
    }
    this.afterChange(edit.op, message);
    return true;
  }

  afterChange(op, message) {
    this.refresh();
    this.save();
    this.clearError();
    if (message) this.announce(message);
    this.invalidate();
    this.scheduleReport();
    this.dispatchEvent(new CustomEvent('cascade-change', {
      bubbles: true,
      composed: true,
      detail: { id: this.recordId, area: this.doc.area, op },
    }));
  }

  undo() {
    if (this.session?.undo()) this.afterChange('undo', 'Undone');
    else this.announce('Nothing to undo');
  }

  redo() {
    if (this.session?.redo()) this.afterChange('redo', 'Redone');
    else this.announce('Nothing to redo');
  }

  /** Saves the view state (which round, mode, domain) without touching the document. */
  setUi(patch) {
    Object.assign(this.ui, patch);
    this.refresh();
    this.save();
    this.invalidate();
  }

  // ---- derived data from the engine ------------------------------------------------------

  summary() {
    this.cache.summary ??= this.session.summary();
    return this.cache.summary;
  }

  roundSummary(round) {
    return this.summary().rounds.find((r) => r.round === round) ?? null;
  }

  domainSummary(round, domain) {
    return this.roundSummary(round)?.domains.find((d) => d.domain === domain) ?? null;
  }

  compare(from, to) {
    const key = `compare:${from}:${to}`;
    if (!(key in this.cache)) {
      try {
        this.cache[key] = this.session.compare(from, to);
      } catch (e) {
        this.cache[key] = null;
        this.showError(e.message);
      }
    }
    return this.cache[key];
  }

  /** A chart's SVG text from the engine, cached until the next change. */
  chartText(kind, ...args) {
    const key = `svg:${kind}:${JSON.stringify(args)}`;
    if (!(key in this.cache)) this.cache[key] = this.session[kind](...args);
    return this.cache[key];
  }

  roundLabel(id) {
    return this.doc.rounds.find((r) => r.id === id)?.label ?? id;
  }

  levelLabel(level) {
    return this.fw.levels[level - 1]?.label ?? String(level);
  }

  domainName(d) {
    const s = d.id.replace(/[-_]+/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  agreedOf(round, domain) {
    return this.doc.agreed.find((a) => a.round === round && a.domain === domain)?.level ?? null;
  }

  targetOf(domain) {
    return this.doc.targets.find((t) => t.domain === domain)?.level ?? null;
  }

  tallyOf(round, domain) {
    return this.doc.tallies.find((t) => t.round === round && t.domain === domain && (t.group ?? 'other') === 'other') ?? null;
  }

  ratingOf(round, respondent, domain) {
    const r = this.doc.ratings.find((x) => x.round === round && x.respondent === respondent && x.domain === domain);
    return r ? r.level : null;
  }

  // ---- scoring actions (keyboard and pointer share these) --------------------------------

  get domain() {
    return this.fw.domains[this.ui.domain];
  }

  /** The level the focused domain shows as chosen in the current mode, if any. */
  currentLevel(domain = this.domain) {
    const { round, mode, respondent } = this.ui;
    if (mode === 'agreed') return this.agreedOf(round, domain.id);
    if (mode === 'respondents') {
      const v = respondent ? this.ratingOf(round, respondent, domain.id) : null;
      return typeof v === 'number' ? v : null;
    }
    return this.lastLevel[domain.id] ?? null;
  }

  setLevel(level, { remove = false, domain = this.domain } = {}) {
    const { round, mode, respondent } = this.ui;
    const label = `${this.domainName(domain)}, ${this.roundLabel(round)}`;
    if (level !== null && level !== 'unsure') this.lastLevel[domain.id] = level;
    if (mode === 'agreed') {
      if (level === 'unsure') level = null;
      if (this.agreedOf(round, domain.id) === level) return;
      this.edit({ op: 'set_agreed', round, domain: domain.id, level },
        level === null ? `${label}: no agreed level` : `${label}: agreed level ${level}, ${this.levelLabel(level)}`);
    } else if (mode === 'tally') {
      const t = this.tallyOf(round, domain.id);
      const counts = t ? [...t.counts] : this.fw.levels.map(() => 0);
      let unsure = t?.unsure ?? 0;
      let what;
      if (level === null) {
        counts.fill(0);
        unsure = 0;
        what = 'hands cleared';
      } else if (level === 'unsure') {
        if (remove && unsure === 0) return;
        unsure += remove ? -1 : 1;
        what = `${unsure} unsure`;
      } else {
        if (remove && counts[level - 1] === 0) return;
        counts[level - 1] += remove ? -1 : 1;
        what = `${counts[level - 1]} ${counts[level - 1] === 1 ? 'hand' : 'hands'} at level ${level}`;
      }
      this.edit({ op: 'set_tally', round, domain: domain.id, counts, unsure }, `${label}: ${what}`);
    } else {
      if (!respondent) {
        this.showError('Add a person first: each rating belongs to one person. Use "Add person" below.');
        return;
      }
      if (this.ratingOf(round, respondent, domain.id) === level) return;
      const said = level === null ? 'no rating' : level === 'unsure' ? 'unsure' : `level ${level}, ${this.levelLabel(level)}`;
      this.edit({ op: 'set_rating', round, respondent, domain: domain.id, level }, `${label}, ${respondent}: ${said}`);
    }
  }

  setTally(domain, counts, unsure) {
    this.edit({ op: 'set_tally', round: this.ui.round, domain: domain.id, counts, unsure },
      `${this.domainName(domain)}: hands updated`);
  }

  toggleTarget(domain = this.domain) {
    const level = this.currentLevel(domain);
    if (level === null) {
      this.announce('Choose a level first, then press T to make it the target');
      this.showError(`No level chosen for ${this.domainName(domain)} yet: choose one, then press T to make it the target.`);
      return;
    }
    const same = this.targetOf(domain.id) === level;
    this.edit({ op: 'set_target', domain: domain.id, level: same ? null : level },
      same ? `${this.domainName(domain)}: target cleared` : `${this.domainName(domain)}: target level ${level}`);
  }

  moveDomain(step) {
    const n = this.fw.domains.length;
    const next = (this.ui.domain + step + n) % n;
    this.ui.domain = next;
    this.focusAfterRender = `domain:${next}`;
    this.announce(`${this.fw.domains[next].letter} ${this.fw.domains[next].title}`);
    this.setUi({});
  }

  moveRespondent(step) {
    const people = this.doc.respondents;
    if (!people.length) return;
    const i = people.findIndex((p) => p.id === this.ui.respondent);
    const next = people[(i + step + people.length) % people.length];
    this.announce(`Scoring as ${next.id}`);
    this.setUi({ respondent: next.id });
  }

  toggleReveal() {
    this.setUi({ reveal: !this.ui.reveal });
    this.announce(this.ui.reveal ? 'Results shown' : 'Results hidden');
  }

  togglePresent() {
    this.present = !this.present;
    if (this.present) {
      if (this.ui.view !== 'score' && this.ui.view !== 'compare') this.ui.view = 'score';
      this.requestFullscreen?.().catch(() => {});
    } else if (document.fullscreenElement === this) {
      document.exitFullscreen?.().catch(() => {});
    }
    this.announce(this.present ? 'Presenting: press F to leave' : 'Left presentation');
    this.invalidate();
  }

  onFullscreen() {
    if (!document.fullscreenElement && this.present) {
      this.present = false;
      this.invalidate();
    }
  }

  // ---- keyboard --------------------------------------------------------------------------

  /** Keys pressed while nothing in particular has focus reach the element too. */
  onDocKey(e) {
    const active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return;
    this.onKey(e);
  }

  onKey(e) {
    if (e.defaultPrevented || e.altKey || e.metaKey) return;
    const target = e.composedPath()[0];
    if (isTyping(target)) return;
    const key = e.key;
    const lower = key.length === 1 ? key.toLowerCase() : key;
    if (this.helpDialog.open || this.confirmDialog.open) {
      if (key === '?' && this.helpDialog.open) {
        this.helpDialog.close();
        e.preventDefault();
      }
      return;
    }
    const handled = () => e.preventDefault();
    if (e.ctrlKey) {
      if (!this.session) return;
      if (lower === 'z' && !e.shiftKey) { handled(); this.undo(); }
      else if ((lower === 'z' && e.shiftKey) || lower === 'y') { handled(); this.redo(); }
      return;
    }
    if (key === '?') { handled(); this.helpDialog.showModal(); return; }
    if (!this.session || this.ui.view === 'start') return;
    if (target instanceof HTMLElement && target.matches('button, a, summary') && (key === 'Enter' || key === ' ')) return;
    if (lower === 'f') { handled(); this.togglePresent(); return; }
    if (lower === 'r') { handled(); this.toggleReveal(); return; }
    if (lower === 'z') { handled(); this.undo(); return; }
    if (lower === 'y') { handled(); this.redo(); return; }
    if (this.ui.view !== 'score') return;
    const digit = digitOf(e);
    if (digit !== null) {
      const level = digit === 0 ? 10 : digit;
      if (level > this.fw.levels.length) {
        this.announce(`This scale has levels 1 to ${this.fw.levels.length}`);
        handled();
        return;
      }
      handled();
      this.setLevel(level, { remove: e.shiftKey });
      return;
    }
    if (lower === 'u') { handled(); this.setLevel('unsure', { remove: e.shiftKey }); return; }
    if (lower === 't') { handled(); this.toggleTarget(); return; }
    if (key === 'Delete' || key === 'Backspace') { handled(); this.setLevel(null); return; }
    if (key === '[' || key === ']') { handled(); this.moveRespondent(key === ']' ? 1 : -1); return; }
    if (key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown') {
      if (target instanceof HTMLElement && target.dataset.role === 'who') return; // choosing a person
      handled();
      this.moveDomain(key === 'ArrowLeft' || key === 'ArrowUp' ? -1 : 1);
    }
  }

  // ---- messages --------------------------------------------------------------------------

  announce(text) {
    // Re-set so that the same message twice is still read out.
    this.statusEl.textContent = '';
    this.statusEl.textContent = text;
  }

  showError(message) {
    this.errorText = message;
    this.renderError();
    this.errorEl?.scrollIntoView?.({ block: 'nearest' });
    this.emitError(message);
  }

  clearError() {
    if (!this.errorText) return;
    this.errorText = '';
    this.renderError();
  }

  emitError(message) {
    this.dispatchEvent(new CustomEvent('cascade-error', { bubbles: true, composed: true, detail: { message } }));
  }

  renderError() {
    if (!this.errorEl) return;
    if (!this.errorText) {
      this.errorEl.replaceChildren();
      return;
    }
    this.errorEl.replaceChildren(h('div', { class: 'error', role: 'alert' },
      h('span', { class: 'error-icon', 'aria-hidden': 'true', text: '!' }),
      h('p', { class: 'error-text', text: this.errorText }),
      h('button', { type: 'button', class: 'quiet', 'data-k': 'dismiss-error', onclick: () => this.clearError() }, 'Dismiss')));
  }

  /** A modal question; resolves true when the person confirms. */
  confirm(title, text, yes) {
    const d = this.confirmDialog;
    return new Promise((resolve) => {
      const done = (v) => { d.close(); resolve(v); };
      d.replaceChildren(
        h('h2', { id: 'confirm-title', text: title }),
        h('p', { text }),
        h('div', { class: 'dialog-buttons' },
          h('button', { type: 'button', class: 'quiet', onclick: () => done(false) }, 'Cancel'),
          h('button', { type: 'button', class: 'danger', 'data-k': 'confirm-yes', onclick: () => done(true) }, yes)),
      );
      const stop = new AbortController();
      d.addEventListener('cancel', () => resolve(false), { signal: stop.signal });
      d.addEventListener('close', () => stop.abort(), { once: true });
      d.showModal();
    });
  }

  buildHelp() {
    const keys = [
      ['1 – 5', 'Set the level of the domain in focus (in “show of hands”: add a hand)'],
      ['Shift + 1 – 5', 'Show of hands: take a hand away'],
      ['U', 'Unsure (“don’t know”); in agreed mode: no agreed level'],
      ['T', 'Make the current level the target (again to clear)'],
      ['Delete', 'Clear this domain’s level'],
      ['← → ↑ ↓', 'Previous or next domain'],
      ['[ ]', 'Previous or next person (each-person mode)'],
      ['R', 'Reveal or hide the results'],
      ['F', 'Present full screen, or leave it'],
      ['Z or Ctrl+Z', 'Undo'],
      ['Y, Ctrl+Y or Ctrl+Shift+Z', 'Redo'],
      ['?', 'Show or hide these keys'],
    ];
    const d = h('dialog', { class: 'help', 'aria-labelledby': 'help-title' },
      h('h2', { id: 'help-title', text: 'Keyboard shortcuts' }),
      h('p', { text: 'Keys work whenever you are not typing in a box. Everything can also be done with the mouse or a touch screen.' }),
      h('table', { class: 'keys' },
        h('caption', { class: 'visually-hidden', text: 'Keys and what they do' }),
        h('thead', null, h('tr', null, h('th', { scope: 'col', text: 'Key' }), h('th', { scope: 'col', text: 'What it does' }))),
        h('tbody', null, keys.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, h('kbd', { text: k })), h('td', { text: v }))))),
      h('div', { class: 'dialog-buttons' },
        h('button', { type: 'button', onclick: () => d.close() }, 'Close')));
    return d;
  }

  // ---- rendering -------------------------------------------------------------------------

  /** Repaints before the next frame; many changes in one task paint once. */
  invalidate() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  render() {
    if (!this.engine) return;
    const active = this.shadowRoot.activeElement;
    const moved = Boolean(this.focusAfterRender || this.focusSelector);
    // Focus follows the domain when the keys moved it, and the checked level within a
    // domain's radio group when a number key changed it; otherwise it stays put.
    let focusSel = null;
    if (this.focusSelector) focusSel = this.focusSelector;
    else if (this.focusAfterRender) focusSel = `[data-domain-focus="${this.focusAfterRender}"]`;
    else if (active?.dataset?.group) focusSel = `[data-domain-focus="${CSS.escape(active.dataset.group)}"]`;
    else if (active?.dataset?.k) focusSel = `[data-k="${CSS.escape(active.dataset.k)}"]`;
    this.focusAfterRender = null;
    this.focusSelector = null;
    this.appEl.classList.toggle('presenting', this.present);
    this.appEl.dataset.view = this.ui.view;
    let body;
    try {
      if (!this.session || this.ui.view === 'start') body = renderStart(this);
      else body = [this.renderBar(), this.renderView()];
    } catch (e) {
      body = h('div', { class: 'fatal', role: 'alert' }, h('h2', { text: 'Something went wrong showing this view' }), h('p', { text: e.message }));
      this.emitError(e.message);
    }
    morph(this.mainEl, [body].flat());
    this.renderError();
    if (focusSel) {
      const el = this.shadowRoot.querySelector(focusSel);
      if (el && el !== this.shadowRoot.activeElement) {
        el.focus({ preventScroll: !moved });
        if (moved) el.scrollIntoView?.({ block: 'nearest' });
      }
    }
  }

  renderView() {
    switch (this.ui.view) {
      case 'compare': return renderCompare(this);
      case 'plan': return renderPlan(this);
      case 'files': return renderFiles(this);
      default: return renderScore(this);
    }
  }

  renderBar() {
    const ui = this.ui;
    const nav = h('nav', { class: 'views', 'aria-label': 'Views' },
      VIEWS.map(([id, label]) => h('button', {
        type: 'button',
        class: 'tab',
        'data-k': `view:${id}`,
        'aria-current': ui.view === id ? 'page' : null,
        onclick: () => this.setUi({ view: id }),
      }, label)));
    const tools = h('div', { class: 'tools' },
      h('button', {
        type: 'button', class: ['toggle', 'reveal'], 'data-k': 'reveal', 'aria-pressed': String(ui.reveal),
        onclick: () => this.toggleReveal(),
      }, 'Reveal results ', h('kbd', { text: 'R' })),
      h('button', { type: 'button', 'data-k': 'undo', disabled: !this.session.canUndo(), onclick: () => this.undo() },
        h('span', { 'aria-hidden': 'true', text: '↶ ' }), 'Undo'),
      h('button', { type: 'button', 'data-k': 'redo', disabled: !this.session.canRedo(), onclick: () => this.redo() },
        h('span', { 'aria-hidden': 'true', text: '↷ ' }), 'Redo'),
      h('button', { type: 'button', 'data-k': 'present', 'aria-pressed': String(this.present), onclick: () => this.togglePresent() },
        'Present ', h('kbd', { text: 'F' })),
      h('button', { type: 'button', 'data-k': 'help', onclick: () => this.helpDialog.showModal() }, 'Keys ', h('kbd', { text: '?' })));
    return h('header', { class: 'bar' },
      h('div', { class: 'title' },
        h('h2', { class: 'area' }, h('span', { class: 'area-name', text: this.doc.area }),
          h('span', { class: 'round-now', text: ` · ${this.roundLabel(ui.round)}` })),
        h('span', { class: 'framework', text: `${this.fw.name} · levels 1–${this.fw.levels.length}` })),
      nav, tools);
  }

  /** Keeps the print report current, a moment after the last change. */
  scheduleReport() {
    clearTimeout(this.reportQueued);
    this.reportQueued = setTimeout(() => this.renderReportNow(), 400);
  }

  renderReportNow() {
    clearTimeout(this.reportQueued);
    if (!this.session) {
      this.reportEl.replaceChildren();
      return;
    }
    try {
      this.reportEl.replaceChildren(...renderReport(this));
    } catch (e) {
      this.reportEl.replaceChildren(h('p', { text: `The report could not be made: ${e.message}` }));
    }
  }

  // ---- files -----------------------------------------------------------------------------

  exportJson() {
    download(this.shadowRoot, `${fileSlug(this.doc.area)}-cascade.json`, 'application/json', this.session.toJson());
    this.announce('Downloaded the assessment as JSON');
  }

  exportCsv() {
    download(this.shadowRoot, `${fileSlug(this.doc.area)}-cascade.csv`, 'text/csv', this.session.toCsv());
    this.announce('Downloaded the ratings as CSV');
  }

  exportSvg(name, text) {
    download(this.shadowRoot, `${fileSlug(this.doc.area)}-${name}.svg`, 'image/svg+xml', `<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
    this.announce('Downloaded the chart as SVG');
  }

  /**
   * Imports a JSON assessment or tidy CSV file as a new saved assessment and opens it.
   * A bad file changes nothing: the message says what is wrong and where.
   */
  async importFile(file) {
    if (!file) return;
    let text;
    try {
      text = await file.text();
    } catch (e) {
      this.showError(`${file.name}: the file could not be read (${e.message})`);
      return;
    }
    const S = this.engine.Session;
    const isJson = /\.json$/i.test(file.name) || /^\s*[{[]/.test(text);
    const fw = this.customFramework ?? undefined;
    let session;
    try {
      session = isJson ? S.fromJson(text, fw) : S.fromCsv(text, fw);
    } catch (e) {
      this.showError(`${file.name} was not imported: ${e.message}. Nothing has changed.`);
      return;
    }
    this.closeSession();
    this.session = session;
    this.customFramework = fw ?? null;
    this.recordId = this.store.newId();
    this.ui = { ...DEFAULT_UI, view: 'score' };
    this.refresh();
    this.ui.mode = this.doc.ratings.length ? 'respondents' : this.doc.tallies.length ? 'tally' : 'agreed';
    this.save();
    this.clearError();
    this.announce(`Imported ${file.name}: ${this.doc.area}`);
    this.invalidate();
    this.scheduleReport();
    this.dispatchEvent(new CustomEvent('cascade-change', { bubbles: true, composed: true, detail: { id: this.recordId, area: this.doc.area, op: 'import' } }));
  }

  openAssessment(id) {
    if (this.openStored(id)) {
      this.ui.view = 'score';
      this.clearError();
      this.announce(`Opened ${this.doc.area}`);
      this.invalidate();
      this.scheduleReport();
    }
  }

  async deleteAssessment(id, area) {
    if (!(await this.confirm('Delete this assessment?', `“${area}” and all its scores will be removed from this browser. Export it first if you may need it.`, 'Delete'))) return;
    this.store.remove(id);
    if (id === this.recordId) this.openInitial();
    this.announce(`Deleted ${area}`);
    this.invalidate();
    this.scheduleReport();
  }

  async clearAll() {
    if (!(await this.confirm('Clear all stored data?', 'Every assessment kept by this page in this browser will be deleted. This cannot be undone.', 'Clear everything'))) return;
    this.store.clear();
    this.closeSession();
    this.ui = { ...DEFAULT_UI, view: 'start' };
    this.announce('All stored data cleared');
    this.invalidate();
    this.renderReportNow();
  }

  newAssessment() {
    this.ui.view = 'start';
    this.startDraft = null;
    this.invalidate();
  }
}

function isTyping(el) {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) {
    return !['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  }
  return false;
}

/** The digit of a number key, also with Shift held (which changes `key` but not `code`). */
function digitOf(e) {
  const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code ?? '');
  if (m) return Number(m[1]);
  if (/^\d$/.test(e.key)) return Number(e.key);
  return null;
}

if (!customElements.get('cascade-assessment')) {
  customElements.define('cascade-assessment', CascadeAssessment);
}

export { CascadeAssessment };
