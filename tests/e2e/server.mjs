// A tiny static server for www/ used by the browser tests and the measurement script.
// Listens on 127.0.0.1 on a random port, serves .wasm as application/wasm, can send the
// strict Content-Security-Policy the page must work under (or a policy per path), can
// serve folders under other paths (a widget in a subfolder of a school's site), and
// records every request.
//
//   const server = await startServer({ csp: true });
//   const site = await startServer({ mounts: { '/vendor/cascade/': WWW }, csp: (p) => EMBED_CSP });
//   server.url        // http://127.0.0.1:PORT/
//   server.requests   // [{ method, path, status }]
//   await server.close();
//
// Run directly (`node e2e/server.mjs [port]`) to look at the page by hand.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WWW = path.resolve(here, '../../www');

// The policy the page must work under, tightened further where the page needs nothing.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

// The policy the README gives website administrators who embed the widget, exactly.
export const EMBED_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts the server. Options: `root` (default www/), `csp` (true: the page's CSP header,
 * the default; false: none; a string: that policy; a function of the path: its policy, or
 * null for none), `port` (default 0: any free port), `pkgDir` (serve /pkg/ from elsewhere;
 * also the CASCADE_PKG_DIR environment variable), `files` (extra paths mapped to files,
 * such as axe-core for the accessibility checks, so that it loads under the CSP), `mounts`
 * (path prefixes ending in "/" mapped to folders, served in place of `root` below them; a
 * mounted www/ also takes `pkgDir` for its pkg/), `types` (content types by extension, in
 * place of the usual ones: a server that does not know .wasm), `refuse` (a function of the
 * path: an HTTP status to answer with an error page instead of the file, or null), `gzip`
 * (true: send every file gzip-compressed at level 9 to a browser that accepts it, as a web
 * server that compresses ahead of time does), `probe` (true: every HTML page gets probe.js
 * as its first script, served at /__test/probe.js, to record errors and downloads in
 * engines whose drivers do not report them).
 */
export async function startServer({ root = WWW, csp = true, port = 0, pkgDir = process.env.CASCADE_PKG_DIR, files = {}, mounts = {}, types = {}, refuse = () => null, gzip = false, probe = false } = {}) {
  if (probe) files = { ...files, '/__test/probe.js': path.join(here, 'probe.js') };
  const requests = [];
  const base = path.resolve(root);
  const mounted = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const policy = (pathname) => {
    if (typeof csp === 'function') return csp(pathname);
    if (typeof csp === 'string') return csp;
    return csp ? CSP : null;
  };
  const server = http.createServer(async (req, res) => {
    const entry = { method: req.method, path: req.url, status: 0 };
    requests.push(entry);
    const send = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, { 'content-type': 'text/plain' }, 'bad request');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { allow: 'GET, HEAD' }, '');
    if (pathname.endsWith('/')) pathname += 'index.html';
    let dir = base;
    let rel = pathname;
    const mount = mounted.find(([prefix]) => pathname.startsWith(prefix));
    if (mount) {
      dir = mount[1];
      rel = pathname.slice(mount[0].length - 1);
    }
    if (pkgDir && (!mount || dir === path.resolve(WWW)) && rel.startsWith('/pkg/')) {
      dir = path.resolve(pkgDir);
      rel = rel.slice('/pkg'.length);
    }
    const file = files[pathname] ?? path.join(dir, path.normalize(rel));
    if (!files[pathname] && !file.startsWith(dir + path.sep)) return send(403, { 'content-type': 'text/plain' }, 'forbidden');
    const refused = refuse(pathname);
    if (refused) return send(refused, { 'content-type': 'text/html; charset=utf-8' }, `<!doctype html><title>${refused}</title><h1>Error ${refused}</h1>`);
    let body;
    try {
      body = await fs.readFile(file);
    } catch {
      return send(404, { 'content-type': 'text/plain' }, 'not found');
    }
    const headers = {
      'content-type': types[path.extname(file)] ?? TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (probe && path.extname(file) === '.html') {
      const html = body.toString('utf8');
      const at = html.search(/<head[^>]*>/i);
      const end = at < 0 ? 0 : html.indexOf('>', at) + 1;
      body = Buffer.from(`${html.slice(0, end)}<script src="/__test/probe.js"></script>${html.slice(end)}`);
    }
    const header = policy(pathname);
    if (header) headers['content-security-policy'] = header;
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
      body = zlib.gzipSync(body, { level: 9 });
    }
    send(200, headers, req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}/`,
    origin: `http://127.0.0.1:${bound}`,
    port: bound,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await startServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`serving ${WWW} at ${s.url}`);
}
