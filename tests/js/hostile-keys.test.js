'use strict';
// Values reach the implementation with own data properties only, as JSON.parse makes them: a "__proto__" key is
// a member, not a prototype; and no certificate name or session id is special to the runner's own tables.
const test = require('node:test');
const assert = require('node:assert');
const peerspec = require('../../oracle/runners/js/peerspec-runner.js');

class RecordingPC {
  constructor(configuration) {
    RecordingPC.seen.push(configuration);
    this.signalingState = 'stable';
  }
  static generateCertificate() { return Promise.resolve({ expires: 1 }); }
  getConfiguration() { return {}; }
  addEventListener() {}
  close() {}
}
RecordingPC.seen = [];

test('a __proto__ member stays an own member and gives nothing to inherit', async () => {
  RecordingPC.seen = [];
  await peerspec.runTrace(
    [{ op: 'construct', args: { configuration: JSON.parse('{"__proto__": {"iceTransportPolicy": "relay"}}') } }],
    { RTCPeerConnection: RecordingPC });
  const [configuration] = RecordingPC.seen;
  assert.strictEqual(Object.getPrototypeOf(configuration), Object.prototype);
  assert.strictEqual(configuration.iceTransportPolicy, undefined);
  assert.ok(Object.prototype.hasOwnProperty.call(configuration, '__proto__'));
});

test('certificates named __proto__ or toString are certificates like any other', async () => {
  const observed = await peerspec.runTrace([
    { op: 'generateCertificate', args: { name: '__proto__', keygenAlgorithm: 'ECDSA' } },
    { op: 'generateCertificate', args: { name: 'toString', keygenAlgorithm: 'ECDSA' } },
    { op: 'construct', args: { configuration: { certificates: [{ $certificate: '__proto__' }, { $certificate: 'toString' }] } } },
  ], { RTCPeerConnection: RecordingPC });
  assert.deepStrictEqual(observed[2].outcome, { ok: null });
});

test('session ids that are Object.prototype names are unknown sessions, not the runner\'s own methods', async () => {
  const server = peerspec.sessionServer({ RTCPeerConnection: RecordingPC });
  for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const answer = await server.handle({ session: id, step: { op: 'close', args: {} } });
    assert.ok('runnerError' in answer, id);
  }
});
