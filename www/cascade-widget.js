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

const TAG = 'cascade-assessment';
let loading = null;

/**
 * Loads and defines the element now, whether or not one is on the page (for one created
 * with document.createElement, or inside another component's shadow root). Resolves to
 * the element class.
 */
export function define() {
  loading ??= (() => {
    // The engine first, since its file is the largest and it waits on engine.js: asked for
    // before the element's modules, it is not queued behind them for the browser's few
    // connections to the site. engine.js starts it once per page; the element, asking
    // later, gets this start.
    import('./engine.js')
      .then((engine) => engine.loadEngine())
      .catch(() => {}); // the element reports what went wrong, in place and as an event
    // All of the element's modules at once, rather than each after the one that imports it
    // (engine.test.mjs checks that this list has them all).
    const element = import('./cascade-assessment.js');
    const early = () => {}; // failures show when the element itself imports them
    import('./dom.js').catch(early);
    import('./keys.js').catch(early);
    import('./capture.js').catch(early);
    import('./words.js').catch(early);
    import('./people-list.js').catch(early);
    import('./save-status.js').catch(early);
    import('./store.js').catch(early);
    import('./save-status.js').catch(early);
    import('./people-list.js').catch(early);
    import('./theme.js').catch(early);
    import('./view-score.js').catch(early);
    import('./view-results.js').catch(early);
    import('./view-files.js').catch(early);
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
