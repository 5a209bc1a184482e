// Put first in every HTML page by the test server (startServer's `probe` option), as a
// classic script from the page's own origin, so that it runs before anything else and under
// any Content-Security-Policy that allows 'self'. It records what not every engine's driver
// reports: errors, unhandled rejections, policy violations, console.error calls, and the
// files the page hands to the browser to download (name, type and text, read from the blob,
// and not saved).
// The tests read window.__cascadeProbe.
(function () {
  var seen = { errors: [], violations: [], downloads: [] };
  Object.defineProperty(window, '__cascadeProbe', { value: seen });
  addEventListener('error', function (e) {
    if (e.target && e.target !== window) {
      seen.errors.push('resource: ' + (e.target.src || e.target.href || e.target.localName));
    } else {
      seen.errors.push('page: ' + e.message);
    }
  }, true);
  addEventListener('unhandledrejection', function (e) {
    seen.errors.push('unhandled rejection: ' + ((e.reason && e.reason.message) || e.reason));
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    seen.violations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  var error = console.error;
  console.error = function () {
    seen.errors.push('console: ' + Array.prototype.map.call(arguments, String).join(' '));
    return error.apply(this, arguments);
  };
  // Clicks on a download link anywhere, shadow roots included (click() events are composed).
  // The blob is kept as it is made: a policy without blob: in connect-src forbids fetching it.
  var blobs = new Map();
  var make = URL.createObjectURL;
  URL.createObjectURL = function (b) {
    var url = make.call(URL, b);
    blobs.set(url, b);
    return url;
  };
  document.addEventListener('click', function (e) {
    var a = e.composedPath()[0];
    if (!a || a.localName !== 'a' || !a.hasAttribute('download')) return;
    // The browser is not asked to save it: cog, WPE's browser, has no downloads and would
    // leave the page for the file; the tests read the file here instead, in every engine.
    e.preventDefault();
    var entry = { name: a.getAttribute('download'), href: a.href, type: null, text: null };
    seen.downloads.push(entry);
    var b = blobs.get(a.href);
    if (!b) {
      entry.text = 'not a blob made by the page';
      return;
    }
    entry.type = b.type;
    b.text().then(function (t) { entry.text = t; });
  }, true);
})();
