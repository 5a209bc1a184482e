// <cascade-assessment>: the facilitator's page for scoring an area's joint working on the
// CASCADE framework at a baseline and a follow-up workshop, and seeing what changed.
//
// This module wires the DOM and nothing else: scoring, statistics, validation, file formats
// and charts all come from the WebAssembly engine's Session (./pkg/cascade_wasm.js).
// Everything is resolved relative to this module, so the element can be embedded anywhere
// (websites load it through cascade-widget.js, which imports this module only once an
// element is on the page). It leaks no globals, uses no inline styles or scripts, keeps
// its work in localStorage under the `storage-key` attribute, and in the `results` and
// `read-only` modes changes and stores nothing. Attributes, the JavaScript API and the
// events are described in cascade-widget.d.ts.

import { h, dom, fill, morph, download, fileSlug, MODES } from './dom.js';
import { KEYMAP, available, entryFor, say, VIEW_KEYS } from './keys.js';
import { CAPTURE, HANDS_GROUPS } from './capture.js';
import { Store, changes, validStorageKey } from './store.js';
import { saveStatus, unsavedMessage } from './save-status.js';
import { renderScore, SCORE_PARTS, scoreParts } from './view-score.js';
import { themeProblems, stylesheetUrl, moreStylesheetUrl } from './theme.js';
// The engine is started once per page, by whichever module asks first; see engine.js.
import { loadEngine } from './engine.js';

/** What a site's administrator does about a file of the widget that did not arrive. */
const COPY_AGAIN = 'The website’s administrator can fix this by copying the whole cascade-widget folder to the site again';

/** The policy line a page needs; named in the message when WebAssembly is refused. */
const SCRIPT_SRC = "script-src 'self' 'wasm-unsafe-eval'";

/** The views of each mode, in tab order; the first is where the element opens. */
const VIEWS = {
  score: [
    ['score', 'Score'],
    ['compare', 'Compare'],
    ['plan', 'Action plan'],
    ['files', 'Saved work'],
  ],
  results: [
    ['compare', 'Compare'],
    ['results', 'Results'],
  ],
  'read-only': [
    ['score', 'Score'],
    ['results', 'Results'],
    ['compare', 'Compare'],
    ['plan', 'Action plan'],
  ],
};

/** Every view's name, whichever mode has it. */
const VIEWS_ALL = Object.fromEntries(Object.values(VIEWS).flat());

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
  // Show of hands: null counts the room as a whole; a group id counts that group's hands.
  handsGroup: null,
  // Each person: whether the room sees who rated what. Off, each person's levels stay private.
  names: false,
};



const DEFAULT_ROUNDS = ['Baseline', 'Follow-up'];

/**
 * The views' code that is fetched on first use, not with the element: most visitors only
 * score, so Compare, Action plan, Results and the print report (view-results.js), the start
 * form (view-start.js), Saved work (view-files.js), and the score view's results once
 * revealed and show of hands (SCORE_PARTS) come when first shown. What the
 * element opens on is fetched before `ready`. Shared by every element on the page.
 */
const LAZY = {
  results: { load: () => import('./view-results.js') },
  start: { load: () => import('./view-start.js') },
  files: { load: () => import('./view-files.js') },
  ...Object.fromEntries(Object.entries(SCORE_PARTS).map(([name, load]) => [name, { load }])),
};
for (const [name, code] of Object.entries(LAZY)) code.id = name;

/**
 * The elements on the page that have started: the second stylesheet goes into all of them at
 * once, so that it is fetched once however many there are.
 */
const STARTED = new Set();

/**
 * The module of `name` when it has arrived; else starts fetching it (once) and returns null.
 * A failure is kept: browsers keep a module that failed to load failed until a reload.
 */
function lazy(name) {
  const code = LAZY[name];
  code.promise ??= code.load().then((m) => { code.module = m; }, (e) => { code.error = e; });
  return code.module ?? null;
}

class CascadeAssessment extends HTMLElement {
  static observedAttributes = ['area', 'storage-key', 'mode', 'rounds', 'framework', 'lang', 'language', 'page-keys', 'class', 'style'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.session = null;
    this.engine = null;
    this.ui = { ...DEFAULT_UI };
    this.present = false;
    // The domain whose target the next key sets, after T.
    this.pendingTarget = null;
    this.personNote = null;
    this.lastLevel = new Map();
    this.cache = {};
    this.renderQueued = false;
    this.reportQueued = null;
    this.statusText = '';
    this.errorText = '';
    this.failed = null;
    this.siteFramework = null;
    this.warned = new Set();
    /** Settles once: resolved when the element can be used, rejected if it cannot start. */
    this.ready = new Promise((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // Handled here so that a page which never awaits it logs no unhandled rejection;
    // `await element.ready` still throws.
    this.ready.catch(() => {});
    this.onKey = this.onKey.bind(this);
    this.onDocKey = this.onDocKey.bind(this);
    this.onFullscreen = this.onFullscreen.bind(this);
    this.onPrint = this.onPrint.bind(this);
    this.onStorage = this.onStorage.bind(this);
    this.onPageHide = this.onPageHide.bind(this);
    // A change is kept after its frame is painted (saveSoon), not in the key's own task.
    this.savePending = false;
    this.saveTimers = [];
  }

  connectedCallback() {
    this.addEventListener('keydown', this.onKey);
    this.listenToPage(this.hasAttribute('page-keys'));
    document.addEventListener('fullscreenchange', this.onFullscreen);
    window.addEventListener('beforeprint', this.onPrint);
    window.addEventListener('storage', this.onStorage);
    changes.addEventListener('change', this.onStorage);
    window.addEventListener('pagehide', this.onPageHide);
    document.addEventListener('visibilitychange', this.onPageHide);
    if (!this.booted) {
      this.booted = true;
      this.boot();
    }
  }

  /** Firefox blurs only the host and leaves focus on the control inside: blur that too. */
  blur() {
    this.shadowRoot.activeElement?.blur();
    super.blur();
  }

  disconnectedCallback() {
    this.removeEventListener('keydown', this.onKey);
    this.listenToPage(false);
    document.removeEventListener('fullscreenchange', this.onFullscreen);
    window.removeEventListener('beforeprint', this.onPrint);
    window.removeEventListener('storage', this.onStorage);
    changes.removeEventListener('change', this.onStorage);
    window.removeEventListener('pagehide', this.onPageHide);
    document.removeEventListener('visibilitychange', this.onPageHide);
    this.flushSave();
  }

  /** The page is going away or out of sight (or back): what is not yet kept is kept now. */
  onPageHide() {
    this.flushSave();
  }

  /** Keys pressed while nothing has focus reach the element only with `page-keys`. */
  listenToPage(on) {
    if (on) document.addEventListener('keydown', this.onDocKey);
    else document.removeEventListener('keydown', this.onDocKey);
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === 'page-keys') {
      if (this.isConnected) this.listenToPage(value !== null);
      return;
    }
    if (name === 'lang' || name === 'language') {
      this.checkLanguage();
      return;
    }
    if (name === 'class' || name === 'style') {
      this.checkTheme();
      return;
    }
    if (!this.engine || this.failed) return;
    if (name === 'framework') {
      this.loadSiteFramework().then((ok) => {
        if (!ok) return;
        this.startDraft = null;
        this.invalidate();
      });
      return;
    }
    if (name === 'rounds') {
      // Only assessments started from now on take the new rounds.
      this.startDraft = null;
      this.invalidate();
      return;
    }
    if (name === 'mode') {
      this.checkMode();
      if (this.session) this.refresh();
      else this.openInitial();
      this.invalidate();
      return;
    }
    this.openInitial();
    this.invalidate();
  }

  // ---- attributes --------------------------------------------------------------------

  /** `score` (the default), `results` or `read-only`. */
  get mode() {
    const m = (this.getAttribute('mode') ?? '').trim().toLowerCase();
    if (m === 'results') return 'results';
    if (m === 'read-only' || m === 'readonly') return 'read-only';
    return 'score';
  }

  /** True in the results and read-only modes: nothing can be changed or stored. */
  get readOnly() {
    return this.mode !== 'score';
  }

  get views() {
    return VIEWS[this.mode];
  }

  get storageKey() {
    const key = this.getAttribute('storage-key') || 'cascade';
    if (validStorageKey(key)) return key;
    // "a:assessment" would read and clear the records of storage-key="a".
    const safe = key.replace(/:/g, '-').slice(0, 100);
    this.warnOnce(`storage-key="${key}" may not contain ":" or be longer than 100 characters; using "${safe}".`);
    return safe;
  }

  /** Round labels for new assessments, from `rounds="Baseline, Follow-up"`. */
  get roundLabels() {
    const labels = (this.getAttribute('rounds') ?? '').split(',').map((l) => l.trim()).filter(Boolean);
    return labels.length ? labels : [...DEFAULT_ROUNDS];
  }

  /**
   * What tells this element's landmarks and sections apart from another's when a page has
   * several (its area, and its mode unless scoring); empty when it is alone.
   */
  get landmarkContext() {
    const root = this.getRootNode();
    if (!root.querySelectorAll || root.querySelectorAll('cascade-assessment').length < 2) return '';
    const name = this.doc?.area ?? this.getAttribute('area')?.trim() ?? this.storageKey;
    return this.mode === 'score' ? name : `${name}, ${this.mode === 'results' ? 'results' : 'read only'}`;
  }

  /** A landmark's label, told apart from other widgets' on the same page. */
  named(label) {
    const c = this.landmarkContext;
    return c ? `${label}: ${c}` : label;
  }

  /** The same, for a heading that names a section: a hidden suffix, or nothing. */
  headingContext() {
    const c = this.landmarkContext;
    return c ? h('span', { class: 'visually-hidden', text: ` (${c})` }) : null;
  }

  warnOnce(text) {
    if (this.warned.has(text)) return;
    this.warned.add(text);
    console.warn(`<cascade-assessment>: ${text}`);
  }

  checkMode() {
    const m = this.getAttribute('mode');
    if (m !== null && m.trim() !== '' && !['score', 'results', 'read-only', 'readonly'].includes(m.trim().toLowerCase())) {
      this.warnOnce(`mode="${m}" is not one of score, results or read-only; using score.`);
    }
  }

  /** Only English text exists: anything else falls back to it, with a warning. */
  checkLanguage() {
    const lang = (this.getAttribute('language') ?? this.getAttribute('lang') ?? '').trim();
    if (lang && !/^en(-|$)/i.test(lang)) {
      this.warnOnce(`language "${lang}" is not available; only English (en-GB) text exists, so the widget is shown in English.`);
    }
  }

  /**
   * Falls back to the default colours, with a warning naming the properties, when the
   * page's theme would leave text below 4.5:1 contrast.
   */
  checkTheme() {
    if (!this.appEl || !this.cssReady) return;
    const problems = themeProblems(this.probeEl);
    this.appEl.classList.toggle('theme-default', problems.length > 0);
    if (problems.length) {
      this.warnOnce(`the page's theme would make text hard to read: ${problems.join('; ')}. `
        + 'WCAG asks for at least 4.5:1, so the default colours are used instead. Choose darker text or a lighter background in the --cascade-* properties.');
    }
  }

  // ---- start-up -------------------------------------------------------------------------

  async boot() {
    const root = this.shadowRoot;
    const cssUrl = stylesheetUrl();
    const css = dom(h('link', { rel: 'stylesheet', href: cssUrl.href }));
    const cssLoaded = new Promise((resolve) => {
      css.addEventListener('load', () => resolve(true), { once: true });
      css.addEventListener('error', () => resolve(false), { once: true });
    });
    this.probeEl = dom(h('span', { class: 'theme-probe', 'aria-hidden': 'true' }));
    this.statusEl = dom(h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }));
    this.errorEl = dom(h('div', { class: 'error-slot' }));
    // tabindex -1: Esc in a box moves focus here, where the keys work, without a Tab stop.
    this.mainEl = dom(h('div', { class: 'view', tabindex: '-1' }, h('p', { class: 'loading', text: 'Loading the scoring engine…' })));
    this.reportEl = dom(h('section', { class: 'report', 'aria-label': 'Printable report' }));
    this.helpDialog = this.buildHelp();
    this.confirmDialog = dom(h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' }));
    // The text is English whatever the page's language, so say so to screen readers.
    this.appEl = dom(h('div', { class: 'app', part: 'app', lang: 'en-GB', dir: 'ltr' },
      this.errorEl, this.mainEl, this.reportEl, this.statusEl, this.helpDialog, this.confirmDialog));
    root.replaceChildren(css, this.probeEl, this.appEl);
    STARTED.add(this);
    this.checkLanguage();
    this.checkMode();
    cssLoaded.then((loaded) => {
      if (!loaded) {
        // Still usable, so it carries on; but it looks broken, so it says why.
        this.showError(`The self-assessment’s stylesheet, ${cssUrl.pathname}, did not load, so it is shown without its styles. `
          + `${COPY_AGAIN}.`, 'style-failed');
        return;
      }
      this.cssReady = true;
      this.checkTheme();
    });
    try {
      this.engine = await loadEngine();
      this.builtin = this.engine.builtinFramework();
    } catch (e) {
      this.engineFailed(e);
      return;
    }
    if (!(await this.loadSiteFramework())) return;
    this.openInitial();
    // What it opens on is here before `ready`, so that a visitor can start at once.
    await Promise.all(this.needed().map((c) => c.promise));
    this.render();
    await cssLoaded;
    // The score view's parts (the results once revealed, a show of hands) are fetched at the
    // first key, click or focus in the element: by the time the room reveals, they are here.
    const warm = () => Object.keys(SCORE_PARTS).forEach(lazy);
    for (const type of ['keydown', 'pointerdown', 'focusin']) this.addEventListener(type, warm, { once: true });
    this.toggleAttribute('ready', true);
    this.settleReady.resolve();
    this.dispatchEvent(new CustomEvent('cascade-ready', { bubbles: true, composed: true }));
    // Work with scores in it may be printed at once (Ctrl+P cannot wait for the report's code).
    const d = this.doc;
    if (d && (d.ratings.length || d.tallies.length || d.agreed.length)) this.scheduleReport();
    const print = window.matchMedia('print');
    print.addEventListener?.('change', (e) => e.matches && this.renderReportNow());
  }

  onPrint() {
    if (this.reportEl) this.renderReportNow();
  }

  /** Says why the engine cannot start, in the element (announced) and as an error event. */
  engineFailed(e) {
    const code = e?.code ?? 'engine-failed';
    const detail = String(e?.message ?? e);
    if (code === 'engine-blocked') {
      this.fail(code,
        `WebAssembly is blocked by this page's Content-Security-Policy: its script-src directive needs 'wasm-unsafe-eval' (${SCRIPT_SRC}).`,
        'The scoring engine is blocked by this website’s security policy',
        [
          'The CASCADE self-assessment runs on WebAssembly, and this page’s Content-Security-Policy does not allow it.',
          'To fix it, the website’s administrator adds \'wasm-unsafe-eval\' to the script-src directive of the policy, for example:',
          { policy: SCRIPT_SRC },
          'That source allows WebAssembly and nothing else: not inline scripts, not eval.',
        ]);
    } else if (code === 'engine-unsupported') {
      this.fail(code, `This browser cannot run WebAssembly, which the scoring engine needs (${detail}).`,
        'This browser cannot run the self-assessment',
        ['The CASCADE self-assessment needs WebAssembly, which this browser does not support or has turned off. Open this page in an up-to-date Edge, Chrome, Firefox or Safari.']);
    } else if (e?.missing) {
      this.fail('engine-failed', `The scoring engine could not load: ${detail}`,
        'A file of the self-assessment is missing from this website',
        [`The website answered ${e.missing.answer} for ${e.missing.path}, so the self-assessment cannot start.`,
          `${COPY_AGAIN}, with its pkg folder${e.missing.path.endsWith('.wasm')
            ? ', and by making sure the server sends .wasm files: some, such as IIS, must first be told their type, application/wasm'
            : ''}.`]);
    } else {
      this.fail('engine-failed', `The scoring engine could not load: ${detail}`,
        'The scoring engine could not load',
        [`Reload the page to try again. Details: ${detail}`]);
    }
  }

  /**
   * Stops the element for good: shows a message in place of the views (role="alert", so it
   * is announced), fires `cascade-error`, and rejects `ready`.
   */
  fail(code, message, title, paragraphs) {
    this.failed = { code, message };
    this.closeSession();
    fill(this.mainEl,
      h('div', { class: 'fatal', role: 'alert', part: 'message', 'data-code': code },
        h('h2', { text: title }),
        paragraphs.map((p) => (typeof p === 'string' ? h('p', { text: p }) : h('code', { class: 'policy', text: p.policy })))),
    );
    this.emitError(message, code);
    const err = new Error(message);
    err.code = code;
    this.settleReady.reject(err);
  }

  /**
   * Fetches and checks the framework named by the `framework` attribute (a JSON file on
   * the same site, relative to the page). False, with the element stopped, when it cannot
   * be used.
   */
  async loadSiteFramework() {
    const src = this.getAttribute('framework')?.trim();
    if (!src) {
      this.siteFramework = null;
      return true;
    }
    const fail = (why) => {
      this.fail('framework', `framework "${src}": ${why}`, 'The framework file could not be used',
        [`This page asks for the framework in “${src}”, but ${why}.`, 'The site’s administrator can check the file’s address and content (it is validated as a CASCADE framework JSON file).']);
      return false;
    };
    let url;
    try {
      url = new URL(src, document.baseURI);
    } catch {
      return fail('that is not a valid address');
    }
    if (url.origin !== location.origin) return fail('only a file on this website can be used');
    let text;
    try {
      // Same-origin mode refuses a redirect to another site too, which an origin check of
      // the address alone would let through.
      const res = await fetch(url, { credentials: 'same-origin', mode: 'same-origin' });
      if (res.type !== 'basic' || new URL(res.url || url).origin !== location.origin) return fail('only a file on this website can be used');
      if (!res.ok) return fail(`the file could not be fetched (HTTP ${res.status})`);
      text = await res.text();
    } catch (e) {
      return fail(`the file could not be fetched (${e?.message ?? e})`);
    }
    try {
      this.siteFramework = this.engine.parseFramework(text);
    } catch (e) {
      return fail(`it is not a usable framework: ${e.message}`);
    }
    return true;
  }

  /** Opens what the attributes ask for: the area named by `area`, else the last work. */
  openInitial() {
    this.flushSave();
    this.store = new Store(this.storageKey);
    if (!this.store.available && !this.readOnly) this.showError('This browser is not keeping data for this page, so work will be lost when it closes. Export your work before closing.', 'storage');
    else if (this.store.full && !this.readOnly) {
      this.showError('This browser’s storage for this page is full. Saved work is shown and can be opened, but changes cannot be kept until there is room: delete assessments you no longer need in Saved work, or download your work as a file.', 'storage');
    }
    const area = this.getAttribute('area')?.trim();
    const saved = this.store.list();
    if (area) {
      const match = saved.find((r) => r.area === area);
      if (match && this.openStored(match.id)) return;
      this.closeSession();
      if (this.readOnly) return;
      try {
        this.createAssessment(area, this.roundLabels, [], this.siteFramework);
      } catch (e) {
        this.showError(`The assessment for “${area}” could not be started: ${e.message}`, 'input');
      }
      return;
    }
    const current = this.store.current;
    if (current && this.openStored(current)) return;
    if (saved.length && this.openStored(saved[0].id)) return;
    this.closeSession();
    this.ui = { ...DEFAULT_UI, view: 'start' };
  }

  closeSession() {
    if (this.session) this.settleChange();
    // Whoever closes a session has kept (flushSave) or dropped (cancelSave) its last change.
    this.cancelSave();
    // A failed save, and what an import found, belong to the assessment that was open.
    this.unsaved = null;
    this.notice = '';
    if (this.session) this.session.free();
    this.session = null;
    this.doc = null;
    this.fw = null;
    this.fwOf = null;
    this.recordId = null;
    // What this window last saved or read of the record (the document's text, and the
    // record's text as stored): a new session has neither yet.
    this.savedDoc = undefined;
    this.savedRaw = undefined;
    this.savedCanon = undefined;
    this.docText = null;
    this.docChanged = false;
    this.cache = {};
  }

  /**
   * Opens a stored assessment; false (and a message) when it cannot be read. `keep`: it
   * changed in another window, so this one keeps its view and stays as it is on failure.
   */
  openStored(id, keep) {
    const rec = this.store.load(id);
    if (!rec) return false;
    let session;
    try {
      session = this.engine.Session.fromJson(rec.document, rec.framework ?? undefined);
    } catch (e) {
      this.showError(`Saved assessment "${rec.area}" could not be opened: ${e.message}${keep ? '. This window keeps what it shows.' : ''}`, 'storage');
      return false;
    }
    const ui = keep ? this.ui : { ...DEFAULT_UI, ...(rec.ui ?? {}), ...(this.readOnly && { view: this.views[0][0] }) };
    this.closeSession();
    this.session = session;
    this.recordId = rec.id;
    this.customFramework = rec.framework ?? null;
    this.ui = ui;
    this.savedDoc = rec.document;
    this.savedRaw = rec.raw;
    this.refresh();
    if (!this.readOnly && !keep) this.store.setCurrent(rec.id);
    return true;
  }

  /**
   * Another window (a `storage` event) or element changed what is kept under this storage
   * key: the list of saved work repaints, and a newer version of the open assessment
   * replaces it here (with a fresh undo history, so undo cannot bring back what it replaced).
   * A deleted or unreadable one stays on screen, with a message, until the next change saves it.
   */
  onStorage(e) {
    const { store, session } = this;
    const key = e.key;
    if (!this.engine || !store?.ls || e.from === store || (e.storageArea && e.storageArea !== store.ls)
      || (key !== null && !key.startsWith(`${store.prefix}:`))) return;
    this.invalidate();
    if (!session || (key !== null && key !== store.recordKey(this.recordId))) return;
    // This window changed the document a moment ago and has not kept it yet: it is kept now,
    // and the other window takes it up, as when two edits land at once.
    if (this.docChanged && this.savePending) {
      this.flushSave();
      return;
    }
    const rec = store.load(this.recordId);
    if (!rec) {
      if (this.readOnly) return;
      const area = this.doc.area;
      this.showError(store.get(store.recordKey(this.recordId)) === null
        ? `“${area}” was deleted in another window. It is still shown here: your next change saves it again, or download it from Saved work.`
        : `“${area}” was changed in another window, but what it saved cannot be read. This window keeps what it shows; your next change saves it again.`, 'storage');
    } else if (this.catchUp(rec)) {
      this.clearError();
    }
  }

  /** Starts a new assessment and keeps it. Throws the engine's error when the input is bad. */
  createAssessment(area, labels, dates, framework) {
    this.flushSave();
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

  /**
   * Re-reads the document from the session after it changed, and forgets cached results.
   * `doc` holds everything but the ratings, which are most of a big document: views ask the
   * engine for the ratings they show (ratingOf, ratingCounts), and the whole text is made
   * only to be kept or handed out (documentText).
   */
  refresh() {
    this.doc = this.session.documentHead();
    this.docText = null;
    // A session's framework never changes, so it is read once, not at every key press.
    if (this.fwOf !== this.session) {
      this.fw = this.session.framework();
      this.fwOf = this.session;
    }
    this.cache = {};
    this.checkUi();
  }

  /** Keeps the view state within what the document holds. */
  checkUi() {
    const rounds = this.doc.rounds.map((r) => r.id);
    const ui = this.ui;
    if (!rounds.includes(ui.round)) ui.round = rounds[0];
    if (!rounds.includes(ui.from)) ui.from = rounds[0];
    if (!rounds.includes(ui.to)) ui.to = rounds[Math.min(1, rounds.length - 1)];
    if (!(ui.domain >= 0 && ui.domain < this.fw.domains.length)) ui.domain = 0;
    const people = this.doc.respondents.map((r) => r.id);
    if (!people.includes(ui.respondent)) ui.respondent = people[0] ?? null;
    if (!MODES.some(([m]) => m === ui.mode)) ui.mode = 'agreed';
    if (!HANDS_GROUPS.includes(ui.handsGroup)) ui.handsGroup = null;
    ui.names = ui.names === true;
    if (this.readOnly) {
      // Nothing is hidden where nothing can be scored.
      ui.reveal = true;
      if (!this.views.some(([v]) => v === ui.view)) ui.view = this.views[0][0];
    }
  }

  /**
   * Another window saved this assessment since this one last did, and its news has not
   * arrived yet: take up what it saved, so that this window builds on it, not over it.
   */
  catchUp(stored) {
    if (this.savedDoc === undefined || !this.store) return false;
    // This window's own change is still to be kept: it is written over the other's, as
    // when two edits land at once.
    if (this.docChanged) return false;
    if (!stored) {
      // The record as this window last wrote or read it is unchanged: nothing to take up.
      // (A comparison of the text, not a parse of the whole record at every key press.)
      const raw = this.store.get(this.store.recordKey(this.recordId));
      if (raw === null || raw === this.savedRaw) return false;
      stored = this.store.load(this.recordId);
      if (!stored) return false;
    } else if (stored.raw === this.savedRaw) {
      return false;
    }
    if (this.sameDocument(stored.document)) {
      // Only the other window's view changed.
      this.savedRaw = stored.raw;
      return false;
    }
    const viewToKeep = this.savePending;
    if (!this.openStored(this.recordId, true)) return false;
    if (viewToKeep) this.saveSoon();
    this.announce('Updated from another window.');
    this.invalidate();
    this.scheduleReport();
    return true;
  }

  /** Whether `text` (a stored document, as store.js reads it) is what this window last kept. */
  sameDocument(text) {
    if (text === this.savedDoc) return true;
    // The engine's text and the browser's may differ in form, not content: compare the
    // browser's writing of both. Only when another window wrote, so rarely.
    this.savedCanon ??= JSON.stringify(JSON.parse(this.savedDoc));
    return text === this.savedCanon;
  }

  /** The whole document as compact JSON text, made by the engine once per change. */
  documentText() {
    this.docText ??= this.session.documentJson();
    return this.docText;
  }

  /**
   * Keeps the change just made, once its frame is painted: a key press shows at once, and
   * its save (the whole record, megabytes for thousands of people) does not hold the frame.
   * Several changes in one frame are kept once. Nothing is lost by the wait: the page's
   * going away (pagehide, hidden), another window's news, and every step that opens or
   * replaces an assessment keep it first (flushSave), and a failed save is said as before.
   */
  saveSoon() {
    if (!this.session || this.readOnly || this.savePending) return;
    this.savePending = true;
    const flush = () => this.flushSave();
    // A page that paints no frames (hidden) still keeps it, a moment later.
    this.saveTimers.push(setTimeout(flush, 300));
    requestAnimationFrame(() => {
      if (this.savePending) this.saveTimers.push(setTimeout(flush, 0));
    });
  }

  /** Keeps now what saveSoon() was asked to keep, if anything. */
  flushSave() {
    if (this.savePending) this.save();
  }

  /** Forgets a change still to be kept (its record is being deleted). */
  cancelSave() {
    this.savePending = false;
    for (const t of this.saveTimers) clearTimeout(t);
    this.saveTimers = [];
  }

  /** Keeps the open assessment and its view state now; never in the results and read-only modes. */
  save() {
    if (!this.session || this.readOnly) return true;
    this.cancelSave();
    // Only the view changed here (another domain, a round): keep the other window's document.
    if (!this.docChanged) this.catchUp();
    const rec = {
      id: this.recordId,
      area: this.doc.area,
      rounds: this.doc.rounds.map((r) => r.label),
      updated: new Date().toISOString(),
      framework: this.customFramework,
      document: this.documentText(),
      ui: { ...this.ui, view: this.ui.view === 'start' ? 'score' : this.ui.view },
    };
    try {
      this.savedRaw = this.store.save(rec);
      this.savedDoc = rec.document;
      this.savedCanon = undefined;
      this.docChanged = false;
      this.settleChange();
    } catch (e) {
      // Said, and kept on screen until a save succeeds: the work exists only in this window.
      this.unsaved = unsavedMessage(this, e);
      this.showError(this.unsaved, 'storage');
      this.invalidate();
      return false;
    }
    if (this.unsaved) {
      this.unsaved = null;
      this.clearError();
      this.announce('Saved in this browser again');
      this.invalidate();
    }
    return true;
  }

  // ---- changes ---------------------------------------------------------------------------

  /** Applies one edit through the engine; on success saves at once and repaints. */
  edit(edit, message) {
    return this.editAll([edit], message);
  }

  /** Several edits as one step of undo: all land or none does. */
  editAll(edits, message) {
    if (!this.session || this.readOnly) return false;
    if (!edits.length) return true;
    this.settleChange();
    this.catchUp();
    try {
      this.session.applyAll(edits);
    } catch (e) {
      this.showError(e.message, 'input');
      return false;
    }
    this.afterChange(edits[0].op, message);
    return true;
  }

  afterChange(op, message) {
    this.notice = '';
    this.refresh();
    this.docChanged = true;
    this.saveSoon();
    this.clearError();
    if (message) this.announce(message);
    this.invalidate();
    this.scheduleReport();
    this.emitChange(op);
  }

  /**
   * `cascade-change`: what changed, and the whole document as it now is (a copy). The copy
   * is made from the document's text when a listener first reads it, not at every key press.
   */
  emitChange(op) {
    // The text is made when first read, or by the save after the frame, or, if neither has
    // come before the next change, just before it (settleChange): the copy is always of the
    // document as this change left it.
    const held = { text: null, copy: null };
    this.changeHeld = held;
    const detail = { id: this.recordId, area: this.doc.area, op };
    Object.defineProperty(detail, 'document', {
      enumerable: true,
      get: () => {
        if (held.text === null) this.settleChange();
        held.copy ??= JSON.parse(held.text);
        return held.copy;
      },
    });
    this.dispatchEvent(new CustomEvent('cascade-change', { bubbles: true, composed: true, detail }));
  }

  /** Before the document changes again: the last `cascade-change` keeps its document's text. */
  settleChange() {
    const held = this.changeHeld;
    if (!held) return;
    this.changeHeld = null;
    held.text ??= this.documentText();
  }

  undo() { this.step('undo', 'Undone', 'Nothing to undo'); }

  redo() { this.step('redo', 'Redone', 'Nothing to redo'); }

  /**
   * Undo or redo. If another window saved since this one did, its version is taken up first
   * and this window's history is gone: stepping back now would write over that window's work.
   */
  step(op, done, none) {
    if (this.readOnly || !this.session) return;
    this.settleChange();
    if (this.catchUp()) {
      this.clearError();
      this.announce(`Updated from another window. ${none}`);
    } else if (this.session[op]()) {
      this.afterChange(op, done);
    } else {
      this.announce(none);
    }
  }

  // ---- the JavaScript API ------------------------------------------------------------

  /** The open assessment document (a fresh copy), or null before one is open. */
  getDocument() {
    return this.session ? this.session.document() : null;
  }

  /** Per-domain statistics of every round of the open assessment, or null. */
  getSummary() {
    return this.session ? this.session.summary() : null;
  }

  /** The change between two rounds (ids) of the open assessment, or null; throws for unknown rounds. */
  getComparison(from, to) {
    return this.session ? this.session.compare(from, to) : null;
  }

  /**
   * Opens `doc` (an assessment document, as an object or JSON text). The engine checks it
   * first: when it is not valid this throws the engine's message and nothing changes. In
   * the score mode it is kept in this browser, replacing the stored assessment of the same
   * area; in the results and read-only modes it is shown only. Fires no `cascade-change`.
   */
  setDocument(doc) {
    this.flushSave();
    if (this.failed) throw new Error(`<cascade-assessment> cannot open documents: ${this.failed.message}`);
    if (!this.engine || !this.store) throw new Error('<cascade-assessment> is not ready yet: wait for `element.ready`');
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc ?? null);
    let framework = this.siteFramework ?? this.customFramework ?? undefined;
    let session;
    try {
      session = this.engine.Session.fromJson(text, framework);
    } catch (first) {
      // A document on the built-in framework opened where a file's framework was last used.
      if (framework && !this.siteFramework) {
        framework = undefined;
        session = this.engine.Session.fromJson(text, undefined);
      } else {
        throw first;
      }
    }
    const area = session.document().area;
    const same = this.session && this.doc?.area === area;
    let id = same ? this.recordId : null;
    if (!this.readOnly) id ??= this.store.list().find((r) => r.area === area)?.id ?? this.store.newId();
    const ui = same ? this.ui : { ...DEFAULT_UI, view: this.views[0][0] };
    this.closeSession();
    this.session = session;
    this.customFramework = framework ?? null;
    this.recordId = id ?? 'document';
    this.ui = ui;
    this.refresh();
    this.save();
    this.clearError();
    this.invalidate();
    this.scheduleReport();
  }

  /** Saves the view state (which round, mode, domain) without touching the document. */
  setUi(patch) {
    Object.assign(this.ui, patch);
    this.checkUi();
    this.saveSoon();
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

  /** The education and mental-health perception gap per domain at two rounds, from the engine. */
  perceptionGaps(from, to) {
    const key = `gaps:${from}:${to}`;
    if (!(key in this.cache)) this.cache[key] = this.session.perceptionGaps(from, to);
    return this.cache[key];
  }

  /** One domain's perception gap in one round, or null when a group did not rate it. */
  perceptionGap(round, domain) {
    return this.perceptionGaps(round, round).find((g) => g.domain === domain)?.from ?? null;
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

  /** The hands counted for `group` (the whole room is `other`) of a domain in a round. */
  tallyOf(round, domain, group = 'other') {
    return this.doc.tallies.find((t) => t.round === round && t.domain === domain && (t.group ?? 'other') === group) ?? null;
  }

  /**
   * Whether the room may see each person's own levels: only once results are revealed, and
   * only when the facilitator has chosen to show who rated what (I). Never in the results
   * and read-only modes, which publish a document.
   */
  get levelsShown() {
    return this.ui.names && this.ui.reveal && !this.readOnly;
  }

  /** Whose hands digits count now: a group id, `other` for the whole room. */
  get handsGroup() {
    return this.ui.handsGroup ?? 'other';
  }

  /**
   * What a domain's numbers rest on in a round: hands counted (every group) and people's
   * own ratings, as records in the document. Shown so that nothing reads as counted once
   * when it was counted twice.
   */
  sourcesOf(round, domain) {
    let hands = 0;
    for (const t of this.doc.tallies) {
      if (t.round === round && t.domain === domain) hands += t.unsure + t.counts.reduce((a, b) => a + b, 0);
    }
    const people = this.ratingCounts(round)[this.domainIndex(domain)] ?? 0;
    return { hands, people };
  }

  /** How many ratings each domain holds in `round`, in the framework's order, from the engine. */
  ratingCounts(round) {
    this.cache[`counts:${round}`] ??= this.session.ratingCounts(round);
    return this.cache[`counts:${round}`];
  }

  /** Every rating the document holds, in all rounds. */
  ratingTotal() {
    return this.doc.rounds.reduce((n, r) => n + this.ratingCounts(r.id).reduce((a, b) => a + b, 0), 0);
  }

  domainIndex(id) {
    return this.fw.domains.findIndex((d) => d.id === id);
  }

  /**
   * Reads the ratings of these people in `round` from the engine, once per change: a view
   * asks for the page of people it shows, not for every rating of a big document.
   */
  loadRatings(round, ids) {
    const by = (this.cache[`ratings:${round}`] ??= new Map());
    const missing = ids.filter((id) => !by.has(id));
    if (!missing.length) return by;
    const n = this.fw.domains.length;
    const levels = this.session.ratingsOf(round, missing);
    missing.forEach((id, i) => by.set(id, levels.slice(i * n, i * n + n)));
    return by;
  }

  /** The level `respondent` gave `domain` in `round` (a number or 'unsure'), or null. */
  ratingOf(round, respondent, domain) {
    const i = this.domainIndex(domain);
    return i < 0 ? null : (this.loadRatings(round, [respondent]).get(respondent)[i] ?? null);
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
    return this.lastLevel.get(domain.id) ?? null;
  }

  moveDomain(step) {
    const n = this.fw.domains.length;
    const next = (this.ui.domain + step + n) % n;
    this.ui.domain = next;
    this.focusAfterRender = `domain:${next}`;
    this.announce(`${this.fw.domains[next].letter} ${this.fw.domains[next].title}, ${next + 1} of ${n}`);
    this.setUi({});
  }

  /** Another round: its results stay hidden until revealed again, so the room starts afresh. */
  pickRound(id) {
    if (id === this.ui.round) return;
    if (this.ui.reveal && !this.readOnly) this.announce(`${this.roundLabel(id)}: results hidden until you reveal them`);
    else this.announce(`Scoring ${this.roundLabel(id)}`);
    this.setUi({ round: id, reveal: this.readOnly });
  }

  moveRound(step) {
    const rounds = this.doc.rounds;
    const i = rounds.findIndex((r) => r.id === this.ui.round);
    const next = rounds[i + step];
    if (!next) {
      this.announce(step < 0 ? `${this.roundLabel(this.ui.round)} is the first round` : `${this.roundLabel(this.ui.round)} is the last round`);
      return;
    }
    this.pickRound(next.id);
  }

  toggleLayout() {
    const layout = this.ui.layout === 'one' ? 'all' : 'one';
    this.focusAfterRender = `domain:${this.ui.domain}`;
    this.announce(layout === 'one' ? 'One domain at a time' : `All ${this.fw.domains.length} domains`);
    this.setUi({ layout });
  }

  viewLabel(view) {
    return VIEWS_ALL[view] ?? view;
  }

  goToView(view) {
    if (this.ui.view === view) return;
    if (this.present && (view === 'plan' || view === 'files')) this.togglePresent();
    this.announce(this.viewLabel(view));
    this.setUi({ view });
  }

  moveRespondent(step) {
    const people = this.doc.respondents;
    if (this.ui.mode !== 'respondents') {
      this.announce('[ and ] change person when each person is scored (E)');
      return;
    }
    if (!people.length) {
      this.startPerson();
      return;
    }
    const i = people.findIndex((p) => p.id === this.ui.respondent);
    const next = people[(i + step + people.length) % people.length];
    this.announce(`Scoring as ${next.id}`);
    this.peopleStart = null;
    this.setUi({ respondent: next.id });
  }

  toggleReveal() {
    this.setUi({ reveal: !this.ui.reveal });
    this.announce(this.ui.reveal ? 'Results shown' : 'Results hidden');
  }

  toggleNames() {
    this.setUi({ names: !this.ui.names });
    this.announce(this.ui.names ? 'Showing who rated what' : 'Each person’s levels are private');
  }

  togglePresent() {
    this.present = !this.present;
    if (this.present) {
      if (this.ui.view === 'plan' || this.ui.view === 'files') this.ui.view = this.views[0][0];
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

  /** Every key is in KEYMAP (keys.js), which the keys dialog lists too. */
  onKey(e) {
    if (e.defaultPrevented || e.altKey || e.metaKey) return;
    const t = target(e);
    if (isTyping(t)) {
      // Esc leaves a box, so that the keys work again; focus stays inside the element.
      if (e.key === 'Escape' && !this.confirmDialog.open && !this.helpDialog.open && !(t instanceof HTMLSelectElement)) {
        e.preventDefault();
        this.mainEl.focus({ preventScroll: true });
      }
      return;
    }
    if (this.helpDialog.open || this.confirmDialog.open) {
      if (e.key === '?' && this.helpDialog.open) {
        this.helpDialog.close();
        e.preventDefault();
      }
      return;
    }
    if (e.key === '?' && !e.ctrlKey) {
      e.preventDefault();
      this.openHelp();
      return;
    }
    if (!this.session || this.ui.view === 'start') return;
    if (t instanceof HTMLElement && t.matches('button, a, summary, select') && (e.key === 'Enter' || e.key === ' ')) return;
    if (this.pendingTarget != null && this.targetKey(e)) {
      e.preventDefault();
      return;
    }
    const entry = entryFor(e);
    if (!entry) return;
    if (!available(entry, this)) {
      if (entry.edits && this.readOnly && (!entry.views || entry.views.includes(this.ui.view))) {
        e.preventDefault();
        this.announce('Read only: scores cannot be changed here');
      }
      return;
    }
    // Arrow keys choose among the people's radios when one has focus.
    if (t instanceof HTMLElement && t.dataset.role === 'who' && e.key.startsWith('Arrow')) return;
    e.preventDefault();
    entry.run(this, e);
  }

  // ---- messages --------------------------------------------------------------------------

  announce(text) {
    // Re-set so that the same message twice is still read out.
    this.statusEl.textContent = '';
    this.statusEl.textContent = text;
  }

  /** Shows a message the person can dismiss, and fires `cascade-error` with `code`. */
  showError(message, code = 'input') {
    this.errorText = message;
    this.renderError();
    this.errorEl?.scrollIntoView?.({ block: 'nearest' });
    this.emitError(message, code);
  }

  clearError() {
    // A failed save stays said until a save succeeds.
    if (this.unsaved) {
      if (this.errorText !== this.unsaved) {
        this.errorText = this.unsaved;
        this.renderError();
      }
      return;
    }
    if (!this.errorText) return;
    this.errorText = '';
    this.renderError();
  }

  emitError(message, code = 'input') {
    this.dispatchEvent(new CustomEvent('cascade-error', { bubbles: true, composed: true, detail: { message, code } }));
  }

  renderError() {
    if (!this.errorEl) return;
    if (!this.errorText) {
      // What an import found (several areas, another encoding), until the next change.
      if (this.notice) {
        fill(this.errorEl, h('div', { class: 'notice import-notice', role: 'status', 'data-k': 'import-notice' },
          h('p', { class: 'notice-text', text: this.notice }),
          h('button', { type: 'button', class: 'quiet', 'data-k': 'dismiss-notice', onclick: () => { this.notice = ''; this.renderError(); } }, 'Dismiss')));
      } else {
        this.errorEl.replaceChildren();
      }
      return;
    }
    fill(this.errorEl, h('div', { class: 'error', role: 'alert', part: 'error' },
      h('span', { class: 'error-icon', 'aria-hidden': 'true', text: '!' }),
      h('p', { class: 'error-text', text: this.errorText }),
      this.unsaved && this.session && this.errorText === this.unsaved
        ? h('button', { type: 'button', class: 'primary', 'data-k': 'export-now', onclick: () => this.exportJson() }, 'Download the file now')
        : h('button', { type: 'button', class: 'quiet', 'data-k': 'dismiss-error', onclick: () => this.clearError() }, 'Dismiss')));
  }

  /** A modal question; resolves true when the person confirms. */
  async confirm(title, text, yes) {
    return (await this.choose(title, [text], [['no', 'Cancel', 'quiet'], ['yes', yes, 'danger', 'confirm-yes']])) === 'yes';
  }

  /**
   * A modal choice among `buttons` ([id, label, class]); resolves the id chosen, or null
   * when the dialog is closed with Escape. Focus starts on the first button, the safe one.
   */
  choose(title, paragraphs, buttons) {
    const d = this.confirmDialog;
    return new Promise((resolve) => {
      let answered = false;
      const done = (v) => {
        answered = true;
        d.close();
        resolve(v);
      };
      fill(d,
        h('h2', { id: 'confirm-title', text: title }),
        paragraphs.map((p) => h('p', { text: p })),
        h('div', { class: 'dialog-buttons' },
          buttons.map(([id, label, cls, k], i) => h('button', {
            type: 'button', class: cls ?? null, 'data-k': k ?? `choose:${id}`, autofocus: i === 0,
            onclick: () => done(id),
          }, label))));
      d.addEventListener('close', () => {
        if (!answered) resolve(null);
        // Focus goes back where the keys work, not to the top of the page.
        this.focusAfterRender = `domain:${this.ui.domain}`;
        this.invalidate();
      }, { once: true });
      d.showModal();
    });
  }

  /** The keys dialog, listed from KEYMAP: what works here, by section. */
  openHelp() {
    const d = this.helpDialog;
    const sections = [];
    for (const k of KEYMAP) {
      if (!available({ ...k, views: null }, this) && this.session) continue;
      let s = sections.find((x) => x.name === k.section);
      if (!s) sections.push(s = { name: k.section, rows: [] });
      s.rows.push(k);
    }
    fill(d,
      h('h2', { id: 'help-title', text: 'Keyboard shortcuts' }),
      h('p', { text: 'Keys work whenever you are not typing in a box. Everything can also be done with the mouse or a touch screen.' }),
      h('table', { class: 'keys' },
        h('caption', { class: 'visually-hidden', text: 'Keys and what they do' }),
        sections.map((s) => h('tbody', { 'data-section': s.name },
          h('tr', null, h('th', { scope: 'colgroup', colspan: '2', class: 'key-section', text: s.name })),
          s.rows.map((k) => h('tr', null, h('th', { scope: 'row' }, h('kbd', { text: say(k.keys, this) })), h('td', { text: say(k.does, this) })))))),
      h('div', { class: 'dialog-buttons' },
        h('button', { type: 'button', 'data-k': 'help-close', onclick: () => d.close() }, 'Close')));
    d.showModal();
  }

  buildHelp() {
    return dom(h('dialog', { class: 'help', 'aria-labelledby': 'help-title' }));
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
    if (!this.engine || this.failed) return;
    const missing = this.needed().filter((c) => !c.module);
    const waiting = missing.length ? this.waitForView(missing) : null;
    if (missing.length && !waiting) return;
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
      if (waiting) body = this.session ? [this.renderBar(), waiting] : waiting;
      else if (!this.session && this.readOnly) body = this.part('start').renderEmpty(this);
      else if (!this.session || this.ui.view === 'start') body = this.part('start').renderStart(this);
      else body = [this.renderBar(), this.renderView()];
    } catch (e) {
      body = h('div', { class: 'fatal', role: 'alert', part: 'message' }, h('h2', { text: 'Something went wrong showing this view' }), h('p', { text: e.message }));
      this.emitError(e.message, 'render');
    }
    morph(this.mainEl, body);
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
    const views = this.part('results');
    switch (this.ui.view) {
      case 'compare': return views.renderCompare(this);
      case 'plan': return views.renderPlan(this);
      case 'results': return views.renderRounds(this);
      case 'files': return this.readOnly ? views.renderRounds(this) : this.part('files').renderFiles(this);
      default: return renderScore(this);
    }
  }

  /**
   * The names in LAZY that showing the present state needs: the view's code (none for the
   * score view itself, which comes with the element) and the score view's parts.
   */
  viewCode() {
    if (!this.session || this.ui.view === 'start') return ['start'];
    switch (this.ui.view) {
      case 'compare': case 'plan': case 'results': return ['results'];
      case 'files': return [this.readOnly ? 'results' : 'files'];
      default: return scoreParts(this);
    }
  }

  /**
   * What showing the present state needs that comes on first use: the code (viewCode), and
   * the second stylesheet for what that code shows and for all domains at once. Each
   * `{ id, promise, module }`, `module` once here.
   */
  needed() {
    const code = this.viewCode().map((name) => {
      lazy(name);
      return LAZY[name];
    });
    // The start form's and the list of people's styles are in the first stylesheet: a page
    // without `area` opens on the form, and N puts the typing straight into the list's box.
    if (code.some((c) => c.id !== 'start') || (this.session && this.ui.view !== 'start' && this.ui.layout === 'all')) {
      code.push(this.moreStyles());
    }
    return code;
  }

  /**
   * The second stylesheet (cascade-more.css) in this element's shadow root, fetched when
   * first needed. If it does not load the element carries on, as without its first, and says why.
   */
  moreStyles() {
    if (!this.extraStyles) {
      const url = moreStylesheetUrl();
      const link = dom(h('link', { rel: 'stylesheet', href: url.href }));
      const styles = { id: 'styles', module: null };
      styles.promise = new Promise((resolve) => {
        const done = (ok) => {
          styles.module = true;
          if (!ok) this.showError(`The self-assessment’s stylesheet, ${url.pathname}, did not load, so part of it is shown without its styles. ${COPY_AGAIN}.`, 'style-failed');
          resolve();
        };
        link.addEventListener('load', () => done(true), { once: true });
        link.addEventListener('error', () => done(false), { once: true });
      });
      this.shadowRoot.firstChild.after(link);
      this.extraStyles = styles;
      for (const other of STARTED) {
        if (other.isConnected) other.moreStyles();
        else STARTED.delete(other); // a later need of its own fetches it for itself
      }
    }
    return this.extraStyles;
  }

  /** A module of LAZY that render() has waited for (see viewCode). */
  part(name) {
    return LAZY[name].module;
  }

  /**
   * While a view's code is on its way nothing changes on screen (no flash of a loading
   * line; keys pressed meanwhile act on the view asked for), and it shows as it arrives.
   * Returns null for that, or what to show in its place: a loading line once it has taken
   * a moment (a slow connection), or why it cannot come.
   */
  waitForView(items) {
    const name = items.map((c) => c.id).join();
    const failed = items.map((c) => c.error).find(Boolean);
    const label = !this.session || this.ui.view === 'start' ? 'The start form' : this.viewLabel(this.ui.view);
    if (failed) {
      const message = `${label} could not load: ${failed.message ?? failed}`;
      if (this.codeFailed !== name) {
        this.codeFailed = name;
        this.emitError(message, 'render');
      }
      return h('div', { class: 'fatal', role: 'alert', part: 'message', 'data-code': 'render' },
        h('h2', { text: `${label} could not load` }),
        h('p', { text: `A file of the self-assessment did not arrive (${failed.message ?? failed}). Reload the page to try again. ${COPY_AGAIN}.` }));
    }
    if (this.waiting !== name) {
      this.waiting = name;
      this.waitSlow = false;
      const slow = setTimeout(() => {
        if (this.waiting !== name) return;
        this.waitSlow = true;
        this.render();
      }, 300);
      Promise.all(items.map((c) => c.promise)).then(() => {
        clearTimeout(slow);
        if (this.waiting !== name) return;
        this.waiting = null;
        this.render();
      });
    }
    return this.waitSlow ? h('p', { class: 'loading', role: 'status', text: `Loading ${label}…` }) : null;
  }

  renderBar() {
    const ui = this.ui;
    const nav = h('nav', { class: 'views', 'aria-label': this.named('Views'), part: 'views' },
      this.views.map(([id, label]) => h('button', {
        type: 'button',
        class: 'tab',
        'data-k': `view:${id}`,
        'aria-current': ui.view === id ? 'page' : null,
        'aria-keyshortcuts': VIEW_KEYS[id] ?? null,
        onclick: () => this.setUi({ view: id }),
      }, label, VIEW_KEYS[id] ? h('kbd', { class: 'tab-key', 'aria-hidden': 'true', text: VIEW_KEYS[id] }) : null)));
    const present = h('button', { type: 'button', 'data-k': 'present', 'aria-pressed': String(this.present), onclick: () => this.togglePresent() },
      'Present ', h('kbd', { text: 'F' }));
    const tools = this.readOnly ? h('div', { class: 'tools' }, present) : h('div', { class: 'tools' },
      h('button', {
        type: 'button', class: ['toggle', 'reveal'], 'data-k': 'reveal', 'aria-pressed': String(ui.reveal),
        onclick: () => this.toggleReveal(),
      }, ui.reveal ? 'Hide results ' : 'Reveal results ', h('kbd', { text: 'R' })),
      h('button', { type: 'button', 'data-k': 'undo', disabled: !this.session.canUndo(), onclick: () => this.undo() },
        h('span', { 'aria-hidden': 'true', text: '↶ ' }), 'Undo'),
      h('button', { type: 'button', 'data-k': 'redo', disabled: !this.session.canRedo(), onclick: () => this.redo() },
        h('span', { 'aria-hidden': 'true', text: '↷ ' }), 'Redo'),
      present,
      h('button', { type: 'button', 'data-k': 'help', onclick: () => this.openHelp() }, 'Keys ', h('kbd', { text: '?' })));
    return h('header', { class: 'bar', part: 'bar' },
      saveStatus(this),
      h('div', { class: 'title' },
        h('h2', { class: 'area' }, h('bdi', { class: 'area-name', text: this.doc.area }),
          h('span', { class: 'round-now', text: ` · ${this.roundLabel(ui.round)}` })),
        h('span', { class: 'framework', text: `${this.fw.name} · levels 1–${this.fw.levels.length}` })),
      nav, tools);
  }

  /** Keeps the print report current, a moment after the last change. */
  scheduleReport() {
    clearTimeout(this.reportQueued);
    // A big imported file's report takes a second or more to make: it is made when printing
    // (beforeprint), rather than after every change.
    if (this.session && this.ratingTotal() > BIG_REPORT) {
      return;
    }
    this.reportQueued = setTimeout(() => this.renderReportNow(), 400);
  }

  /** Resolves once the print report's code is here (view-results.js, fetched on first use). */
  reportReady() {
    lazy('results');
    return LAZY.results.promise;
  }

  renderReportNow() {
    clearTimeout(this.reportQueued);
    if (!this.session) {
      this.reportEl.replaceChildren();
      return;
    }
    const views = lazy('results');
    this.moreStyles();
    if (!views) {
      // Printing cannot wait for a file. The report's code comes with the first change (or
      // the opening of scored work), so this shows only when printing at once.
      fill(this.reportEl, h('p', { text: LAZY.results.error
        ? `The report could not be made: ${LAZY.results.error.message ?? LAZY.results.error}`
        : 'The report is still being prepared: close this and print again in a moment.' }));
      LAZY.results.promise.then(() => this.session && LAZY.results.module && this.renderReportNow());
      return;
    }
    try {
      fill(this.reportEl, views.renderReport(this));
    } catch (e) {
      fill(this.reportEl, h('p', { text: `The report could not be made: ${e.message}` }));
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
    this.flushSave();
    if (!file || !(await this.leaveUnsaved())) return;
    const fw = this.customFramework ?? undefined;
    // Read and checked in a worker (import.js): a big file never freezes the page.
    let read;
    let imports;
    try {
      // Loaded on first use: most visitors never import a file.
      imports = await import('./import.js');
      read = await imports.readImport(this.engine, file, fw);
    } catch (e) {
      this.showError(e?.message ?? String(e), 'input');
      return;
    }
    await imports.openImport(this, file, read, fw, DEFAULT_UI);
  }

  /** True when nothing unsaved would be lost, or the person agrees to lose it. */
  async leaveUnsaved() {
    if (!this.unsaved) return true;
    return this.confirm('Leave without saving?', `“${this.doc?.area ?? ''}” is not saved in this browser. Download it first (Saved work › Download JSON), or its latest changes are lost.`, 'Leave it');
  }

  async openAssessment(id) {
    this.flushSave();
    if (!(await this.leaveUnsaved())) return;
    if (this.openStored(id)) {
      this.ui.view = 'score';
      this.clearError();
      this.announce(`Opened ${this.doc.area}`);
      this.invalidate();
      this.scheduleReport();
    }
  }

  async deleteAssessment(id, area) {
    const what = area ? `“${area}” and all its scores` : 'This saved record, which cannot be read,';
    if (!(await this.confirm('Delete this assessment?', `${what} will be removed from this browser. Export it first if you may need it.`, 'Delete'))) return;
    // A change still to be kept would write the deleted record back.
    if (id === this.recordId) this.cancelSave();
    this.store.remove(id);
    if (id === this.recordId) {
      this.unsaved = null;
      this.openInitial();
    }
    this.announce(area ? `Deleted ${area}` : 'Deleted the unreadable record');
    this.invalidate();
    this.scheduleReport();
  }

  async clearAll() {
    if (!(await this.confirm('Clear all stored data?', 'Every assessment kept by this page in this browser will be deleted. This cannot be undone.', 'Clear everything'))) return;
    this.cancelSave();
    this.store.clear();
    this.unsaved = null;
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

/** Ratings beyond which the print report is made only when printing. */
const BIG_REPORT = 20_000;

/** Where a key press started, inside the shadow root. */
function target(e) {
  return e.composedPath()[0];
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

// How a round is counted (levels, hands, people, targets) lives in capture.js.
Object.assign(CascadeAssessment.prototype, CAPTURE);

if (!customElements.get('cascade-assessment')) {
  customElements.define('cascade-assessment', CascadeAssessment);
}

export { CascadeAssessment };
