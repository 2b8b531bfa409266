/*
 * peerspec-runner.js — executes a peerspec trace (format v1) against a real
 * RTCPeerConnection implementation and records the observed outcome of each step.
 *
 * Dependency-free.  Works as a classic <script> in a browser page (it attaches
 * `globalThis.peerspec`) and in Node (CommonJS `module.exports`; an ESM importer
 * gets the same object as the default export of a CommonJS module).
 *
 *   runTrace(steps, {RTCPeerConnection, onStep?})   -> Promise<observedSteps>
 *   runTraces(traces, {RTCPeerConnection, onStep?, lanes?}) -> Promise<observedTraces>  (lanes traces at once)
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
 *        {"session": id, "peek": true} -> {"configuration": getConfiguration() now, not recorded};
 *        {"session": id, "close": true} -> {"closed": true})
 *
 *   sessionServer({RTCPeerConnection, stepTimeoutMs?, isNotImplemented?}) -> {handle(command), closeAll()}
 *        (the same commands as objects, for any constructor: peerspec-session.js serves it over stdio)
 *
 * onStep(stepIndex) is an optional progress hook called after every step.
 *
 * A call the implementation lacks (no static generateCertificate, no restartIce, ...), or one that
 * options.isNotImplemented(error) calls a stub, is recorded {"outcome": {"notImplemented": "..."}}
 * (SESSION-PROTOCOL.md); so is a construct naming such a certificate, and every step after a construct
 * the runner could not make (TRACE-FORMAT.md: no connection, no later step).
 * A value thrown or rejected that is not an error object is {"name": "not an Error", "message": String(value)}.
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
    'createDataChannel', 'generateCertificate', 'addTransceiver', 'stopTransceiver'
  ];
  // Trace format v2 (oracle/TRACE-FORMAT.md): a trace whose first element is {"peerspecTrace": 2} (a header, no
  // op) is run with v2's observations recorded in `after`; its result begins with the same header.
  var HEADER_KEY = 'peerspecTrace';
  var DESCRIPTION_ATTRIBUTES = [
    'localDescription', 'currentLocalDescription', 'pendingLocalDescription',
    'remoteDescription', 'currentRemoteDescription', 'pendingRemoteDescription'
  ];
  var STATE_ATTRIBUTES = ['iceGatheringState', 'iceConnectionState', 'connectionState', 'canTrickleIceCandidates'];

  function traceHeader(step) {
    if (step === null || typeof step !== 'object' || Array.isArray(step) || 'op' in step) return null;
    var keys = Object.keys(step);
    return keys.length === 1 && keys[0] === HEADER_KEY && step[HEADER_KEY] === 2 ? step[HEADER_KEY] : null;
  }

  // The m= sections of an SDP in order: each one's kind and whether its port is 0 (rejected).
  function mediaSections(sdp) {
    if (typeof sdp !== 'string') return [];
    return sdp.split(/\r?\n/).filter(function (line) { return line.indexOf('m=') === 0; }).map(function (line) {
      var fields = line.slice(2).split(' ');
      return { kind: fields[0], rejected: fields[1] === '0' };
    });
  }

  function RunnerError(message) {
    this.message = message;
  }

  // A call the implementation does not have (no static generateCertificate, no restartIce, ...): recorded as
  // {"notImplemented": ...}, never as an error that could agree with the spec by coincidence.
  function NotImplemented(message) {
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

  // An own data property, whatever the key: `out[k] = v` with k "__proto__" would set the prototype instead,
  // handing the implementation inherited members JSON.parse (and the model) never made.
  function own(out, k, value) {
    Object.defineProperty(out, k, { value: value, enumerable: true, writable: true, configurable: true });
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

  // Whether a thrown or rejected value is an error object (an Error, a DOMException, or anything shaped as one:
  // a library's own error class with a string name).
  function isErrorObject(e) {
    if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return false;
    try { if (e instanceof Error) return true; } catch (_) { /* ignore */ }
    try {
      var tag = Object.prototype.toString.call(e);
      if (tag === '[object Error]' || tag === '[object DOMException]') return true;
    } catch (_) { /* ignore */ }
    try { return typeof e.name === 'string' && 'message' in e; } catch (_) { return false; }
  }

  function valueText(e) {
    try { return typeof e === 'symbol' ? e.toString() : String(e); } catch (_) { return Object.prototype.toString.call(e); }
  }

  // An error as the implementation raised it; a value that is not an error object is "not an Error".
  function describeError(e, kind) {
    if (!isErrorObject(e)) return { name: 'not an Error', kind: kind, message: valueText(e) };
    var name, message;
    try { name = String(e.name); } catch (_) { name = 'unknown'; }
    try { message = e.message !== undefined ? String(e.message) : ''; } catch (_) { message = ''; }
    return { name: name, kind: kind, message: message };
  }

  function errorText(e) {
    if (e instanceof RunnerError || e instanceof NotImplemented) return e.message;
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

  // The helper peers (remote peer, throwaway peers) never use a STUN or TURN server.
  var HELPER_CONFIGURATION = { iceServers: [] };

  function openSession(options) {
    var PC = options && options.RTCPeerConnection;
    var stepTimeout = options && typeof options.stepTimeoutMs === 'number' && options.stepTimeoutMs > 0
      ? options.stepTimeoutMs : STEP_TIMEOUT_MS;
    // options.isNotImplemented(error): whether an error the call raised is the implementation's own "this call
    // is a stub" (node-datachannel's polyfill throws DOMException('Not implemented') from restartIce, ...).
    var stub = options && typeof options.isNotImplemented === 'function' ? options.isNotImplemented : null;
    // options.settleMs: how long to let queued tasks run after each step before recording `after` (default: one
    // macrotask, enough for a browser; a Node library may fire negotiationneeded from another thread, later).
    var settleMs = options && typeof options.settleMs === 'number' && options.settleMs > 0 ? options.settleMs : 0;
    // options.trace: the trace format version (2: record v2's observations too).
    var version = options && options.trace === 2 ? 2 : 1;
    function afterStep() {
      return settleMs ? new Promise(function (resolve) { setTimeout(resolve, settleMs); }) : macrotask();
    }
    var ctx = {
      PC: PC,
      pc: null,
      remote: null,
      extras: [],          // other connections to close at the end (third peers)
      certs: Object.create(null),   // name -> RTCCertificate (no name is special, "__proto__" included)
      certNames: [],       // [[certificate, name]] for identity look-up
      unmade: Object.create(null),  // name -> why generateCertificate was not implemented
      noConstruct: null,   // why construct could not run (a certificate it names was not made, ...)
      negotiationneeded: 0,
      signalingstatechange: 0,
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
        if (Object.prototype.hasOwnProperty.call(ctx.unmade, v.$certificate)) {
          throw new NotImplemented('the certificate ' + JSON.stringify(v.$certificate) + ' was not made: ' +
            ctx.unmade[v.$certificate]);
        }
        if (!Object.prototype.hasOwnProperty.call(ctx.certs, v.$certificate)) {
          // A session host that knows the call is missing (hello's "implements") answers generateCertificate
          // itself, so the runner never saw the step: with no generateCertificate, the name is one not made.
          if (typeof ctx.PC.generateCertificate !== 'function') {
            throw new NotImplemented('the certificate ' + JSON.stringify(v.$certificate) +
              ' was not made: RTCPeerConnection.generateCertificate is not a function');
          }
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
      Object.keys(v).forEach(function (k) { own(out, k, decode(v[k])); });
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
      Object.keys(v).forEach(function (k) { own(out, k, encode(v[k], depth + 1)); });
      return out;
    }

    function listenForNegotiationNeeded(pc) {
      var count = function () { ctx.negotiationneeded += 1; };
      var changes = function () { ctx.signalingstatechange += 1; };
      try {
        if (typeof pc.addEventListener === 'function') {
          pc.addEventListener('negotiationneeded', count);
          pc.addEventListener('signalingstatechange', changes);
        } else {
          pc.onnegotiationneeded = count;
          pc.onsignalingstatechange = changes;
        }
      } catch (_) { /* the count stays 0: nothing to listen to */ }
    }

    function after() {
      if (!ctx.pc) return null;
      var state;
      try { state = ctx.pc.signalingState; } catch (e) { state = null; }
      var out = { signalingState: state, negotiationneeded: ctx.negotiationneeded };
      if (version >= 2) observeV2(ctx.pc, out);
      return out;
    }

    // Trace format v2's observations, each left out when the implementation has no such attribute.
    function observeV2(pc, out) {
      DESCRIPTION_ATTRIBUTES.forEach(function (name) {
        var d = read(pc, name);
        if (d === undefined) return;
        out[name] = d === null ? null : { type: d && typeof d.type === 'string' ? d.type : null };
      });
      STATE_ATTRIBUTES.forEach(function (name) {
        var v = read(pc, name);
        if (v !== undefined) out[name] = v;
      });
      out.signalingstatechange = ctx.signalingstatechange;
      var list = null;
      try { list = typeof pc.getTransceivers === 'function' ? pc.getTransceivers() : null; } catch (_) { list = null; }
      if (list) out.transceivers = Array.prototype.map.call(list, transceiverSeen);
    }

    function transceiverSeen(t) {
      var kind = null;
      try { kind = t.receiver && t.receiver.track ? t.receiver.track.kind : null; } catch (_) { kind = null; }
      var mid = read(t, 'mid');
      var direction = read(t, 'direction');
      return { kind: kind, mid: typeof mid === 'string' ? mid : null, direction: typeof direction === 'string' ? direction : null };
    }

    // A helper peer: always an explicit {iceServers: []}; a failure to make one is the runner's.
    function newPeer() {
      var p;
      try { p = new ctx.PC({ iceServers: HELPER_CONFIGURATION.iceServers.slice() }); }
      catch (e) { throw new RunnerError('helper peer construct: ' + errorText(e)); }
      ctx.extras.push(p);
      return p;
    }

    function must(promise, what) {
      return settle(promise, stepTimeout).then(function (r) {
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

    // A property of a connection, or null when reading it throws (Firefox throws for some on a closed one).
    function read(pc, name) {
      try { return pc ? pc[name] : null; } catch (_) { return null; }
    }

    // Whether two descriptions are the same offer or answer: the same origin line (session id and version).
    // Not the whole SDP: a peer's localDescription gains a=candidate lines as it gathers, at its own pace.
    function sameSdp(a, b) {
      function origin(d) {
        var line = typeof d.sdp === 'string' ? d.sdp.split(/\r?\n/).filter(function (l) { return l.indexOf('o=') === 0; })[0] : null;
        return line || null;
      }
      return !!(a && b && origin(a) !== null && origin(a) === origin(b));
    }

    // Local offers are rolled back with setLocalDescription, remote ones with setRemoteDescription
    // (Firefox rejects setLocalDescription({type: 'rollback'}) in have-remote-offer).
    // The remote peer mirrors every negotiation the local connection completed with it, so that its next offer
    // continues the same session (same m= sections in the same order, as JSEP requires of a subsequent offer):
    // - the local connection applied the remote's offer and its own answer: the remote applies that answer;
    // - the local connection still holds the remote's offer as its pending remote description: the remote keeps
    //   its offer (a new offer is made from have-local-offer; a rollback would renumber its m= sections);
    // - anything else the remote did that the local connection does not hold is rolled back.
    // The remote peer only ever negotiates with the local connection: pranswers and answers to another peer's
    // offer come from throwaway peers (a rolled-back remote offer can leave a peer without its m= sections).
    async function remoteToStable(remote) {
      var state = remote.signalingState;
      var local = ctx.pc;
      var ours = remote.localDescription;
      if (state === 'have-local-offer' && sameSdp(read(local, 'currentRemoteDescription'), ours)) {
        var answer = read(local, 'currentLocalDescription');
        if (answer && answer.type === 'answer') {
          await must(remote.setRemoteDescription({ type: 'answer', sdp: answer.sdp }), 'remote applies the local answer');
          return;
        }
      }
      if (state === 'have-local-offer' && sameSdp(read(local, 'pendingRemoteDescription'), ours)) return;
      if (state === 'have-local-offer' || state === 'have-local-pranswer') {
        await must(remote.setLocalDescription({ type: 'rollback' }), 'remote rollback (' + state + ')');
      } else if (state === 'have-remote-offer' || state === 'have-remote-pranswer') {
        await must(remote.setRemoteDescription({ type: 'rollback' }), 'remote rollback (' + state + ')');
      }
    }

    // An offer (with a data channel) from a peer that nothing else uses.
    async function throwawayOffer(iceRestart) {
      var third = newPeer();
      third.createDataChannel('peerspec-third');
      return must(iceRestart ? third.createOffer({ iceRestart: true }) : third.createOffer(), 'third createOffer');
    }

    // The answer of a throwaway peer to `offer` (not applied by anyone).
    async function throwawayAnswer(offer) {
      var answerer = newPeer();
      await must(answerer.setRemoteDescription({ type: 'offer', sdp: offer.sdp }), 'third setRemoteDescription(offer)');
      return must(answerer.createAnswer(), 'third createAnswer');
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
      // A closed connection rejects any description (chain an operation, step 2): give it a well-formed one
      // made by throwaway peers, and leave the remote peer alone.
      if (read(ctx.pc, 'signalingState') === 'closed') {
        var o = await throwawayOffer(iceRestart);
        if (kind === 'offer') return { type: 'offer', sdp: o.sdp };
        return { type: kind, sdp: (await throwawayAnswer(o)).sdp };
      }
      var remote = remotePeer();
      await remoteToStable(remote);
      if (kind === 'offer') {
        var offer = await must(iceRestart ? remote.createOffer({ iceRestart: true }) : remote.createOffer(),
          'remote createOffer');
        await must(remote.setLocalDescription(offer), 'remote setLocalDescription(offer)');
        return { type: 'offer', sdp: offer.sdp };
      }
      var pending = read(ctx.pc, 'pendingLocalDescription');
      var localOffer = pending && pending.type === 'offer' ? { type: 'offer', sdp: pending.sdp } : null;
      if (kind === 'answer' && localOffer) {
        // The answer to the local connection's own pending offer: the remote applies it, as a real peer would.
        await must(remote.setRemoteDescription(localOffer), 'remote setRemoteDescription(offer)');
        var answer = await must(remote.createAnswer(), 'remote createAnswer');
        await must(remote.setLocalDescription(answer), 'remote setLocalDescription(answer)');
        return { type: 'answer', sdp: answer.sdp };
      }
      // A pranswer to the pending local offer, or a description answering some other peer's offer.
      var source = localOffer || await throwawayOffer(false);
      return { type: kind, sdp: (await throwawayAnswer(source)).sdp };
    }

    // WebCrypto's BigInteger (RsaHashedKeyGenParams.publicExponent) is a Uint8Array, which JSON cannot say:
    // a trace writes it as an array of byte values ([1, 0, 1] is 65537), as the model reads it.
    function bigIntegers(alg) {
      if (alg === null || typeof alg !== 'object' || Array.isArray(alg) || !Array.isArray(alg.publicExponent)) return alg;
      var bytes = alg.publicExponent;
      var ok = bytes.every(function (b) { return typeof b === 'number' && b >= 0 && b <= 255 && Math.floor(b) === b; });
      if (!ok) return alg;
      var out = {};
      Object.keys(alg).forEach(function (k) { own(out, k, alg[k]); });
      out.publicExponent = new Uint8Array(bytes);
      return out;
    }

    function argsOf(step) {
      var a = step.args;
      if (a === undefined || a === null) return {};
      if (typeof a !== 'object' || Array.isArray(a)) throw new RunnerError('args must be an object');
      return a;
    }

    function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

    // Detects a method the implementation lacks before the step calls it.
    function method(target, name, what) {
      var f;
      try { f = target[name]; } catch (e) { throw new RunnerError('reading ' + what + ': ' + errorText(e)); }
      if (typeof f !== 'function') throw new NotImplemented(what + ' is not a function (' + (f === undefined ? 'absent' : typeof f) + ')');
    }

    // Builds the call for a step: returns {invoke: () => any, result: value -> RESULT}.
    async function prepare(step) {
      var op = step.op;
      var args = argsOf(step);
      if (OPS.indexOf(op) < 0) throw new RunnerError('unknown op: ' + JSON.stringify(op));
      if (op === 'generateCertificate') {
        if (ctx.constructed) throw new RunnerError('generateCertificate after construct');
        if (typeof args.name !== 'string') throw new RunnerError('generateCertificate needs args.name');
        try { method(ctx.PC, 'generateCertificate', 'RTCPeerConnection.generateCertificate'); } catch (e) {
          if (e instanceof NotImplemented) ctx.unmade[args.name] = e.message;
          throw e;
        }
        var alg = has(args, 'keygenAlgorithm') ? bigIntegers(decode(args.keygenAlgorithm)) : undefined;
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
            listenForNegotiationNeeded(ctx.pc);
            return undefined;
          },
          result: function () { return null; }
        };
      }
      if (!ctx.pc && ctx.noConstruct !== null) throw new NotImplemented('no connection: construct was not run (' + ctx.noConstruct + ')');
      if (!ctx.pc) throw new RunnerError(op + ' before construct');
      var pc = ctx.pc;
      var nul = function () { return null; };
      if (op === 'stopTransceiver') {
        method(pc, 'getTransceivers', 'RTCPeerConnection.prototype.getTransceivers');
        var all = pc.getTransceivers();
        var target = all[args.index];
        if (typeof args.index !== 'number' || !target) {
          throw new RunnerError('stopTransceiver: there is no transceiver ' + JSON.stringify(args.index) + ' (there are ' + all.length + ')');
        }
        method(target, 'stop', 'RTCRtpTransceiver.prototype.stop');
        return { invoke: function () { return target.stop(); }, result: nul };
      }
      method(pc, op, 'RTCPeerConnection.prototype.' + op);
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
              var made = { type: d ? encode(d.type, 0) : null, iceCredentials: iceCredentials(sdp) };
              if (version >= 2) made.media = mediaSections(sdp);
              return made;
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
        case 'addTransceiver': {
          var hasK = has(args, 'kind');
          var kindArg = hasK ? decode(args.kind) : undefined;
          var hasI = has(args, 'init');
          var init = hasI ? decode(args.init) : undefined;
          return {
            invoke: function () {
              return hasI ? pc.addTransceiver(kindArg, init) : hasK ? pc.addTransceiver(kindArg) : pc.addTransceiver();
            },
            result: transceiverSeen
          };
        }
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

    // The outcome of a call that threw or rejected with `e`.
    function failure(step, e, kind) {
      var op = step.op;
      var isStub = false;
      try { isStub = stub !== null && !!stub(e); } catch (_) { /* not a stub */ }
      if (isStub) {
        var why = 'RTCPeerConnection' + (op === 'generateCertificate' ? '.' : '.prototype.') + op +
          ' is a stub (' + kind + 's ' + describeError(e, kind).message + ')';
        if (op === 'generateCertificate') ctx.unmade[step.args.name] = why;
        return { notImplemented: why };
      }
      return { error: describeError(e, kind) };
    }

    async function runStep(step) {
      var observed = {};
      if (step !== null && typeof step === 'object' && !Array.isArray(step)) {
        Object.keys(step).forEach(function (k) { own(observed, k, step[k]); });
      } else {
        observed.step = step;
      }
      if (ctx.stopped) return observed;
      var call;
      try {
        if (step === null || typeof step !== 'object' || Array.isArray(step)) throw new RunnerError('step must be an object');
        call = await prepare(step);
      } catch (e) {
        // No connection, no later step (TRACE-FORMAT.md): a construct the runner could not make leaves every
        // later step notImplemented, whatever the reason (a certificate not implemented, or never made).
        if (step.op === 'construct' && !ctx.constructed) ctx.noConstruct = errorText(e);
        observed.outcome = e instanceof NotImplemented ? { notImplemented: e.message } : { runnerError: errorText(e) };
        observed.after = after();
        return observed;
      }
      var ret;
      try {
        ret = call.invoke();
      } catch (e) {
        observed.outcome = failure(step, e, 'throw');
        if (call.construct) ctx.stopped = true;
        await afterStep();
        observed.after = after();
        return observed;
      }
      var value = ret;
      if (isThenable(ret)) {
        var r = await settle(ret, stepTimeout);
        if (r.timeout) {
          observed.outcome = { timeout: true };
          await afterStep();
          observed.after = after();
          return observed;
        }
        if ('error' in r) {
          observed.outcome = failure(step, r.error, 'reject');
          await afterStep();
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
      await afterStep();
      observed.after = after();
      return observed;
    }

    function cleanup() {
      var all = [ctx.pc].concat(ctx.extras);
      all.forEach(function (p) {
        try { if (p && p.signalingState !== 'closed') p.close(); } catch (_) { /* ignore */ }
      });
      collectClosedConnections(all.length);
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
      // What getConfiguration() returns now, without recording a step (the differential machine's
      // snapshot for the invariants); null before construct.
      peek: function () {
        if (!ctx.pc || typeof ctx.pc.getConfiguration !== 'function') return null;
        try { return encode(ctx.pc.getConfiguration(), 0); } catch (e) { return { $js: 'error', name: String(e && e.name) }; }
      },
      close: cleanup
    };
  }

  // Chromium refuses new connections (UnknownError) once a page holds about 500, closed ones included until the
  // garbage collector frees them; where the page may call gc() (Chromium started with --expose-gc), it does so
  // every COLLECT_EVERY connections.
  var COLLECT_EVERY = 100;
  var madeSinceCollect = 0;

  function collectClosedConnections(made) {
    madeSinceCollect += made;
    if (madeSinceCollect < COLLECT_EVERY || typeof root.gc !== 'function') return;
    madeSinceCollect = 0;
    try { root.gc(); } catch (_) { /* ignore */ }
  }

  function runTrace(steps, options) {
    if (!Array.isArray(steps)) {
      return Promise.resolve([{ outcome: { runnerError: 'steps must be an array' }, after: null }]);
    }
    var version = steps.length > 0 ? traceHeader(steps[0]) : null;
    var sessionOptions = {};
    Object.keys(options || {}).forEach(function (k) { sessionOptions[k] = options[k]; });
    sessionOptions.trace = version || 1;
    var session = openSession(sessionOptions);
    var onStep = options && typeof options.onStep === 'function' ? options.onStep : null;
    async function body() {
      var out = version ? [steps[0]] : [];
      for (var i = version ? 1 : 0; i < steps.length; i++) {
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

  // Traces run in `options.lanes` (default LANES) independent lanes at once, each lane one trace after another:
  // every trace still has its own connections and waits a macrotask after each step, but the lanes' waits
  // overlap (a setTimeout(0) is clamped to ~4 ms after a few nested ones; one lane would spend most of its
  // time there).  The result keeps the order of `traces`.
  var LANES = 4;

  async function runTraces(traces, options) {
    if (!Array.isArray(traces)) return [];
    var out = new Array(traces.length);
    var lanes = options && typeof options.lanes === 'number' && options.lanes >= 1 ? Math.floor(options.lanes) : LANES;
    var next = 0;
    async function lane() {
      while (next < traces.length) {
        var i = next++;
        out[i] = await runTrace(traces[i], options);
      }
    }
    var running = [];
    for (var k = 0; k < Math.min(lanes, traces.length); k++) running.push(lane());
    await Promise.all(running);
    return out;
  }

  // Page entry point: data in as JSON text, data out as JSON text.
  // onStep (optional): called after every step, e.g. to report progress to a watchdog.
  async function runTracesJSON(json, onStep) {
    var traces;
    try { traces = JSON.parse(json); } catch (e) {
      return JSON.stringify({ runnerError: 'bad JSON: ' + errorText(e) });
    }
    // The page may set peerspecLanes (Firefox: 1, see oracle/implementations/firefox.py).
    var lanes = typeof root.peerspecLanes === 'number' ? root.peerspecLanes : LANES;
    var out = await runTraces(traces, { RTCPeerConnection: root.RTCPeerConnection, onStep: onStep, lanes: lanes });
    return JSON.stringify(out);
  }

  // Incremental stepping over JSON commands (the session protocol's open/step/peek/close, see
  // oracle/SESSION-PROTOCOL.md).  options.RTCPeerConnection: the constructor sessions use (default: the page's
  // globalThis.RTCPeerConnection, read when a session opens); options.stepTimeoutMs: the bound on each promise;
  // options.isNotImplemented: see openSession.
  //   server.handle(command) -> Promise<answer object>   (never rejects)
  //   server.closeAll()      -> closes every open session
  function sessionServer(options) {
    var sessions = Object.create(null);  // id -> session; no id is special ("constructor", "toString", ...)
    var nextSession = 1;
    function constructor() {
      return options && options.RTCPeerConnection !== undefined ? options.RTCPeerConnection : root.RTCPeerConnection;
    }
    async function handle(cmd) {
      if (cmd === null || typeof cmd !== 'object' || Array.isArray(cmd)) return { runnerError: 'a command is an object' };
      if (cmd.open === true) {
        var id = nextSession++;
        sessions[id] = openSession({
          RTCPeerConnection: constructor(),
          stepTimeoutMs: options && options.stepTimeoutMs,
          settleMs: options && options.settleMs,
          isNotImplemented: options && options.isNotImplemented,
          trace: cmd.trace === 2 ? 2 : 1
        });
        return { session: id };
      }
      if (!Object.prototype.hasOwnProperty.call(cmd, 'session')) return { runnerError: 'not a command: ' + JSON.stringify(cmd).slice(0, 200) };
      var session = Object.prototype.hasOwnProperty.call(sessions, cmd.session) ? sessions[cmd.session] : null;
      if (!session) return { runnerError: 'no session ' + JSON.stringify(cmd.session) };
      if (cmd.peek === true) return { configuration: session.peek() };
      if (cmd.close === true) {
        delete sessions[cmd.session];
        session.close();
        return { closed: true };
      }
      if (!Object.prototype.hasOwnProperty.call(cmd, 'step')) return { runnerError: 'a session command is step, peek or close' };
      return session.step(cmd.step);
    }
    function closeAll() {
      Object.keys(sessions).forEach(function (id) {
        var session = sessions[id];
        delete sessions[id];
        try { session.close(); } catch (_) { /* ignore */ }
      });
    }
    return { handle: handle, closeAll: closeAll };
  }

  var pageServer = null;

  // Page entry point for incremental stepping: one command as JSON text in, JSON text out.
  async function sessionJSON(json, onStep) {
    var cmd;
    try { cmd = JSON.parse(json); } catch (e) {
      return JSON.stringify({ runnerError: 'bad JSON: ' + errorText(e) });
    }
    if (!pageServer) pageServer = sessionServer({});
    var answer = await pageServer.handle(cmd);
    if (cmd !== null && typeof cmd === 'object' && 'step' in cmd && typeof onStep === 'function') {
      try { onStep(0); } catch (_) { /* ignore */ }
    }
    return JSON.stringify(answer);
  }

  var api = {
    version: 1,
    openSession: openSession,
    sessionJSON: sessionJSON,
    sessionServer: sessionServer,
    describeError: describeError,
    runTrace: runTrace,
    runTraces: runTraces,
    runTracesJSON: runTracesJSON,
    iceCredentials: iceCredentials
  };
  root.peerspec = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
