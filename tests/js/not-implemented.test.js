// What the JS runner records for calls an implementation lacks, rejections with values that are not errors,
// the helper peers it builds, and sessionServer (node --test tests/js/).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const peerspec = require('../../oracle/runners/js/peerspec-runner.js');

// A connection with only a constructor, createOffer (rejecting with a string), close and events: no static
// generateCertificate, no restartIce, no getConfiguration.
class Partial extends EventTarget {
  constructor(configuration) {
    super();
    Partial.made.push(configuration);
    this.signalingState = 'stable';
  }
  createOffer() { return Promise.reject('no offers'); } // eslint-disable-line prefer-promise-reject-errors
  setRemoteDescription() { return Promise.resolve(); }
  close() { this.signalingState = 'closed'; }
}
Partial.made = [];

const run = (steps, options) => peerspec.runTrace(steps, { RTCPeerConnection: Partial, ...options });

test('a method the implementation lacks is notImplemented, not the TypeError of calling undefined', async () => {
  const observed = await run([
    { op: 'generateCertificate', args: { keygenAlgorithm: { name: 'ECDSA', namedCurve: 'P-256' }, name: 'c1' } },
    { op: 'construct', args: {} },
    { op: 'restartIce', args: {} },
    { op: 'getConfiguration', args: {} },
    { op: 'close', args: {} },
  ]);
  assert.match(observed[0].outcome.notImplemented, /generateCertificate/);
  assert.deepEqual(observed[1].outcome, { ok: null });
  assert.match(observed[2].outcome.notImplemented, /restartIce/);
  assert.match(observed[3].outcome.notImplemented, /getConfiguration/);
  assert.deepEqual(observed[4].outcome, { ok: null });
  assert.deepEqual(observed[2].after, { signalingState: 'stable', negotiationneeded: 0 });
});

test('a construct naming a certificate that could not be made is notImplemented, and so is what follows', async () => {
  const observed = await run([
    { op: 'generateCertificate', args: { name: 'c1' } },
    { op: 'construct', args: { configuration: { certificates: [{ $certificate: 'c1' }] } } },
    { op: 'close', args: {} },
  ]);
  assert.ok('notImplemented' in observed[1].outcome);
  assert.ok('notImplemented' in observed[2].outcome);
  assert.equal(observed[2].after, null);
});

test('a promise rejected with a value that is not an error is "not an Error", with the value as message', async () => {
  const observed = await run([{ op: 'construct', args: {} }, { op: 'createOffer', args: {} }]);
  assert.deepEqual(observed[1].outcome, { error: { name: 'not an Error', kind: 'reject', message: 'no offers' } });
  assert.deepEqual(peerspec.describeError(new String('boxed'), 'reject'), // eslint-disable-line no-new-wrappers
    { name: 'not an Error', kind: 'reject', message: 'boxed' });
  const dom = new DOMException('the message', 'InvalidStateError');
  assert.deepEqual(peerspec.describeError(dom, 'throw'), { name: 'InvalidStateError', kind: 'throw', message: 'the message' });
});

test('an error the provider declares a stub is notImplemented', async () => {
  class Stubbed extends Partial {
    restartIce() { throw new DOMException('Not implemented'); }
    static async generateCertificate() { throw new DOMException('Not implemented'); }
  }
  const isNotImplemented = (e) => e && e.message === 'Not implemented';
  const observed = await peerspec.runTrace([
    { op: 'generateCertificate', args: { name: 'c1' } },
    { op: 'construct', args: {} },
    { op: 'restartIce', args: {} },
  ], { RTCPeerConnection: Stubbed, isNotImplemented });
  assert.match(observed[0].outcome.notImplemented, /stub/);
  assert.match(observed[2].outcome.notImplemented, /stub/);
});

test('helper peers are always built with an explicit {iceServers: []}', async () => {
  Partial.made.length = 0;
  class Offering extends Partial {
    createDataChannel() { return { label: 'x' }; }
    createOffer() { return Promise.resolve({ type: 'offer', sdp: 'v=0\r\n' }); }
    setLocalDescription() { this.signalingState = 'have-local-offer'; return Promise.resolve(); }
  }
  const observed = await peerspec.runTrace([
    { op: 'construct', args: {} },
    { op: 'setRemoteDescription', args: { description: { $remote: 'offer' } } },
  ], { RTCPeerConnection: Offering });
  assert.deepEqual(observed[1].outcome, { ok: null });
  assert.equal(Partial.made.length, 2);
  assert.equal(Partial.made[0], undefined); // construct with no configuration passes none
  assert.deepEqual(Partial.made[1], { iceServers: [] });
});

test('sessionServer serves open, step, peek and close for the constructor it is given', async () => {
  const server = peerspec.sessionServer({ RTCPeerConnection: Partial });
  const { session } = await server.handle({ open: true });
  const step = await server.handle({ session, step: { op: 'construct', args: {} } });
  assert.deepEqual(step.outcome, { ok: null });
  assert.deepEqual(await server.handle({ session, peek: true }), { configuration: null });
  assert.ok('runnerError' in await server.handle({ session }));
  assert.ok('runnerError' in await server.handle([1]));
  assert.deepEqual(await server.handle({ session, close: true }), { closed: true });
  assert.ok('runnerError' in await server.handle({ session, peek: true }));
});
