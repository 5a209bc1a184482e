// `npm test`: every browser test, in two lanes at once (the machine has two cores):
//
//   chromium  e2e/*.test.mjs but the sessions: the whole suite in Chromium
//   sessions  e2e/session.<engine>.test.mjs: the scoring session and cascade.html from
//             disk in Chromium, Firefox, WebKitGTK and WPE, one engine after another
//
// Each lane is one `node --test` run, its files one after another; a lane's report is
// printed as it finishes, then one closing line for both: "N passed, N failed".
//
//   node run.mjs                      both lanes
//   node run.mjs e2e/embed.test.mjs   just these files, in one lane
//   CASCADE_ENGINES=wpe node run.mjs  the sessions lane with only these engines

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ENGINES = (process.env.CASCADE_ENGINES ?? 'chromium,firefox,webkitgtk,wpe').split(',').map((e) => e.trim()).filter(Boolean);

const all = fs.readdirSync(path.join(here, 'e2e')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => `e2e/${f}`);
const sessionFile = (f) => /^e2e\/session\.[a-z]+\.test\.mjs$/.test(f);
const picked = process.argv.slice(2);
const lanes = picked.length
  ? [{ name: 'chosen', files: picked }]
  : [
    { name: 'chromium', files: all.filter((f) => !sessionFile(f)) },
    { name: 'sessions', files: ENGINES.map((e) => `e2e/session.${e}.test.mjs`) },
  ].filter((l) => l.files.length);

for (const f of lanes.flatMap((l) => l.files)) {
  if (!fs.existsSync(path.join(here, f))) {
    console.error(`run.mjs: no test file ${f}`);
    process.exit(2);
  }
}

function runLane(lane) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...lane.files], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => {
      const count = (name) => Number(out.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(`\n## lane ${lane.name}: ${lane.files.join(' ')}\n${out}## lane ${lane.name}: exit ${code}, ${seconds} s\n`);
      resolve({ code, pass: count('pass'), fail: count('fail') + count('cancelled') });
    });
  });
}

const results = await Promise.all(lanes.map(runLane));
const pass = results.reduce((n, r) => n + r.pass, 0);
const fail = results.reduce((n, r) => n + r.fail, 0);
const broken = results.some((r) => r.code !== 0);
console.log(`\n${pass} passed, ${fail} failed`);
process.exit(broken || fail > 0 ? 1 : 0);
