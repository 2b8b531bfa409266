#!/usr/bin/env node
/*
 * peerspec-session — the session protocol (oracle/SESSION-PROTOCOL.md) over standard input and output, for a
 * Node package's RTCPeerConnection.  One JSON request per line in, one JSON answer per line out, in order.
 *
 *   peerspec-session --provider wrtc|werift|node-datachannel [--modules DIR] [--step-timeout MS] [--settle MS]
 *   peerspec-session --module NAME [--export NAME] [--modules DIR] [--step-timeout MS]
 *
 * --provider picks a built-in shortcut:
 *   wrtc              require('@roamhq/wrtc').RTCPeerConnection
 *   werift            require('werift').RTCPeerConnection
 *   node-datachannel  require('node-datachannel/polyfill').RTCPeerConnection
 * --module NAME --export NAME serve any other package (the export defaults to RTCPeerConnection; a dotted
 * path such as default.RTCPeerConnection reaches into nested objects).
 * Packages are resolved from --modules DIR (a project folder or its node_modules; default: the library project
 * oracle/runners/node/node_modules next to this package), then from Node's own search path (NODE_PATH).
 * --step-timeout bounds every promise a step waits for (default 5000 ms; peerspec's own bound is larger).
 * --settle MS lets queued tasks run that long after each step before `after` is recorded (default: one
 * macrotask); a library that fires negotiationneeded from another thread needs a few milliseconds.
 *
 * Standard output carries the answers only: console.log/info/debug of the library go to standard error.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const peerspec = require('./peerspec-runner.js');

const PROTOCOL = 1;
const PROVIDERS = {
  wrtc: { module: '@roamhq/wrtc', export: 'RTCPeerConnection' },
  werift: { module: 'werift', export: 'RTCPeerConnection' },
  // The polyfill's stubs (static generateCertificate, restartIce, ...) throw DOMException('Not implemented').
  'node-datachannel': {
    module: 'node-datachannel/polyfill',
    export: 'RTCPeerConnection',
    isNotImplemented: (e) => e !== null && typeof e === 'object' && e.message === 'Not implemented',
  },
};
const OPS = [
  'generateCertificate', 'construct', 'setConfiguration', 'getConfiguration', 'createOffer', 'createAnswer',
  'setLocalDescription', 'setRemoteDescription', 'restartIce', 'close', 'createDataChannel',
];

// The protocol owns standard output: whatever the library logs goes to standard error.
const out = process.stdout;
for (const name of ['log', 'info', 'debug']) console[name] = console.error.bind(console);

function usage(message) {
  process.stderr.write('peerspec-session: ' + message + '\n' +
    'usage: peerspec-session --provider wrtc|werift|node-datachannel [--modules DIR] [--step-timeout MS]\n' +
    '       peerspec-session --module NAME [--export NAME] [--modules DIR] [--step-timeout MS]\n');
  process.exit(2);
}

function parseArguments(argv) {
  const options = { modules: path.resolve(__dirname, '..', 'node', 'node_modules'), stepTimeoutMs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(flag + ' needs a value');
      return argv[++i];
    };
    if (flag === '--provider') options.provider = value();
    else if (flag === '--module') options.module = value();
    else if (flag === '--export') options.export = value();
    else if (flag === '--modules') options.modules = path.resolve(value());
    else if (flag === '--settle') {
      const ms = Number(value());
      if (!(ms >= 0)) usage('--settle is a number of milliseconds');
      options.settleMs = ms;
    }
    else if (flag === '--step-timeout') {
      const ms = Number(value());
      if (!(ms > 0)) usage('--step-timeout is a positive number of milliseconds');
      options.stepTimeoutMs = ms;
    } else if (flag === '--help' || flag === '-h') usage('help');
    else usage('unknown argument ' + flag);
  }
  if (options.provider !== undefined) {
    const shortcut = PROVIDERS[options.provider];
    if (!shortcut) usage('unknown provider ' + options.provider + ' (known: ' + Object.keys(PROVIDERS).join(', ') + ')');
    if (options.module !== undefined) usage('--provider and --module exclude each other');
    options.module = shortcut.module;
    options.isNotImplemented = shortcut.isNotImplemented;
    options.export = options.export || shortcut.export;
  }
  if (options.module === undefined) usage('--provider or --module is required');
  options.export = options.export || 'RTCPeerConnection';
  return options;
}

// The file `name` resolves to: from the modules folder first, then Node's own search path.
function resolveModule(name, modules) {
  try {
    return require.resolve(name, { paths: [modules] });
  } catch (first) {
    try { return require.resolve(name); } catch (_) { throw first; }
  }
}

// The package that `file` belongs to: the nearest package.json with a name, walking up.
function packageOf(file) {
  let dir = path.dirname(file);
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      if (json && typeof json.name === 'string' && json.name !== '') {
        return { name: json.name, version: typeof json.version === 'string' ? json.version : 'unknown' };
      }
    } catch (_) { /* no package.json here, or a nameless one (a "type" marker in dist/) */ }
    const parent = path.dirname(dir);
    if (parent === dir) return { name: 'unknown', version: 'unknown' };
    dir = parent;
  }
}

function loadProvider(options) {
  const file = resolveModule(options.module, options.modules);
  let value = require(file);
  for (const part of options.export.split('.')) {
    if (value === null || value === undefined) break;
    value = value[part];
  }
  if (typeof value !== 'function') {
    throw new Error(options.module + ' has no constructor ' + options.export + ' (' + typeof value + ')');
  }
  return { RTCPeerConnection: value, package: packageOf(file) };
}

// The ops a provider has: its methods on the prototype chain, or else on a probe connection (a library may define
// them in the constructor); where the provider names its stubs' error (isNotImplemented), a method that is a
// stub is left out (restartIce is tried on the probe, generateCertificate without arguments).
async function implementedOps(PC, isNotImplemented) {
  const has = {};
  const unknown = [];
  for (const op of OPS) {
    if (op === 'construct') has[op] = true;
    else if (op === 'generateCertificate') has[op] = typeof PC.generateCertificate === 'function';
    else if (PC.prototype && typeof PC.prototype[op] === 'function') has[op] = true;
    else unknown.push(op);
  }
  const stub = async (call) => {
    try { await call(); return false; } catch (e) { try { return !!isNotImplemented(e); } catch (_) { return false; } }
  };
  if (unknown.length > 0 || isNotImplemented) {
    let probe = null;
    try {
      probe = new PC({ iceServers: [] });
      for (const op of unknown) has[op] = typeof probe[op] === 'function';
      if (isNotImplemented && has.restartIce && await stub(() => probe.restartIce())) has.restartIce = false;
    } catch (_) { /* the constructor refused a plain configuration: report only what the prototype shows */ }
    try { if (probe && typeof probe.close === 'function') probe.close(); } catch (_) { /* ignore */ }
  }
  if (isNotImplemented && has.generateCertificate && await stub(() => PC.generateCertificate())) {
    has.generateCertificate = false;
  }
  return OPS.filter((op) => has[op]);
}

function write(answer) {
  let line;
  try {
    line = JSON.stringify(answer);
  } catch (e) {
    line = JSON.stringify({ runnerError: 'answer not serialisable: ' + String(e && e.message) });
  }
  out.write(line + '\n');
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  let provider = null;
  let loadError = null;
  try {
    provider = loadProvider(options);
  } catch (e) {
    loadError = 'cannot load ' + options.module + ': ' + String(e && e.message);
    process.stderr.write('peerspec-session: ' + loadError + '\n');
  }
  const server = provider
    ? peerspec.sessionServer({
      RTCPeerConnection: provider.RTCPeerConnection,
      stepTimeoutMs: options.stepTimeoutMs,
      settleMs: options.settleMs,
      isNotImplemented: options.isNotImplemented,
    })
    : null;

  // A library's stray asynchronous failure (a socket it opened by itself, a rejected promise nobody awaits)
  // must not end the process: it is logged, and the runner keeps serving.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write('peerspec-session: unhandled rejection: ' + String(reason && reason.stack || reason) + '\n');
  });
  process.on('uncaughtException', (error) => {
    process.stderr.write('peerspec-session: uncaught exception: ' + String(error && error.stack || error) + '\n');
  });

  async function answer(line) {
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      return { runnerError: 'not JSON: ' + String(e && e.message) };
    }
    if (request !== null && typeof request === 'object' && !Array.isArray(request) && 'hello' in request) {
      if (!provider) return { runnerError: loadError };
      return {
        protocol: PROTOCOL,
        implementation: provider.package.name,
        version: provider.package.version,
        implements: await implementedOps(provider.RTCPeerConnection, options.isNotImplemented),
      };
    }
    if (!server) return { runnerError: loadError };
    return server.handle(request);
  }

  // One request at a time, answered in order.
  let queue = Promise.resolve();
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => {
    queue = queue.then(() => answer(line)).then(write, (e) => {
      write({ runnerError: 'runner failure: ' + String(e && e.stack || e) });
    });
  });
  input.on('close', () => {
    queue.then(() => {
      if (server) server.closeAll();
      // Native libraries keep threads that would hold the process open; answers are flushed first.
      out.write('', () => process.exit(0));
    });
  });
}

main();
