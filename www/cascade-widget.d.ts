// Types for the embeddable CASCADE self-assessment: the module cascade-widget.js, the
// <cascade-assessment> element it defines, its JavaScript API and events, and the JSON
// shapes the API exchanges. Hand-written and checked against the Rust sources they
// describe (crates/cascade-core/src/{assessment,framework,summary,compare}.rs).
//
//   import { define } from './cascade-widget.js';
//   const el = document.querySelector('cascade-assessment')!;
//   await define();          // the element is defined as soon as one is on the page anyway
//   await el.ready;
//   el.addEventListener('cascade-change', (e) => save(e.detail.document));

// ---- the assessment document (docs/assessment.schema.json) ----------------------------

/** Who a respondent speaks for. */
export type Group = 'education' | 'mental-health' | 'commissioner' | 'local-authority' | 'voluntary-sector' | 'other';

/** A rating: a level from 1 to the top of the scale, or "don't know". */
export type Score = number | 'unsure';

/** The framework an assessment was scored on. */
export interface FrameworkRef {
  id: string;
  version: string;
}

/** One workshop. */
export interface Round {
  /** Id used in files, such as "baseline". */
  id: string;
  /** Label for people, such as "Baseline workshop". */
  label: string;
  /** Date held, YYYY-MM-DD; absent when not recorded. */
  date?: string;
}

/** A person taking part. */
export interface Respondent {
  /** Initials or a code, unique in the assessment; pairs their ratings across rounds. */
  id: string;
  group: Group;
}

/** One person's rating of one domain in one round. */
export interface Rating {
  round: string;
  /** Null for an anonymous rating, which is never paired across rounds. */
  respondent: string | null;
  group: Group;
  domain: string;
  level: Score;
}

/** Hands raised (or dots) per level, for one domain in one round. */
export interface Tally {
  round: string;
  domain: string;
  group: Group;
  /** Votes per level, level 1 first; one entry per level of the scale. */
  counts: number[];
  /** Votes for "don't know". */
  unsure: number;
}

/** The level a room agreed for a domain in a round; it becomes that round's headline. */
export interface Agreed {
  round: string;
  domain: string;
  level: number;
}

/** The level an area aims for in a domain. */
export interface Target {
  domain: string;
  level: number;
}

export interface Note {
  domain: string;
  text: string;
}

/** One line of the action plan. */
export interface Action {
  domain: string;
  action: string;
  owner: string;
  /** When by, YYYY-MM-DD; absent when not set. */
  due?: string;
}

/**
 * An assessment document as the element gives it (getDocument(), cascade-change): every
 * list present, in the engine's order.
 */
export interface AssessmentDocument {
  /** Always 1. */
  schema_version: 1;
  framework: FrameworkRef;
  /** The area's name: an Integrated Care Board area, borough or cluster of schools. */
  area: string;
  /** In the order they were held. */
  rounds: Round[];
  respondents: Respondent[];
  ratings: Rating[];
  tallies: Tally[];
  agreed: Agreed[];
  targets: Target[];
  notes: Note[];
  actions: Action[];
}

/**
 * An assessment document as setDocument() accepts it: lists may be left out (they default
 * to empty), as may a respondent's or rating's group (`other`) and a tally's `unsure` (0).
 * Unknown fields are refused.
 */
export interface AssessmentInput {
  schema_version: 1;
  framework: FrameworkRef;
  area: string;
  rounds: Array<{ id: string; label: string; date?: string | null }>;
  respondents?: Array<{ id: string; group?: Group }>;
  ratings?: Array<{ round: string; respondent?: string | null; group?: Group; domain: string; level: Score }>;
  tallies?: Array<{ round: string; domain: string; group?: Group; counts: number[]; unsure?: number }>;
  agreed?: Agreed[];
  targets?: Target[];
  notes?: Note[];
  actions?: Array<{ domain: string; action: string; owner?: string; due?: string | null }>;
}

// ---- frameworks (docs/framework.schema.json) --------------------------------------------

/** A framework file: the `framework` attribute names one. */
export interface Framework {
  id: string;
  version: string;
  name: string;
  /** The scale, lowest first: level i + 1 is levels[i]. 2 to 10 levels. */
  levels: Array<{ label: string }>;
  domains: Array<{
    id: string;
    letter: string;
    title: string;
    description: string;
    /** What each level looks like in this domain, lowest first. */
    descriptors: string[];
  }>;
}

// ---- results: getSummary() and getComparison() -----------------------------------------

/** A stakeholder group's numeric ratings of one domain in one round. */
export interface GroupSummary {
  n: number;
  mean: number;
  median: number;
}

/** One domain in one round; with n = 0 every statistic is null. */
export interface DomainSummary {
  domain: string;
  /** Numeric ratings (tallies count as anonymous ratings). */
  n: number;
  unsure: number;
  /** Ratings per level, level 1 first. */
  counts: number[];
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  /** Sample standard deviation; null when n < 2. */
  sd: number | null;
  /** Share of ratings within one level of the median, 0 to 1. */
  agreement: number | null;
  /** n >= 3 and agreement < 2/3: the room disagrees. */
  split: boolean;
  /** The agreed level where one was recorded, else the median. */
  headline: number | null;
  agreed: number | null;
  target: number | null;
  /** target - headline. */
  gap: number | null;
  /** Per group with numeric ratings. */
  groups: Partial<Record<Group, GroupSummary>>;
}

export interface RoundSummary {
  round: string;
  /** How many domains have a headline. */
  coverage: number;
  /** The mean of the headlines; null unless every domain has one. */
  overall: number | null;
  /** Every domain of the framework, in order. */
  domains: DomainSummary[];
}

/** getSummary(): every round of the open assessment. */
export interface AreaSummary {
  area: string;
  rounds: RoundSummary[];
}

export type Direction = 'improved' | 'declined' | 'unchanged' | 'unknown';

/** One round's side of a domain comparison. */
export interface Point {
  headline: number | null;
  mean: number | null;
  n: number;
}

/** Respondents with an id and a numeric rating of the domain in both rounds. */
export interface Paired {
  n: number;
  improved: number;
  unchanged: number;
  declined: number;
  /** The exact two-sided sign test over the pairs that changed; 1 when none did. */
  p_value: number;
}

export interface DomainComparison {
  domain: string;
  from: Point;
  to: Point;
  /** to.headline - from.headline. */
  delta: number | null;
  /** to.mean - from.mean. */
  mean_delta: number | null;
  direction: Direction;
  paired: Paired;
  target: number | null;
  /** target - to.headline. */
  gap: number | null;
}

/** getComparison(from, to). */
export interface AreaComparison {
  area: string;
  domains: DomainComparison[];
  overall: { from: number | null; to: number | null; delta: number | null };
}

// ---- the element -------------------------------------------------------------------------

/** The `mode` attribute. */
export type Mode = 'score' | 'results' | 'read-only';

/** What a `cascade-change` was: one of the engine's edits, or undo, redo, import. */
export type ChangeOp =
  | 'set_area' | 'add_round' | 'set_round' | 'remove_round'
  | 'add_respondent' | 'set_respondent' | 'remove_respondent'
  | 'set_rating' | 'set_tally' | 'set_agreed' | 'set_target' | 'set_note'
  | 'add_action' | 'set_action' | 'remove_action'
  | 'undo' | 'redo' | 'import';

export interface CascadeChangeDetail {
  /** The id of the stored record (in localStorage under the storage key). */
  id: string;
  area: string;
  op: ChangeOp;
  /** The whole document as it now is: a copy, yours to keep. */
  document: AssessmentDocument;
}

/**
 * Why a `cascade-error` fired:
 * - `engine-blocked`: the page's Content-Security-Policy forbids WebAssembly (its script-src
 *   needs 'wasm-unsafe-eval') and also the engine's JavaScript build, which the element
 *   otherwise runs in its place; the element shows how to fix it and `ready` rejects;
 * - `engine-unsupported`: the browser can run neither WebAssembly nor the JavaScript build;
 *   `ready` rejects;
 * - `engine-failed`: the engine's files did not load (the message names a file the site
 *   answered with an error, such as a 404); `ready` rejects;
 * - `style-failed`: the stylesheet, cascade.css, did not load; the element works, unstyled,
 *   and says so;
 * - `framework`: the `framework` file could not be fetched, is on another site, or is not a
 *   valid framework; `ready` rejects;
 * - `storage`: the browser would not keep or read stored work;
 * - `input`: something the person did was refused (a bad import, an invalid value); the
 *   message is on screen too and nothing changed;
 * - `render`: a view could not be shown (a bug: please report it).
 */
export type CascadeErrorCode = 'engine-blocked' | 'engine-unsupported' | 'engine-failed' | 'style-failed' | 'framework' | 'storage' | 'input' | 'render';

export interface CascadeErrorDetail {
  /** A sentence for people, as shown in the element. */
  message: string;
  code: CascadeErrorCode;
}

export interface CascadeAssessmentEventMap extends HTMLElementEventMap {
  /** After every change a person makes (not after setDocument()). Bubbles, composed. */
  'cascade-change': CustomEvent<CascadeChangeDetail>;
  /** Something went wrong; see `code`. Bubbles, composed. */
  'cascade-error': CustomEvent<CascadeErrorDetail>;
  /** The element is usable; the same moment `ready` resolves. Bubbles, composed. */
  'cascade-ready': CustomEvent<undefined>;
}

/**
 * `<cascade-assessment>`: the CASCADE self-assessment. Attributes (all optional):
 *
 * - `mode`: `score` (default: the full scoring page), `results` (the compare and results
 *   views only, nothing can be changed), `read-only` (every view, nothing can be changed).
 *   Results and read-only modes store nothing and always show results.
 * - `area`: the area to open; its stored assessment, or (score mode) a new one.
 * - `rounds`: comma-separated round labels for new assessments; default "Baseline, Follow-up".
 * - `framework`: URL of a framework JSON file on the same site, relative to the page;
 *   validated by the engine. Default: the built-in CASCADE framework.
 * - `storage-key`: prefix of the localStorage keys the element uses; default "cascade".
 *   Give each element on a page its own.
 * - `lang` / `language`: only English text exists. `en` and `en-*` are accepted; anything
 *   else shows English and logs a console warning.
 * - `page-keys`: also take keyboard shortcuts when nothing on the page has focus (the
 *   facilitator's own page does; leave it off when embedding).
 *
 * Theming: the custom properties `--cascade-font`, `--cascade-font-size`, `--cascade-bg`,
 * `--cascade-fg`, `--cascade-muted`, `--cascade-surface`, `--cascade-line`, `--cascade-accent`,
 * `--cascade-accent-fg`, `--cascade-accent-soft`, `--cascade-focus`, `--cascade-focus-ring`,
 * `--cascade-warn-bg`, `--cascade-warn-fg`, `--cascade-danger`, `--cascade-ok`,
 * `--cascade-radius`; parts `app`, `bar`, `views`, `error`, `message`. A theme whose text
 * would fall below 4.5:1 contrast is replaced by the default colours, with a console warning.
 */
export declare class CascadeAssessmentElement extends HTMLElement {
  /**
   * Resolves when the element is usable (engine loaded, first view shown); rejects with an
   * Error carrying `code` (a CascadeErrorCode) when it cannot start.
   */
  readonly ready: Promise<void>;
  /** The `mode` attribute, normalised. */
  readonly mode: Mode;
  /** The open assessment (a fresh copy each call), or null before one is open. */
  getDocument(): AssessmentDocument | null;
  /**
   * Opens a document (object or JSON text) after the engine has checked it. Throws the
   * engine's message, changing nothing, when it is not valid. In score mode it is stored,
   * replacing the stored assessment of the same area; in the other modes it is only shown.
   * Fires no cascade-change. Throws before `ready` has resolved.
   */
  setDocument(doc: AssessmentInput | AssessmentDocument | string): void;
  /** Statistics of every round of the open assessment, or null. */
  getSummary(): AreaSummary | null;
  /** The change between two rounds (by id) of the open assessment, or null; throws for unknown rounds. */
  getComparison(from: string, to: string): AreaComparison | null;

  addEventListener<K extends keyof CascadeAssessmentEventMap>(type: K, listener: (this: CascadeAssessmentElement, ev: CascadeAssessmentEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof CascadeAssessmentEventMap>(type: K, listener: (this: CascadeAssessmentElement, ev: CascadeAssessmentEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * Loads and defines <cascade-assessment> now, even with none on the page yet (the module
 * does this by itself as soon as one appears). Resolves to the element class.
 */
export declare function define(): Promise<typeof CascadeAssessmentElement>;

declare global {
  interface HTMLElementTagNameMap {
    'cascade-assessment': CascadeAssessmentElement;
  }
  /** The events bubble and cross shadow roots, so a document or window listener hears them. */
  interface GlobalEventHandlersEventMap {
    'cascade-change': CustomEvent<CascadeChangeDetail>;
    'cascade-error': CustomEvent<CascadeErrorDetail>;
    'cascade-ready': CustomEvent<undefined>;
  }
}
