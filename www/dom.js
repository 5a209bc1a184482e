// DOM helpers for <cascade-assessment>: build elements from data without ever parsing
// user text as HTML, bring the core's SVG charts in, format numbers for display, download.

/**
 * Creates an element. `props`: `class`, `text` (textContent), `on<event>` (listener),
 * DOM properties `value`, `checked`, `disabled`, `selected`, `open`, everything else an attribute
 * (`true` sets an empty attribute; `null`, `undefined` and `false` leave it out).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'text') el.textContent = String(v);
      else if (k.startsWith('on') && typeof v === 'function') listen(el, k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

// Listeners live in a per-element table behind one shared dispatcher, so that morph() can
// hand an element that stays in the page the listeners of the element that replaced it.
const HANDLERS = Symbol('handlers');
const SOURCE = Symbol('source');

function dispatch(e) {
  this[HANDLERS]?.[e.type]?.call(this, e);
}

function listen(el, type, fn) {
  (el[HANDLERS] ??= {})[type] = fn;
  el.addEventListener(type, dispatch);
}

/**
 * Makes the children of `parent` look like `next` (an array of fresh nodes from h()),
 * reusing every node that has the same shape, so that the browser restyles and relays out
 * only what changed, and focus and scroll stay where they are. Nodes with a different tag
 * or `data-k`, and charts with different SVG source, are replaced whole.
 */
export function morph(parent, next) {
  const old = [...parent.childNodes];
  let i = 0;
  for (; i < next.length; i++) {
    const n = next[i];
    const o = old[i];
    if (!o) parent.append(n);
    else if (sameShape(o, n)) patch(o, n);
    else parent.replaceChild(n, o);
  }
  for (; i < old.length; i++) old[i].remove();
}

function sameShape(o, n) {
  if (o.nodeType !== n.nodeType || o.nodeName !== n.nodeName) return false;
  if (o.nodeType !== 1) return true;
  if (o.getAttribute('data-k') !== n.getAttribute('data-k')) return false;
  if (o[SOURCE] || n[SOURCE]) return o[SOURCE] === n[SOURCE];
  return o.getAttribute('type') === n.getAttribute('type');
}

function patch(o, n) {
  if (o.nodeType !== 1) {
    if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
    return;
  }
  if (o[SOURCE]) return; // the same chart
  // This runs for every element on every render, so it avoids copying lists.
  const oa = o.attributes;
  for (let i = oa.length - 1; i >= 0; i--) if (!n.hasAttribute(oa[i].name)) o.removeAttribute(oa[i].name);
  for (const a of n.attributes) if (o.getAttribute(a.name) !== a.value) o.setAttribute(a.name, a.value);
  const handlers = n[HANDLERS];
  if (handlers || o[HANDLERS]) {
    const had = o[HANDLERS] ?? {};
    o[HANDLERS] = handlers ?? {};
    for (const type in o[HANDLERS]) if (!(type in had)) o.addEventListener(type, dispatch);
  }
  morph(o, [...n.childNodes]);
  if (o instanceof HTMLInputElement) {
    if (o.checked !== n.checked) o.checked = n.checked;
    if (o.type !== 'file' && o.value !== n.value && !focused(o)) o.value = n.value;
  } else if ((o instanceof HTMLSelectElement || o instanceof HTMLTextAreaElement) && o.value !== n.value && !focused(o)) {
    o.value = n.value;
  }
}

function focused(el) {
  return el.getRootNode().activeElement === el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

const svgCache = new Map();

/**
 * Turns an SVG string from the core into a node of this document. Parsed as XML, never as
 * HTML; refuses anything that is not a well-formed <svg>. The same string gives a clone of
 * the last node parsed from it.
 */
export function svgNode(text) {
  const hit = svgCache.get(text);
  if (hit) {
    const node = hit.cloneNode(true);
    node[SOURCE] = text;
    return node;
  }
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length > 0 || root.localName !== 'svg') {
    throw new Error('chart: the chart from the scoring engine is not well-formed SVG');
  }
  const node = document.importNode(root, true);
  if (svgCache.size > 64) svgCache.clear();
  svgCache.set(text, node.cloneNode(true));
  node[SOURCE] = text;
  return node;
}

/** Offers `text` as a file download: a Blob behind an object URL, clicked through a link. */
export function download(parent, name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden', tabindex: '-1' }, name);
  parent.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name made from user text: letters, digits and dashes. */
export function fileSlug(text) {
  const s = String(text).toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s.slice(0, 60) || 'assessment';
}

const MINUS = '\u2212';

/** A statistic for display: at most two decimals, trailing zeros dropped; a dash when missing. */
export function num(v) {
  if (v == null || Number.isNaN(v)) return '–';
  const s = String(Number(v.toFixed(2)));
  return s.startsWith('-') ? MINUS + s.slice(1) : s;
}

/** A change for display, always signed: "+0.5", "−1", "0". */
export function signed(v) {
  if (v == null || Number.isNaN(v)) return '–';
  const s = num(v);
  return v > 0 ? `+${s}` : s;
}

/** A p-value for display. */
export function pValue(p) {
  if (p == null || Number.isNaN(p)) return '–';
  if (p < 0.001) return '< 0.001';
  return String(Number(p.toFixed(3)));
}

/** A share (0 to 1) as a whole percentage. */
export function percent(v) {
  if (v == null || Number.isNaN(v)) return '–';
  return `${Math.round(v * 100)}%`;
}

/** A plain object from a value the engine returned as a JS Map or a plain object. */
export function entries(v) {
  if (!v) return [];
  if (v instanceof Map) return [...v.entries()];
  return Object.entries(v);
}

export const GROUPS = [
  ['education', 'Education'],
  ['mental-health', 'Mental health'],
  ['commissioner', 'Commissioner'],
  ['local-authority', 'Local authority'],
  ['voluntary-sector', 'Voluntary sector'],
  ['other', 'Other'],
];

export function groupLabel(id) {
  return GROUPS.find(([g]) => g === id)?.[1] ?? id;
}

export const DIRECTIONS = {
  improved: ['▲', 'Improved'],
  declined: ['▼', 'Declined'],
  unchanged: ['●', 'No change'],
  unknown: ['?', 'No data'],
};

export const MODES = [
  ['agreed', 'Agreed level', 'The room agrees one level per domain'],
  ['tally', 'Show of hands', 'Count raised hands at each level'],
  ['respondents', 'Each person', 'One row per person, with their group'],
];
