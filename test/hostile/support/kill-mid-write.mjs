// Preloaded with `node --import` into a CLI run, to test that its writes are atomic.
//
// CHOREOLINT_WRITE_PATTERN: a regular expression; writes to files whose absolute path matches it
// are watched (whatever the API: open + write, writeFileSync, fs.promises.writeFile, writeFile,
// createWriteStream).
// CHOREOLINT_KILL_AFTER_BYTES=N: once N bytes have gone to such a file, the process kills itself
// with SIGKILL, as an out-of-memory killer or a cancelled CI job would: no handler runs.
// CHOREOLINT_SHORT_WRITES=K: each write to such a file writes at most K bytes and says so, as
// write(2) may; code that ignores the count loses the rest.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const pattern = new RegExp(process.env.CHOREOLINT_WRITE_PATTERN || '^$');
const killAfter = process.env.CHOREOLINT_KILL_AFTER_BYTES ? Number(process.env.CHOREOLINT_KILL_AFTER_BYTES) : Infinity;
const shortWrites = process.env.CHOREOLINT_SHORT_WRITES ? Number(process.env.CHOREOLINT_SHORT_WRITES) : Infinity;

const original = {
  openSync: fs.openSync,
  closeSync: fs.closeSync,
  writeSync: fs.writeSync,
  writeFileSync: fs.writeFileSync,
  writeFile: fs.writeFile,
  promisesWriteFile: fs.promises.writeFile,
  createWriteStream: fs.createWriteStream,
};
const watched = new Map();
let written = 0;

const matches = (file) => typeof file === 'string' && pattern.test(path.resolve(file));

/** Writes what it may of `bytes` to a watched descriptor: the count written, or a kill. */
function watchedWrite(fd, bytes, position) {
  const room = killAfter - written;
  const size = Math.min(bytes.length, shortWrites, room);
  const count = size > 0 ? original.writeSync(fd, bytes, 0, size, position) : 0;
  written += count;
  if (written >= killAfter) {
    fs.fsyncSync(fd);
    process.kill(process.pid, 'SIGKILL');
  }
  return count;
}

function bytesOf(data, encoding) {
  return Buffer.isBuffer(data) ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(String(data), encoding || 'utf8');
}

fs.openSync = function openSync(file, ...rest) {
  const fd = original.openSync.call(fs, file, ...rest);
  if (matches(file)) watched.set(fd, file);
  return fd;
};

fs.closeSync = function closeSync(fd) {
  watched.delete(fd);
  return original.closeSync.call(fs, fd);
};

fs.writeSync = function writeSync(fd, data, ...rest) {
  if (!watched.has(fd)) return original.writeSync.call(fs, fd, data, ...rest);
  if (typeof data === 'string') {
    const [position, encoding] = rest;
    return watchedWrite(fd, bytesOf(data, encoding), typeof position === 'number' ? position : null);
  }
  const buffer = bytesOf(data);
  const options = rest[0] !== null && typeof rest[0] === 'object' ? rest[0] : undefined;
  const offset = options ? (options.offset ?? 0) : (rest[0] ?? 0);
  const length = options ? (options.length ?? buffer.length - offset) : (rest[1] ?? buffer.length - offset);
  const position = options ? (options.position ?? null) : (rest[2] ?? null);
  return watchedWrite(fd, buffer.subarray(offset, offset + length), position);
};

/** The whole of `data` through the watched path, honouring short writes like a careful writer. */
function writeWholeFile(file, data, options) {
  const encoding = typeof options === 'string' ? options : options && options.encoding;
  const fd = typeof file === 'number' ? file : fs.openSync(file, (options && options.flag) || 'w');
  const bytes = bytesOf(data, encoding);
  try {
    for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    if (typeof file !== 'number') fs.closeSync(fd);
  }
}

fs.writeFileSync = function writeFileSync(file, data, options) {
  if (!matches(file) && !watched.has(file)) return original.writeFileSync.call(fs, file, data, options);
  return writeWholeFile(file, data, options);
};

fs.writeFile = function writeFile(file, data, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  if (!matches(file)) return original.writeFile.call(fs, file, data, options, callback);
  try {
    writeWholeFile(file, data, typeof options === 'function' ? undefined : options);
    process.nextTick(done, null);
  } catch (error) {
    process.nextTick(done, error);
  }
};

fs.promises.writeFile = async function writeFile(file, data, options) {
  if (!matches(file)) return original.promisesWriteFile.call(fs.promises, file, data, options);
  writeWholeFile(file, data, options);
};

fs.createWriteStream = function createWriteStream(file, options) {
  const stream = original.createWriteStream.call(fs, file, options);
  if (!matches(file)) return stream;
  const write = stream.write;
  stream.write = function watchedStreamWrite(chunk, encoding, callback) {
    const bytes = bytesOf(chunk, typeof encoding === 'string' ? encoding : undefined);
    const room = Math.max(0, killAfter - written);
    if (bytes.length >= room) {
      const fd = original.openSync.call(fs, file, 'a');
      original.writeSync.call(fs, fd, bytes, 0, room);
      fs.fsyncSync(fd);
      process.kill(process.pid, 'SIGKILL');
    }
    written += bytes.length;
    return write.call(this, chunk, encoding, callback);
  };
  return stream;
};

// ES modules that import these by name (`import { writeSync } from 'node:fs'`) get the wrappers too.
syncBuiltinESMExports();
