// DOM helpers for <cascade-assessment>: build elements from data without ever parsing
// user text as HTML, bring the core's SVG charts in, format numbers for display, download.

/**
 * Describes an element: a plain object that morph() or dom() turns into DOM. Building
 * objects rather than elements keeps a render cheap, since most of a view is unchanged
 * from one key press to the next and morph() touches only what differs.
 *
 * `props`: `class` (text, or a list with falsy entries skipped), `text` (a first text
 * child), `on<event>` (listener), the properties `value`, `checked`, `selected` and
 * `disabled`; everything else is an attribute (`true` sets an empty attribute; `null`,
 * `undefined` and `false` leave it out). Children: descriptions, text, numbers, DOM nodes
 * (such as a chart from svgNode()), and arrays of them; `null`, `undefined` and `false`
 * are skipped.
 */
export function h(tag, props, ...children) {
  const attrs = Object.create(null);
  const kids = [];
  let prop = null;
  let on = null;
  if (props) {
    // An option's value, and a radio's or checkbox's, is its attribute; a text field's is
    // what it holds.
    const valueIsAttr = tag === 'option' || (tag === 'input' && VALUE_ATTR.has(props.type));
    // Own properties only: a page that added to Object.prototype adds nothing here.
    for (const k of Object.keys(props)) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k === 'class') attrs.class = Array.isArray(v) ? v.filter(Boolean).join(' ') : String(v);
      else if (k === 'text') {
        if (String(v) !== '') kids.push(String(v));
      } else if (k.startsWith('on') && typeof v === 'function') (on ??= Object.create(null))[k.slice(2)] = v;
      else if (k === 'disabled') {
        if (v) attrs.disabled = '';
      } else if (k === 'value' && valueIsAttr) attrs.value = String(v);
      else if (k === 'value' || k === 'checked' || k === 'selected') (prop ??= Object.create(null))[k] = v;
      else attrs[k] = v === true ? '' : String(v);
    }
  }
  flatten(children, kids);
  const d = { tag, attrs, prop, on, kids };
  DESCRIPTIONS.add(d);
  return d;
}

const DESCRIPTIONS = new WeakSet();

/** Whether `c` came from h(): only those are built into elements. */
function isDescription(c) {
  return typeof c === 'object' && DESCRIPTIONS.has(c);
}

const VALUE_ATTR = new Set(['radio', 'checkbox', 'hidden', 'button', 'submit', 'reset', 'image']);

function flatten(list, out) {
  for (const c of list) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) flatten(c, out);
    else if (c instanceof Node || isDescription(c)) out.push(c);
    // Anything else, an object from a stored record included, is shown as text, never built.
    else out.push(String(c));
  }
  return out;
}

/** The DOM node for a description from h(), text, or a node (returned as it is). */
export function dom(n) {
  if (typeof n === 'string') return document.createTextNode(n);
  if (n instanceof Node) return n;
  const el = document.createElement(n.tag);
  for (const k of Object.keys(n.attrs)) el.setAttribute(k, n.attrs[k]);
  el[ATTRS] = n.attrs;
  if (n.prop) for (const k of Object.keys(n.prop)) el[k] = n.prop[k];
  if (n.on) {
    el[HANDLERS] = n.on;
    for (const type of Object.keys(n.on)) el.addEventListener(type, dispatch);
  }
  for (const c of n.kids) el.append(dom(c));
  return el;
}

/** Replaces the children of `parent` with new nodes for `children` (as h() takes them). */
export function fill(parent, ...children) {
  parent.replaceChildren(...flatten(children, []).map(dom));
}

// Listeners live in a per-element table behind one shared dispatcher, so that morph() can
// give an element that stays in the page the listeners of its new description.
const HANDLERS = Symbol('handlers');
const SOURCE = Symbol('source');
// The attributes an element was last given from a description. Only morph() and dom() set
// attributes on the nodes they make, so comparing descriptions stands in for reading the DOM,
// which was a fifth of a key press's work.
const ATTRS = Symbol('attrs');

function dispatch(e) {
  const on = this[HANDLERS];
  if (on && Object.hasOwn(on, e.type)) on[e.type].call(this, e);
}

/**
 * Makes the children of `parent` match `next` (what h() takes as children), reusing every
 * node of the same shape, so that the browser restyles and relays out only what changed,
 * and focus and scroll stay where they are. Nodes with a different tag, `type` or `data-k`
 * are replaced whole; a chart is brought up to date in place.
 */
export function morph(parent, next) {
  let o = parent.firstChild;
  const list = flatten(Array.isArray(next) ? next : [next], []);
  for (let k = 0; k < list.length; k++) {
    const n = list[k];
    if (!o) {
      parent.append(dom(n));
      continue;
    }
    // A node shown or hidden among the others (a notice, a mark) shifts the rest by one;
    // step over it rather than rebuild everything after it.
    if (!sameShape(o, n)) {
      if (k + 1 < list.length && sameShape(o, list[k + 1])) {
        parent.insertBefore(dom(n), o);
        continue;
      }
      if (o.nextSibling && sameShape(o.nextSibling, n)) {
        const gone = o;
        o = o.nextSibling;
        gone.remove();
      }
    }
    const after = o.nextSibling;
    if (sameShape(o, n)) patch(o, n);
    else parent.replaceChild(dom(n), o);
    o = after;
  }
  while (o) {
    const after = o.nextSibling;
    o.remove();
    o = after;
  }
}

function sameShape(o, n) {
  if (typeof n === 'string') return o.nodeType === 3;
  if (n instanceof Node) return o.nodeName === n.nodeName && o[SOURCE] !== undefined && n[SOURCE] !== undefined;
  if (o.nodeType !== 1 || o[SOURCE] !== undefined || o.localName !== n.tag) return false;
  // An element not made from a description (none are, in a view) is replaced, not patched.
  const a = o[ATTRS];
  return a !== undefined && a['data-k'] === n.attrs['data-k'] && a.type === n.attrs.type;
}

function patch(o, n) {
  if (typeof n === 'string') {
    if (o.nodeValue !== n) o.nodeValue = n;
    return;
  }
  if (n instanceof Node) {
    // A chart whose numbers changed: most of it (axes, labels) is the same, so only what
    // differs is changed, and the browser lays out and paints only that.
    if (o[SOURCE] !== n[SOURCE]) {
      sync(o, n);
      o[SOURCE] = n[SOURCE];
    }
    return;
  }
  const { attrs } = n;
  const prev = o[ATTRS];
  for (const k of Object.keys(attrs)) if (prev[k] !== attrs[k]) o.setAttribute(k, attrs[k]);
  for (const k of Object.keys(prev)) if (!Object.hasOwn(attrs, k)) o.removeAttribute(k);
  o[ATTRS] = attrs;
  const had = o[HANDLERS];
  if (n.on || had) {
    o[HANDLERS] = n.on ?? Object.create(null);
    for (const type of Object.keys(o[HANDLERS])) if (!had || !Object.hasOwn(had, type)) o.addEventListener(type, dispatch);
  }
  morph(o, n.kids);
  const p = n.prop;
  if (o instanceof HTMLInputElement) {
    if (o.checked !== Boolean(p?.checked)) o.checked = Boolean(p?.checked);
    const value = p?.value != null ? String(p.value) : (attrs.value ?? (o.type === 'radio' || o.type === 'checkbox' ? 'on' : ''));
    if (o.type !== 'file' && o.value !== value && !focused(o)) o.value = value;
  } else if (o instanceof HTMLTextAreaElement) {
    const value = p?.value != null ? String(p.value) : '';
    if (o.value !== value && !focused(o)) o.value = value;
  } else if (o instanceof HTMLSelectElement) {
    const value = selected(n);
    if (o.value !== value && !focused(o)) o.value = value;
  }
}

/** Makes node `o` match node `n` of the same name, moving into `o` the children it lacks. */
function sync(o, n) {
  if (o.nodeType !== 1) {
    if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
    return;
  }
  for (let i = o.attributes.length - 1; i >= 0; i--) {
    const a = o.attributes[i];
    if (!n.hasAttributeNS(a.namespaceURI, a.localName)) o.removeAttributeNode(a);
  }
  for (const a of n.attributes) {
    if (o.getAttributeNS(a.namespaceURI, a.localName) !== a.value) o.setAttributeNS(a.namespaceURI, a.name, a.value);
  }
  let oc = o.firstChild;
  let nc = n.firstChild;
  while (nc) {
    const next = nc.nextSibling;
    if (!oc) o.append(nc);
    else if (oc.nodeName === nc.nodeName) {
      sync(oc, nc);
      oc = oc.nextSibling;
    } else {
      const after = oc.nextSibling;
      o.replaceChild(nc, oc);
      oc = after;
    }
    nc = next;
  }
  while (oc) {
    const after = oc.nextSibling;
    oc.remove();
    oc = after;
  }
}

function focused(el) {
  return el.getRootNode().activeElement === el;
}

/** The value a new <select> made from `n` would have: its last selected option's, or its first's. */
function selected(n) {
  const options = n.kids.filter((c) => c.tag === 'option');
  const pick = options.findLast((c) => c.prop?.selected) ?? options[0];
  return pick ? (pick.attrs.value ?? pick.kids.join('')) : '';
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
  const a = dom(h('a', { href: url, download: name, class: 'visually-hidden', tabindex: '-1' }, name));
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
