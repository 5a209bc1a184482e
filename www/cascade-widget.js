// The file a website loads to embed the CASCADE self-assessment:
//
//   <script type="module" src="/path/to/cascade-widget.js"></script>
//   <cascade-assessment area="Our school"></cascade-assessment>
//
// It is deliberately tiny. Nothing else is fetched until a <cascade-assessment> is on the
// page; then the element, its stylesheet and the WebAssembly engine load from the folder
// this file came from (import.meta.url), so the files work from any folder of any site and
// nothing is fetched from anywhere else. It defines no globals and registers no service
// worker. Until the element is defined, anything inside it shows, which makes a fallback
// for browsers without modules: <cascade-assessment>Needs a newer browser.</cascade-assessment>

// This file alone is written for old browsers too (no ??, ?. or class fields), so that one
// too old for the element still runs it and shows why, in place of the assessment.

const TAG = 'cascade-assessment';
let loading = null;

// A module using every WebAssembly feature the engine is built with beyond the first
// version: bulk memory (memory.fill), non-trapping conversion, sign extension. Safari 15,
// Chrome 75 and Firefox 79 have them.
const WASM_FEATURES = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1,
  10, 22, 1, 20, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0b, 0, 0x43, 0, 0, 0, 0, 0xfc, 0, 0xc0, 0x1a, 0x0b]);

/**
 * What this browser lacks that the element needs, or null: the newest of its needs arrived
 * in Safari 15.4 (iPadOS 15.4), Chrome 97 and Firefox 104. A browser without WebAssembly at
 * all is not "too old" here: the engine has a JavaScript build for it.
 */
export function missingFeatures() {
  const missing = [];
  if (typeof Object.hasOwn !== 'function') missing.push('Object.hasOwn');
  if (typeof Array.prototype.findLast !== 'function') missing.push('Array.prototype.findLast');
  if (typeof Element.prototype.replaceChildren !== 'function') missing.push('Element.replaceChildren');
  if (typeof HTMLDialogElement !== 'function' || typeof HTMLDialogElement.prototype.showModal !== 'function') missing.push('<dialog>');
  if (typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function') {
    let valid = true;
    try {
      valid = WebAssembly.validate(WASM_FEATURES);
    } catch (e) {
      // A browser that refuses even to validate leaves the verdict to the engine.
    }
    if (!valid) missing.push('WebAssembly bulk memory');
  }
  return missing.length ? missing : null;
}

/**
 * Loads and defines the element now, whether or not one is on the page (for one created
 * with document.createElement, or inside another component's shadow root). Resolves to
 * the element class.
 */
export function define() {
  if (loading) return loading;
  const missing = missingFeatures();
  if (missing) {
    // What it says is in a file of its own: only such browsers fetch it.
    loading = customElements.get(TAG) ? Promise.resolve(customElements.get(TAG))
      : import('./too-old.js').then(function (m) { return m.defineTooOld(TAG, missing, new URL('./cascade.css', import.meta.url).href); });
    return loading;
  }
  loading = (() => {
    // The engine first, since its file is the largest and it waits on engine.js: asked for
    // before the element's modules, it is not queued behind them for the browser's few
    // connections to the site. engine.js starts it once per page; the element, asking
    // later, gets this start.
    import('./engine.js')
      .then((engine) => engine.loadEngine())
      .catch(() => {}); // the element reports what went wrong, in place and as an event
    // All of the element's modules at once, rather than each after the one that imports it
    // (engine.test.mjs checks that this list has them all). Not what the element loads on
    // first use (the views but Score, the results once revealed, a show of hands).
    const element = import('./cascade-assessment.js');
    const early = () => {}; // failures show when the element itself imports them
    import('./dom.js').catch(early);
    import('./keys.js').catch(early);
    import('./capture.js').catch(early);
    import('./people-list.js').catch(early);
    import('./save-status.js').catch(early);
    import('./store.js').catch(early);
    import('./theme.js').catch(early);
    import('./view-score.js').catch(early);
    return element.then((m) => m.CascadeAssessment, (e) => {
      loading = null; // a later call may try again
      throw e;
    });
  })();
  return loading;
}

function start() {
  define().catch((e) => console.error('<cascade-assessment> could not load:', e));
}

function holds(node) {
  return node.nodeType === 1 && (node.localName === TAG || node.getElementsByTagName(TAG).length > 0);
}

if (typeof customElements === 'object' && !customElements.get(TAG)) {
  if (document.getElementsByTagName(TAG).length > 0) {
    start();
  } else {
    const watch = new MutationObserver((records) => {
      if (records.some((r) => [...r.addedNodes].some(holds))) {
        watch.disconnect();
        start();
      }
    });
    watch.observe(document, { childList: true, subtree: true });
  }
}
