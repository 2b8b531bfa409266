// The calls as form rows, and each row as its line of trace text (JSON Lines, trace format v1).
//
// A row is {op, mode, json, name, line}: `mode` says how the op's one argument is given — "absent" (not passed),
// "json" (the JSON text in `json`, tags inside it as written), a JS constant ("undefined", "NaN", ...), or a
// remote description ("remote:offer", "remote:offer+restart", "remote:answer", "remote:pranswer").
// generateCertificate also has `name`.  A line the form cannot show (not a step object, members beyond the op's
// argument) is a row in mode "line": its text is edited as it is.
//
// The line of a row the form did not touch is kept as written, so a value JavaScript cannot hold exactly (a 2**60
// integer, -0, a lone surrogate escape) survives the round trip; an edited row writes its JSON text verbatim.

export const REMOTE_MODES = ['remote:offer', 'remote:offer+restart', 'remote:answer', 'remote:pranswer'];

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// The row a line of trace text stands for.
export function rowOfLine(line, meta) {
  const raw = { op: '', mode: 'line', json: '', name: '', line };
  let step;
  try { step = JSON.parse(line); } catch (_) { return raw; }
  if (!isPlainObject(step) || typeof step.op !== 'string' || !meta.ops.includes(step.op)) return raw;
  if (!isPlainObject(step.args) || Object.keys(step).some((k) => k !== 'op' && k !== 'args')) return raw;
  const key = meta.argument[step.op];
  const allowed = step.op === 'generateCertificate' ? [key, 'name'] : key ? [key] : [];
  if (Object.keys(step.args).some((k) => !allowed.includes(k))) return raw;
  const row = { op: step.op, mode: 'absent', json: '', name: '', line };
  if (step.op === 'generateCertificate') {
    if (typeof step.args.name !== 'string') return raw;
    row.name = step.args.name;
  }
  if (!key || !(key in step.args)) return row;
  Object.assign(row, argumentMode(step.args[key], step.op, meta));
  return row;
}

function argumentMode(value, op, meta) {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$js' && meta.jsConstants.includes(value.$js)) return { mode: value.$js };
    if (op === 'setRemoteDescription' && keys[0] === '$remote') {
      if (keys.length === 1 && meta.remoteKinds.includes(value.$remote)) return { mode: 'remote:' + value.$remote };
      if (keys.length === 2 && value.$remote === 'offer' && value.iceRestart === true) return { mode: 'remote:offer+restart' };
    }
  }
  return { mode: 'json', json: JSON.stringify(value) };
}

// The line a row is written as.
export function lineOfRow(row, meta) {
  if (row.mode === 'line') return row.line;
  const key = meta.argument[row.op];
  const members = [];
  if (row.op === 'generateCertificate') members.push('"name": ' + JSON.stringify(row.name));
  if (key && row.mode !== 'absent') members.push(JSON.stringify(key) + ': ' + argumentText(row));
  return '{"op": ' + JSON.stringify(row.op) + ', "args": {' + members.join(', ') + '}}';
}

function argumentText(row) {
  if (row.mode === 'json') return row.json.trim() === '' ? 'null' : row.json.trim();
  if (row.mode === 'remote:offer+restart') return '{"$remote": "offer", "iceRestart": true}';
  if (row.mode.startsWith('remote:')) return '{"$remote": ' + JSON.stringify(row.mode.slice(7)) + '}';
  return '{"$js": ' + JSON.stringify(row.mode) + '}';
}

// The rows of a whole trace text (a final newline ends the last line; it is not an empty step).
export function rowsOfText(text, meta) {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => rowOfLine(line.replace(/\r$/, ''), meta));
}

// The trace text of the rows: each row's line as it stands (the form rewrites a row's line when it edits the row).
export function textOfRows(rows) {
  return rows.map((row) => row.line + '\n').join('');
}

// The modes an op's argument offers in the form.
export function modesFor(op, meta) {
  if (!meta.argument[op]) return ['absent'];
  const modes = ['absent', 'json', ...meta.jsConstants];
  return op === 'setRemoteDescription' ? [...modes, ...REMOTE_MODES] : modes;
}

export function modeLabel(mode, op, meta) {
  if (mode === 'absent') return meta.argument[op] ? 'not passed' : '(no argument)';
  if (mode === 'json') return 'JSON';
  if (mode === 'line') return 'line as written';
  if (mode === 'remote:offer+restart') return 'offer from the remote peer, restarting ICE';
  if (mode.startsWith('remote:')) return mode.slice(7) + ' from the remote peer';
  return mode;
}

// A fresh row for an op, with a typical argument.
export function newRow(op, meta) {
  const typical = {
    construct: '{"iceServers": [{"urls": "stun:stun.example.invalid"}]}',
    setConfiguration: '{"iceServers": [{"urls": "turn:turn.example.invalid", "username": "u", "credential": "p"}]}',
    setLocalDescription: '{"type": "offer", "sdp": {"$sdp": "last-offer"}}',
    createOffer: '{"iceRestart": true}',
    createDataChannel: '"chat"',
    generateCertificate: '{"name": "ECDSA", "namedCurve": "P-256"}',
  };
  const row = { op, mode: 'absent', json: '', name: op === 'generateCertificate' ? 'c1' : '', line: '' };
  if (op === 'setRemoteDescription') row.mode = 'remote:answer';
  else if (typical[op]) { row.mode = 'json'; row.json = typical[op]; }
  row.line = lineOfRow(row, meta);
  return row;
}
