/*
 * peerspec-runner.js — executes a peerspec trace (format v1) against a real
 * RTCPeerConnection implementation and records the observed outcome of each step.
 *
 * Dependency-free.  Works as a classic <script> in a browser page (it attaches
 * `globalThis.peerspec`) and in Node (CommonJS `module.exports`; an ESM importer
 * gets the same object as the default export of a CommonJS module).
 *
 *   runTrace(steps, {RTCPeerConnection, onStep?})   -> Promise<observedSteps>
 *   runTraces(traces, {RTCPeerConnection, onStep?}) -> Promise<observedTraces>  (sequential)
 *   runTracesJSON(json, onStep?)                    -> Promise<string>  (page entry point:
 *        JSON text in, JSON text out; uses globalThis.RTCPeerConnection)
 *
 * Incremental stepping (one connection, one step at a time, e.g. from a Hypothesis rule):
 *
 *   openSession({RTCPeerConnection}) -> session
 *   session.step(step)               -> Promise<observedStep>   (same recording as runTrace)
 *   session.close()                  -> closes every connection the session made
 *   sessionJSON(json, onStep?)       -> Promise<string>  (page entry point; commands:
 *        {"open": true} -> {"session": id};  {"session": id, "step": STEP} -> observed step;
 *        {"session": id, "close": true} -> {"closed": true})
 *
 * onStep(stepIndex) is an optional progress hook called after every step.
 *
 * Neither runTrace nor runTraces ever throws or rejects: every failure of the runner
 * itself is reported as {"outcome": {"runnerError": "..."}} on the step concerned.
 */
(function (root) {
  'use strict';

  var STEP_TIMEOUT_MS = 5000;
  var OPS = [
    'construct', 'setConfiguration', 'getConfiguration', 'createOffer', 'createAnswer',
    'setLocalDescription', 'setRemoteDescription', 'restartIce', 'close',
    'createDataChannel', 'generateCertificate'
  ];

  function RunnerError(message) {
    this.message = message;
  }

  function isPlainTag(v, key) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
    var keys = Object.keys(v);
    return keys.length === 1 && keys[0] === key;
  }

  function isRemoteTag(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, '$remote');
  }

  function macrotask() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  // Resolves to {value} / {error} / {timeout: true}; never rejects.
  function settle(promise, ms) {
    return new Promise(function (resolve) {
      var done = false;
      var timer = setTimeout(function () {
        if (!done) { done = true; resolve({ timeout: true }); }
      }, ms);
      Promise.resolve(promise).then(function (value) {
        if (!done) { done = true; clearTimeout(timer); resolve({ value: value }); }
      }, function (error) {
        if (!done) { done = true; clearTimeout(timer); resolve({ error: error }); }
      });
    });
  }

  function describeError(e, kind) {
    var name, message;
    try { name = (e !== null && e !== undefined && e.name !== undefined) ? String(e.name) : typeof e; }
    catch (_) { name = 'unknown'; }
    try { message = (e !== null && e !== undefined && e.message !== undefined) ? String(e.message) : String(e); }
    catch (_) { message = ''; }
    return { name: name, kind: kind, message: message };
  }

  function errorText(e) {
    if (e instanceof RunnerError) return e.message;
    var d = describeError(e, 'throw');
    return d.name + ': ' + d.message;
  }

  function isThenable(v) {
    return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
  }

  function looksLikeCertificate(v) {
    if (typeof RTCCertificate !== 'undefined') {
      try { if (v instanceof RTCCertificate) return true; } catch (_) { /* ignore */ }
    }
    try { return Object.prototype.toString.call(v) === '[object RTCCertificate]'; } catch (_) { return false; }
  }

  // The ICE credentials of an SDP: distinct [ufrag, pwd] pairs in order of appearance.
  // The session-level ufrag/pwd applies to every m-section that lacks its own.
  function iceCredentials(sdp) {
    var out = [];
    if (typeof sdp !== 'string') return out;
    var sections = [{ ufrag: null, pwd: null }];
    sdp.split(/\r?\n/).forEach(function (line) {
      if (line.indexOf('m=') === 0) sections.push({ ufrag: null, pwd: null });
      var cur = sections[sections.length - 1];
      if (line.indexOf('a=ice-ufrag:') === 0) cur.ufrag = line.slice(12).trim();
      else if (line.indexOf('a=ice-pwd:') === 0) cur.pwd = line.slice(10).trim();
    });
    var session = sections[0];
    var seen = {};
    function add(u, p) {
      if (u === null && p === null) return;
      var key = JSON.stringify([u, p]);
      if (!seen[key]) { seen[key] = true; out.push([u, p]); }
    }
    if (sections.length === 1) { add(session.ufrag, session.pwd); return out; }
    for (var i = 1; i < sections.length; i++) {
      var s = sections[i];
      add(s.ufrag !== null ? s.ufrag : session.ufrag, s.pwd !== null ? s.pwd : session.pwd);
    }
    return out;
  }

  function openSession(options) {
    var PC = options && options.RTCPeerConnection;
    var ctx = {
      PC: PC,
      pc: null,
      remote: null,
      extras: [],          // other connections to close at the end (third peers)
      certs: {},           // name -> RTCCertificate
      certNames: [],       // [[certificate, name]] for identity look-up
      negotiationneeded: 0,
      lastOffer: '',
      lastAnswer: '',
      constructed: false,
      stopped: false
    };

    function decode(v) {
      if (Array.isArray(v)) return v.map(decode);
      if (v === null || typeof v !== 'object') return v;
      if (isPlainTag(v, '$js')) {
        switch (v.$js) {
          case 'undefined': return undefined;
          case 'NaN': return NaN;
          case 'Infinity': return Infinity;
          case '-Infinity': return -Infinity;
          default: throw new RunnerError('unknown $js tag: ' + JSON.stringify(v.$js));
        }
      }
      if (isPlainTag(v, '$certificate')) {
        if (!Object.prototype.hasOwnProperty.call(ctx.certs, v.$certificate)) {
          throw new RunnerError('unknown certificate name: ' + JSON.stringify(v.$certificate));
        }
        return ctx.certs[v.$certificate];
      }
      if (isPlainTag(v, '$sdp')) {
        if (v.$sdp === 'last-offer') return ctx.lastOffer;
        if (v.$sdp === 'last-answer') return ctx.lastAnswer;
        throw new RunnerError('unknown $sdp tag: ' + JSON.stringify(v.$sdp));
      }
      var out = {};
      Object.keys(v).forEach(function (k) { out[k] = decode(v[k]); });
      return out;
    }

    function certName(c) {
      for (var i = 0; i < ctx.certNames.length; i++) {
        if (ctx.certNames[i][0] === c) return ctx.certNames[i][1];
      }
      return null;
    }

    function encode(v, depth) {
      if (depth > 50) return { $js: 'too-deep' };
      if (v === undefined) return { $js: 'undefined' };
      if (typeof v === 'number') {
        if (v !== v) return { $js: 'NaN' };
        if (v === Infinity) return { $js: 'Infinity' };
        if (v === -Infinity) return { $js: '-Infinity' };
        return v;
      }
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return { $js: 'bigint', value: String(v) };
      if (typeof v === 'function') return { $js: 'function' };
      if (typeof v === 'symbol') return { $js: 'symbol' };
      var name = certName(v);
      if (name !== null || looksLikeCertificate(v)) return { $certificate: name };
      if (Array.isArray(v)) return v.map(function (x) { return encode(x, depth + 1); });
      var out = {};
      Object.keys(v).forEach(function (k) { out[k] = encode(v[k], depth + 1); });
      return out;
    }

    function after() {
      if (!ctx.pc) return null;
      var state;
      try { state = ctx.pc.signalingState; } catch (e) { state = null; }
      return { signalingState: state, negotiationneeded: ctx.negotiationneeded };
    }

    function newPeer(config) {
      var p = config === undefined ? new ctx.PC() : new ctx.PC(config);
      ctx.extras.push(p);
      return p;
    }

    function must(promise, what) {
      return settle(promise, STEP_TIMEOUT_MS).then(function (r) {
        if (r.timeout) throw new RunnerError(what + ': timed out');
        if ('error' in r) throw new RunnerError(what + ': ' + errorText(r.error));
        return r.value;
      });
    }

    function remotePeer() {
      if (!ctx.remote) {
        ctx.remote = newPeer();
        ctx.remote.createDataChannel('peerspec-remote');
      }
      return ctx.remote;
    }

    // Local offers are rolled back with setLocalDescription, remote ones with setRemoteDescription
    // (Firefox rejects setLocalDescription({type: 'rollback'}) in have-remote-offer).
    async function remoteToStable(remote) {
      var state = remote.signalingState;
      if (state === 'have-local-offer' || state === 'have-local-pranswer') {
        await must(remote.setLocalDescription({ type: 'rollback' }), 'remote rollback (' + state + ')');
      } else if (state === 'have-remote-offer' || state === 'have-remote-pranswer') {
        await must(remote.setRemoteDescription({ type: 'rollback' }), 'remote rollback (' + state + ')');
      }
    }

    // The description "made by the remote peer" for setRemoteDescription({$remote: ...}).
    // tag: {"$remote": kind} or {"$remote": "offer", "iceRestart": true}.
    async function remoteDescription(tag) {
      var kind = tag.$remote;
      var keys = Object.keys(tag);
      if (kind !== 'offer' && kind !== 'answer' && kind !== 'pranswer') {
        throw new RunnerError('unknown $remote kind: ' + JSON.stringify(kind));
      }
      var iceRestart = has(tag, 'iceRestart');
      if (keys.length !== (iceRestart ? 2 : 1) || (iceRestart && (kind !== 'offer' || tag.iceRestart !== true))) {
        throw new RunnerError('a $remote tag is {"$remote": KIND} or {"$remote": "offer", "iceRestart": true}');
      }
      var remote = remotePeer();
      await remoteToStable(remote);
      if (kind === 'offer') {
        var offer = await must(iceRestart ? remote.createOffer({ iceRestart: true }) : remote.createOffer(),
          'remote createOffer');
        await must(remote.setLocalDescription(offer), 'remote setLocalDescription(offer)');
        return { type: 'offer', sdp: offer.sdp };
      }
      var source = null;
      try { source = ctx.pc.pendingLocalDescription; } catch (_) { source = null; }
      if (!source) {
        var third = newPeer();
        third.createDataChannel('peerspec-third');
        var t = await must(third.createOffer(), 'third createOffer');
        source = { type: t.type, sdp: t.sdp };
      } else {
        source = { type: source.type, sdp: source.sdp };
      }
      await must(remote.setRemoteDescription(source), 'remote setRemoteDescription(' + source.type + ')');
      var answer = await must(remote.createAnswer(), 'remote createAnswer');
      return { type: kind, sdp: answer.sdp };
    }

    function argsOf(step) {
      var a = step.args;
      if (a === undefined || a === null) return {};
      if (typeof a !== 'object' || Array.isArray(a)) throw new RunnerError('args must be an object');
      return a;
    }

    function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

    // Builds the call for a step: returns {invoke: () => any, result: value -> RESULT}.
    async function prepare(step) {
      var op = step.op;
      var args = argsOf(step);
      if (OPS.indexOf(op) < 0) throw new RunnerError('unknown op: ' + JSON.stringify(op));
      if (op === 'generateCertificate') {
        if (ctx.constructed) throw new RunnerError('generateCertificate after construct');
        if (typeof args.name !== 'string') throw new RunnerError('generateCertificate needs args.name');
        var alg = has(args, 'keygenAlgorithm') ? decode(args.keygenAlgorithm) : undefined;
        var present = has(args, 'keygenAlgorithm');
        return {
          invoke: function () {
            return present ? ctx.PC.generateCertificate(alg) : ctx.PC.generateCertificate();
          },
          result: function (cert) {
            ctx.certs[args.name] = cert;
            ctx.certNames.push([cert, args.name]);
            return { $certificate: args.name };
          }
        };
      }
      if (op === 'construct') {
        if (ctx.constructed) throw new RunnerError('second construct');
        var cfgPresent = has(args, 'configuration');
        var cfg = cfgPresent ? decode(args.configuration) : undefined;
        return {
          construct: true,
          invoke: function () {
            ctx.constructed = true;
            ctx.pc = cfgPresent ? new ctx.PC(cfg) : new ctx.PC();
            ctx.pc.addEventListener('negotiationneeded', function () { ctx.negotiationneeded += 1; });
            return undefined;
          },
          result: function () { return null; }
        };
      }
      if (!ctx.pc) throw new RunnerError(op + ' before construct');
      var pc = ctx.pc;
      var nul = function () { return null; };
      switch (op) {
        case 'setConfiguration': {
          var p = has(args, 'configuration');
          var c = p ? decode(args.configuration) : undefined;
          return { invoke: function () { return p ? pc.setConfiguration(c) : pc.setConfiguration(); }, result: nul };
        }
        case 'getConfiguration':
          return { invoke: function () { return pc.getConfiguration(); }, result: function (v) { return encode(v, 0); } };
        case 'createOffer':
        case 'createAnswer': {
          var op2 = op;
          var hasOpt = has(args, 'options');
          var opt = hasOpt ? decode(args.options) : undefined;
          return {
            invoke: function () { return hasOpt ? pc[op2](opt) : pc[op2](); },
            result: function (d) {
              var sdp = d && d.sdp;
              if (op2 === 'createOffer') ctx.lastOffer = typeof sdp === 'string' ? sdp : '';
              else ctx.lastAnswer = typeof sdp === 'string' ? sdp : '';
              return { type: d ? encode(d.type, 0) : null, iceCredentials: iceCredentials(sdp) };
            }
          };
        }
        case 'setLocalDescription': {
          var hasD = has(args, 'description');
          var d1 = hasD ? decode(args.description) : undefined;
          return { invoke: function () { return hasD ? pc.setLocalDescription(d1) : pc.setLocalDescription(); }, result: nul };
        }
        case 'setRemoteDescription': {
          var hasR = has(args, 'description');
          var d2;
          if (hasR && isRemoteTag(args.description)) d2 = await remoteDescription(args.description);
          else d2 = hasR ? decode(args.description) : undefined;
          return { invoke: function () { return hasR ? pc.setRemoteDescription(d2) : pc.setRemoteDescription(); }, result: nul };
        }
        case 'restartIce':
          return { invoke: function () { return pc.restartIce(); }, result: nul };
        case 'close':
          return { invoke: function () { return pc.close(); }, result: nul };
        case 'createDataChannel': {
          var hasL = has(args, 'label');
          var label = hasL ? decode(args.label) : undefined;
          return {
            invoke: function () { return hasL ? pc.createDataChannel(label) : pc.createDataChannel(); },
            result: function (ch) { return { label: ch ? encode(ch.label, 0) : null }; }
          };
        }
      }
      throw new RunnerError('unhandled op: ' + op);
    }

    async function runStep(step) {
      var observed = {};
      if (step !== null && typeof step === 'object' && !Array.isArray(step)) {
        Object.keys(step).forEach(function (k) { observed[k] = step[k]; });
      } else {
        observed.step = step;
      }
      if (ctx.stopped) return observed;
      var call;
      try {
        if (step === null || typeof step !== 'object' || Array.isArray(step)) throw new RunnerError('step must be an object');
        call = await prepare(step);
      } catch (e) {
        observed.outcome = { runnerError: errorText(e) };
        observed.after = after();
        return observed;
      }
      var ret;
      try {
        ret = call.invoke();
      } catch (e) {
        observed.outcome = { error: describeError(e, 'throw') };
        if (call.construct) ctx.stopped = true;
        await macrotask();
        observed.after = after();
        return observed;
      }
      var value = ret;
      if (isThenable(ret)) {
        var r = await settle(ret, STEP_TIMEOUT_MS);
        if (r.timeout) {
          observed.outcome = { timeout: true };
          await macrotask();
          observed.after = after();
          return observed;
        }
        if ('error' in r) {
          observed.outcome = { error: describeError(r.error, 'reject') };
          await macrotask();
          observed.after = after();
          return observed;
        }
        value = r.value;
      }
      try {
        observed.outcome = { ok: call.result(value) };
      } catch (e) {
        observed.outcome = { runnerError: 'recording the result failed: ' + errorText(e) };
      }
      await macrotask();
      observed.after = after();
      return observed;
    }

    function cleanup() {
      var all = [ctx.pc].concat(ctx.extras);
      all.forEach(function (p) {
        try { if (p && p.signalingState !== 'closed') p.close(); } catch (_) { /* ignore */ }
      });
    }

    function unusable(step, reason) {
      var o = {};
      if (step && typeof step === 'object' && !Array.isArray(step)) Object.keys(step).forEach(function (k) { o[k] = step[k]; });
      o.outcome = { runnerError: reason };
      o.after = null;
      return o;
    }

    return {
      // Never rejects: a failure of the runner itself is the step's runnerError.
      step: function (step) {
        if (typeof PC !== 'function') return Promise.resolve(unusable(step, 'no RTCPeerConnection constructor given'));
        return runStep(step).then(null, function (e) {
          return unusable(step, 'runner crashed: ' + errorText(e));
        });
      },
      close: cleanup
    };
  }

  function runTrace(steps, options) {
    if (!Array.isArray(steps)) {
      return Promise.resolve([{ outcome: { runnerError: 'steps must be an array' }, after: null }]);
    }
    var session = openSession(options);
    var onStep = options && typeof options.onStep === 'function' ? options.onStep : null;
    async function body() {
      var out = [];
      for (var i = 0; i < steps.length; i++) {
        out.push(await session.step(steps[i]));
        if (onStep) { try { onStep(i); } catch (_) { /* progress hooks never break a run */ } }
      }
      return out;
    }
    return body().then(function (out) { session.close(); return out; }, function (e) {
      session.close();
      return [{ outcome: { runnerError: 'runner crashed: ' + errorText(e) }, after: null }];
    });
  }

  async function runTraces(traces, options) {
    var out = [];
    if (!Array.isArray(traces)) return out;
    for (var i = 0; i < traces.length; i++) out.push(await runTrace(traces[i], options));
    return out;
  }

  // Page entry point: data in as JSON text, data out as JSON text.
  // onStep (optional): called after every step, e.g. to report progress to a watchdog.
  async function runTracesJSON(json, onStep) {
    var traces;
    try { traces = JSON.parse(json); } catch (e) {
      return JSON.stringify({ runnerError: 'bad JSON: ' + errorText(e) });
    }
    var out = await runTraces(traces, { RTCPeerConnection: root.RTCPeerConnection, onStep: onStep });
    return JSON.stringify(out);
  }

  var sessions = {};
  var nextSession = 1;

  // Page entry point for incremental stepping: one command as JSON text in, JSON text out.
  async function sessionJSON(json, onStep) {
    var cmd;
    try { cmd = JSON.parse(json); } catch (e) {
      return JSON.stringify({ runnerError: 'bad JSON: ' + errorText(e) });
    }
    if (cmd === null || typeof cmd !== 'object') return JSON.stringify({ runnerError: 'a command is an object' });
    if (cmd.open === true) {
      var id = nextSession++;
      sessions[id] = openSession({ RTCPeerConnection: root.RTCPeerConnection });
      return JSON.stringify({ session: id });
    }
    var session = sessions[cmd.session];
    if (!session) return JSON.stringify({ runnerError: 'no session ' + JSON.stringify(cmd.session) });
    if (cmd.close === true) {
      delete sessions[cmd.session];
      session.close();
      return JSON.stringify({ closed: true });
    }
    var observed = await session.step(cmd.step);
    if (typeof onStep === 'function') { try { onStep(0); } catch (_) { /* ignore */ } }
    return JSON.stringify(observed);
  }

  var api = {
    version: 1,
    openSession: openSession,
    sessionJSON: sessionJSON,
    runTrace: runTrace,
    runTraces: runTraces,
    runTracesJSON: runTracesJSON,
    iceCredentials: iceCredentials
  };
  root.peerspec = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
