// Trace format v2 in the JS runner, with a stand-in RTCPeerConnection that only records what it is asked and
// answers what each test sets up: the header, addTransceiver/stopTransceiver, and v2's observations in `after`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const peerspec = require('../../oracle/runners/js/peerspec-runner.js');

class Transceiver {
  constructor(kind, init) {
    this.receiver = { track: { kind } };
    this.mid = null;
    this._direction = (init && init.direction) || 'sendrecv';
  }
  get direction() { return this._direction; }
  stop() { this._direction = 'stopped'; }
}

class StandIn extends EventTarget {
  constructor() {
    super();
    this.signalingState = 'stable';
    this.transceivers = [];
    this.localDescription = null;
    this.currentLocalDescription = null;
    this.pendingLocalDescription = null;
    this.iceGatheringState = 'new';
    this.canTrickleIceCandidates = null;
  }
  addTransceiver(kind, init) {
    if (kind !== 'audio' && kind !== 'video') throw new TypeError('bad kind');
    const t = new Transceiver(kind, init);
    this.transceivers.push(t);
    return t;
  }
  getTransceivers() { return this.transceivers.slice(); }
  async createOffer() {
    return { type: 'offer', sdp: 'v=0\r\nm=audio 9 x y\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\nm=video 0 x y\r\n' };
  }
  async setLocalDescription(d) {
    this.pendingLocalDescription = this.localDescription = { type: d.type, sdp: d.sdp };
    this.signalingState = 'have-local-offer';
    this.dispatchEvent(new Event('signalingstatechange'));
  }
  close() { this.signalingState = 'closed'; }
}

const run = (steps) => peerspec.runTrace(steps, { RTCPeerConnection: StandIn });
const HEADER = { peerspecTrace: 2 };

test('a v2 trace keeps its header and records the v2 observations the connection has', async () => {
  const observed = await run([
    HEADER,
    { op: 'construct', args: {} },
    { op: 'addTransceiver', args: { kind: 'audio', init: { direction: 'recvonly' } } },
    { op: 'createOffer', args: {} },
    { op: 'setLocalDescription', args: { description: { type: 'offer', sdp: { $sdp: 'last-offer' } } } },
  ]);
  assert.deepEqual(observed[0], HEADER);
  assert.deepEqual(observed[2].outcome, { ok: { kind: 'audio', mid: null, direction: 'recvonly' } });
  assert.deepEqual(observed[3].outcome.ok.media, [{ kind: 'audio', rejected: false }, { kind: 'video', rejected: true }]);
  const after = observed[4].after;
  assert.deepEqual(after.localDescription, { type: 'offer' });
  assert.equal(after.currentLocalDescription, null);
  assert.equal(after.signalingstatechange, 1);
  assert.equal(after.iceGatheringState, 'new');
  assert.equal(after.canTrickleIceCandidates, null);
  assert.ok(!('iceConnectionState' in after), 'an attribute the connection lacks is left out');
  assert.deepEqual(after.transceivers, [{ kind: 'audio', mid: null, direction: 'recvonly' }]);
});

test('a v1 trace records no v2 observation', async () => {
  const observed = await run([{ op: 'construct', args: {} }, { op: 'addTransceiver', args: { kind: 'video' } }]);
  assert.deepEqual(Object.keys(observed[1].after).sort(), ['negotiationneeded', 'signalingState']);
  assert.equal(observed[1].outcome.ok.kind, 'video');
});

test('stopTransceiver stops the transceiver at that index, and a missing one is a runnerError', async () => {
  const observed = await run([
    HEADER,
    { op: 'construct', args: {} },
    { op: 'addTransceiver', args: { kind: 'audio' } },
    { op: 'stopTransceiver', args: { index: 0 } },
    { op: 'stopTransceiver', args: { index: 3 } },
  ]);
  assert.deepEqual(observed[3].outcome, { ok: null });
  assert.equal(observed[3].after.transceivers[0].direction, 'stopped');
  assert.ok('runnerError' in observed[4].outcome);
});

test('an addTransceiver that throws is recorded as thrown', async () => {
  const observed = await run([HEADER, { op: 'construct', args: {} }, { op: 'addTransceiver', args: { kind: 'text' } }]);
  assert.equal(observed[2].outcome.error.name, 'TypeError');
  assert.equal(observed[2].outcome.error.kind, 'throw');
});
