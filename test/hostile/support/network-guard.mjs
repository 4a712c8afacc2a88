// Preloaded with `node --import` into a CLI run: every way Node opens a connection, resolves a
// name or sends a datagram throws, and is recorded first (one line per attempt) in the file that
// CHOREOLINT_NETWORK_LOG names. Code may swallow the error; it cannot hide the record.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

const log = process.env.CHOREOLINT_NETWORK_LOG;
if (!log) throw new Error('network-guard: set CHOREOLINT_NETWORK_LOG');

function blocked(what, detail) {
  let text;
  try {
    text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  } catch {
    text = String(detail);
  }
  appendFileSync(log, `${what} ${text}\n`);
  const error = new Error(`network access attempted: ${what}`);
  error.code = 'ECHOREOLINTNETWORK';
  return error;
}

function guard(target, name, what) {
  if (typeof target[name] !== 'function') return;
  target[name] = function guarded(...args) {
    throw blocked(what, args[0]);
  };
}

function guardAsync(target, name, what) {
  if (typeof target[name] !== 'function') return;
  target[name] = function guarded(...args) {
    return Promise.reject(blocked(what, args[0]));
  };
}

guard(net.Socket.prototype, 'connect', 'net.Socket.connect');
guard(net, 'connect', 'net.connect');
guard(net, 'createConnection', 'net.createConnection');
guard(tls, 'connect', 'tls.connect');
guard(http, 'request', 'http.request');
guard(http, 'get', 'http.get');
guard(https, 'request', 'https.request');
guard(https, 'get', 'https.get');
guard(http2, 'connect', 'http2.connect');
guard(dgram.Socket.prototype, 'send', 'dgram.send');
guard(dgram.Socket.prototype, 'connect', 'dgram.connect');
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse']) {
  guard(dns, name, `dns.${name}`);
  guardAsync(dns.promises, name, `dns.promises.${name}`);
  guard(dns.Resolver.prototype, name, `dns.Resolver.${name}`);
  guardAsync(dns.promises.Resolver.prototype, name, `dns.promises.Resolver.${name}`);
}
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = function guardedFetch(input) {
    return Promise.reject(blocked('fetch', String(input && input.url ? input.url : input)));
  };
}
if (typeof globalThis.WebSocket === 'function') {
  globalThis.WebSocket = function GuardedWebSocket(url) {
    throw blocked('WebSocket', String(url));
  };
}
// ES modules that import these builtins by name (`import { connect } from 'node:net'`) see the guards too.
syncBuiltinESMExports();
