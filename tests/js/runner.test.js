// The JS runner's mechanics, with a stand-in RTCPeerConnection (node --test tests/js/).
// The stand-in decides nothing about the spec: it only throws, rejects and fires where each test says, so
// that the runner's recording (throw vs reject, tags, $sdp, after) can be checked. Spec conformance is
// judged by `peerspec check`, never here.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const peerspec = require('../../oracle/runners/js/peerspec-runner.js');

function domException(name) {
  const e = new Error(name + ' from the stand-in');
  e.name = name;
  return e;
}

class StandIn extends EventTarget {
  constructor(configuration) {
    super();
    if (configuration && configuration.bundlePolicy === 'bogus') throw new TypeError('bad enum');
    this.configuration = configuration;
    this.signalingState = 'stable';
    this.closed = false;
    this.offers = 0;
    this.received = [];
  }
  getConfiguration() { return { iceServers: [], bundlePolicy: 'balanced', seen: this.received.length }; }
  setConfiguration(configuration) {
    this.received.push(configuration);
    if (this.closed) throw domException('InvalidStateError');
  }
  async createOffer(options) {
    this.received.push(options);
    if (this.closed) throw domException('InvalidStateError');
    this.offers += 1;
    const u = options && options.iceRestart ? 'fresh' + this.offers : 'kept';
    return { type: 'offer', sdp: `v=0\r\nm=application 9 x y\r\na=ice-ufrag:${u}\r\na=ice-pwd:${u}pwd\r\n` };
  }
  async createAnswer() { throw domException('InvalidStateError'); }
  async setLocalDescription(description) {
    this.received.push(description);
    if (description && description.sdp === 'modified') throw domException('InvalidModificationError');
    this.signalingState = 'have-local-offer';
  }
  async setRemoteDescription() { throw domException('InvalidStateError'); }
  restartIce() { this.dispatchEvent(new Event('negotiationneeded')); }
  createDataChannel(label) {
    if (this.closed) throw domException('InvalidStateError');
    setTimeout(() => this.dispatchEvent(new Event('negotiationneeded')), 0);
    return { label: String(label) };
  }
  close() { this.closed = true; this.signalingState = 'closed'; }
  static async generateCertificate() { return { expires: 1, getFingerprints() { return []; } }; }
}

const run = (steps) => peerspec.runTrace(steps, { RTCPeerConnection: StandIn });

test('a synchronous exception is kind "throw", a rejected promise is kind "reject"', async () => {
  const observed = await run([
    { op: 'construct', args: {} },
    { op: 'close', args: {} },
    { op: 'setConfiguration', args: { configuration: {} } },
    { op: 'createOffer', args: {} },
  ]);
  assert.deepEqual(observed[2].outcome.error.kind, 'throw');
  assert.deepEqual(observed[2].outcome.error.name, 'InvalidStateError');
  assert.deepEqual(observed[3].outcome.error.kind, 'reject');
  assert.deepEqual(observed[3].after.signalingState, 'closed');
});

test('tags become the JavaScript values they stand for, and an absent member passes no argument', async () => {
  const observed = await run([
    { op: 'construct', args: {} },
    { op: 'setConfiguration', args: { configuration: { iceCandidatePoolSize: { $js: 'NaN' }, x: { $js: 'undefined' } } } },
    { op: 'setConfiguration', args: {} },
    { op: 'getConfiguration', args: {} },
  ]);
  assert.equal(observed[3].outcome.ok.seen, 2);
  assert.ok(observed.every((step) => step.outcome && !('runnerError' in step.outcome)));
});

test('a failed construct stops the trace; later steps get no outcome', async () => {
  const observed = await run([
    { op: 'construct', args: { configuration: { bundlePolicy: 'bogus' } } },
    { op: 'close', args: {} },
  ]);
  assert.equal(observed[0].outcome.error.name, 'TypeError');
  assert.equal(observed[0].outcome.error.kind, 'throw');
  assert.equal(observed[1].outcome, undefined);
});

test('offers report their ICE credentials, and $sdp names the last offer', async () => {
  const observed = await run([
    { op: 'construct', args: {} },
    { op: 'createOffer', args: { options: { iceRestart: true } } },
    { op: 'setLocalDescription', args: { description: { type: 'offer', sdp: { $sdp: 'last-offer' } } } },
    { op: 'setLocalDescription', args: { description: { type: 'offer', sdp: 'modified' } } },
  ]);
  assert.deepEqual(observed[1].outcome.ok, { type: 'offer', iceCredentials: [['fresh1', 'fresh1pwd']] });
  assert.deepEqual(observed[2].outcome, { ok: null });
  assert.equal(observed[2].after.signalingState, 'have-local-offer');
  assert.equal(observed[3].outcome.error.name, 'InvalidModificationError');
});

test('negotiationneeded events are counted once queued tasks have run', async () => {
  const observed = await run([
    { op: 'construct', args: {} },
    { op: 'createDataChannel', args: { label: 'chat' } },
    { op: 'restartIce', args: {} },
  ]);
  assert.equal(observed[1].after.negotiationneeded, 1);
  assert.equal(observed[2].after.negotiationneeded, 2);
  assert.deepEqual(observed[1].outcome.ok, { label: 'chat' });
});

test('certificates are named by the step that made them', async () => {
  const observed = await run([
    { op: 'generateCertificate', args: { keygenAlgorithm: { name: 'ECDSA', namedCurve: 'P-256' }, name: 'c1' } },
    { op: 'construct', args: { configuration: { certificates: [{ $certificate: 'c1' }] } } },
  ]);
  assert.deepEqual(observed[0].outcome.ok, { $certificate: 'c1' });
  assert.deepEqual(observed[1].outcome, { ok: null });
});

test('the runner never throws: a malformed step is a runnerError', async () => {
  const observed = await run([{ op: 'construct', args: {} }, { op: 'noSuchOp', args: {} }, 42]);
  assert.ok('runnerError' in observed[1].outcome);
  assert.ok('runnerError' in observed[2].outcome);
});
