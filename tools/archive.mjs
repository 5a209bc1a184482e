// Writes a .zip of folders and files, deflated, with no tool but node's own zlib: the
// release archive `cargo xtask dist` makes. Windows, macOS and Linux all open a .zip by
// double-clicking it, which a school's web administrator or a facilitator will do.
//
//   node tools/archive.mjs out.zip <top folder in the zip> <path>=<name in the zip> ...
//
// A path that is a folder goes in with everything under it. Entries are sorted and dated
// 1 January 2000, so the same files make the same archive.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [out, top, ...pairs] = process.argv.slice(2);
if (!out || !top || pairs.length === 0) {
  console.error('usage: node tools/archive.mjs out.zip <top> <path>=<name> ...');
  process.exit(2);
}

const files = [];
function add(file, name) {
  const stat = fs.statSync(file);
  if (stat.isDirectory()) {
    for (const child of fs.readdirSync(file).sort()) add(path.join(file, child), `${name}/${child}`);
  } else {
    files.push({ file, name: `${top}/${name}` });
  }
}
for (const pair of pairs) {
  const at = pair.lastIndexOf('=');
  const [file, name] = at < 0 ? [pair, path.basename(pair)] : [pair.slice(0, at), pair.slice(at + 1)];
  if (!fs.existsSync(file)) {
    console.error(`archive: ${file} does not exist`);
    process.exit(1);
  }
  add(file, name);
}
files.sort((a, b) => a.name.localeCompare(b.name));

// MS-DOS time and date of 2000-01-01 00:00.
const TIME = 0;
const DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const chunks = [];
const central = [];
let offset = 0;
for (const { file, name } of files) {
  const data = fs.readFileSync(file);
  const packed = zlib.deflateRawSync(data, { level: 9 });
  const crc = zlib.crc32(data);
  const nameBytes = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  local.writeUInt16LE(0x0800, 6); // names are UTF-8
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(TIME, 10);
  local.writeUInt16LE(DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  entry.writeUInt16LE(20, 6);
  entry.writeUInt16LE(0x0800, 8);
  entry.writeUInt16LE(8, 10);
  entry.writeUInt16LE(TIME, 12);
  entry.writeUInt16LE(DATE, 14);
  entry.writeUInt32LE(crc, 16);
  entry.writeUInt32LE(packed.length, 20);
  entry.writeUInt32LE(data.length, 24);
  entry.writeUInt16LE(nameBytes.length, 28);
  entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
  entry.writeUInt32LE(offset, 42);
  chunks.push(local, nameBytes, packed);
  central.push(entry, nameBytes);
  offset += local.length + nameBytes.length + packed.length;
}
const dir = Buffer.concat(central);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(files.length, 8);
end.writeUInt16LE(files.length, 10);
end.writeUInt32LE(dir.length, 12);
end.writeUInt32LE(offset, 16);
fs.writeFileSync(out, Buffer.concat([...chunks, dir, end]));
console.log(`wrote ${out}: ${files.length} files, ${fs.statSync(out).size} bytes`);
