// Offline support for the facilitator page: keeps the page's own files in a cache and
// serves them when the network is not there. It never fetches anything but those files.
const CACHE = 'cascade-v5';
const FILES = [
  './',
  './index.html',
  './app.css',
  './app.js',
  './sw.js',
  './cascade-widget.js',
  './too-old.js',
  './icon.svg',
  './cascade-assessment.js',
  './cascade.css',
  './cascade-more.css',
  './dom.js',
  './keys.js',
  './capture.js',
  './words.js',
  './store.js',
  './save-status.js',
  './people-list.js',
  './import.js',
  './import-worker.js',
  './view-score.js',
  './score-results.js',
  './score-hands.js',
  './view-results.js',
  './view-start.js',
  './view-files.js',
  './theme.js',
  './engine.js',
  './pkg/cascade_wasm.js',
  './pkg/cascade_wasm_bg.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// Network first, so a new version shows at once when online; the cache when offline.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') cache.put(req, res.clone());
      return res;
    } catch (err) {
      const hit = await cache.match(req, { ignoreSearch: true });
      if (hit) return hit;
      throw err;
    }
  })());
});
