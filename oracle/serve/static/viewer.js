// peerspec live viewer: the calls (form and trace text, kept in sync), the model's verdict on each from the server
// (POST /api/evaluate), the lifecycle machine, and the same calls run in this browser by peerspec-runner.js and
// judged by the server (POST /api/compare) against the model and the deviation registry.
import { rowsOfText, textOfRows, lineOfRow, modesFor, modeLabel, newRow } from './trace_form.js';
import { drawLifecycle, highlightLifecycle } from './lifecycle_svg.js';

const DEFAULT_TRACE = [
  '{"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "stun:stun.example.invalid"}]}}}',
  '{"op": "setConfiguration", "args": {"configuration": {"iceTransportPolicy": "relay"}}}',
  '{"op": "getConfiguration", "args": {}}',
  '{"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "turn:turn.example.invalid"}]}}}',
  '{"op": "createDataChannel", "args": {"label": "chat"}}',
  '{"op": "createOffer", "args": {}}',
  '{"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}}',
  '{"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}}',
  '{"op": "close", "args": {}}',
  '{"op": "createOffer", "args": {"options": {"iceRestart": {"$js": "undefined"}}}}',
].join('\n') + '\n';
const EVALUATE_DELAY_MS = 30;
const TAG_SNIPPETS = [
  ['undefined', '{"$js": "undefined"}'],
  ['NaN', '{"$js": "NaN"}'],
  ['certificate', '{"$certificate": "c1"}'],
  ['last offer', '{"$sdp": "last-offer"}'],
  ['last answer', '{"$sdp": "last-answer"}'],
];

const $ = (id) => document.getElementById(id);
const state = {
  meta: null, rows: [], text: '', evaluation: null, error: null, selected: 0, browser: null,
  lastField: null, sequence: 0, pending: null, inputAt: null, evaluations: 0, lastLatencyMs: null, downloadUrl: null,
};
// What the tests and benchmarks/serve_latency.py read: how many verdicts were shown, and the last time from an
// edit to its verdict on the page.
globalThis.peerspecViewer = { get evaluations() { return state.evaluations; }, get lastLatencyMs() { return state.lastLatencyMs; } };

function make(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function specLink(citation) {
  if (!citation) return '';
  if (!citation.url) return make('span', {}, citation.text);
  return make('a', { href: citation.url, target: '_blank', rel: 'noopener noreferrer', title: 'the Editor\'s Draft' }, citation.text);
}

function message(text, kind = 'note') {
  const box = $('message');
  box.textContent = text || '';
  box.className = text ? kind : '';
}

async function getJSON(url, body) {
  const response = await fetch(url, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  let document;
  try { document = await response.json(); } catch (_) { document = { error: `the server answered ${response.status} without JSON` }; }
  if (!response.ok || document.error) throw new Error(document.error || `the server answered ${response.status}`);
  return document;
}

// ---- the trace: text, form, link, download -------------------------------------------------------------------

function setText(text, from) {
  state.text = text;
  if (from !== 'text') $('trace-text').value = text;
  if (from !== 'form') { state.rows = rowsOfText(text, state.meta); renderForm(); }
  const link = location.pathname + '#trace=' + encodeURIComponent(text);
  $('share').href = link;
  history.replaceState(null, '', link);
  if (state.downloadUrl) URL.revokeObjectURL(state.downloadUrl);
  state.downloadUrl = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  $('download').href = state.downloadUrl;
  scheduleEvaluate();
}

function textFromHash() {
  const match = /^#trace=(.*)$/s.exec(location.hash);
  if (!match) return null;
  try { return decodeURIComponent(match[1]); } catch (_) { return null; }
}

function formChanged(index, rerender) {
  const row = state.rows[index];
  row.line = lineOfRow(row, state.meta);
  setText(textOfRows(state.rows), 'form');
  if (rerender) renderForm();
}

function renderForm() {
  const meta = state.meta;
  const list = $('steps-form');
  list.replaceChildren();
  if (state.rows.length > meta.maxSteps) {
    list.append(make('li', {}, `${state.rows.length} calls: more than the form shows (${meta.maxSteps}); edit the text.`));
    return;
  }
  state.rows.forEach((row, index) => {
    const item = make('li', { 'data-testid': `form-step-${index + 1}`, onfocusin: () => select(index) });
    item.classList.toggle('selected', index === state.selected);
    const line = make('div', { class: 'row' });
    if (row.mode === 'line') {
      line.append(make('input', {
        class: 'json', value: row.line, 'aria-label': `step ${index + 1} as written`,
        oninput: (e) => { row.line = e.target.value; formChanged(index, false); },
      }));
    } else {
      const op = make('select', { 'aria-label': `step ${index + 1} operation`, 'data-testid': `op-${index + 1}` });
      for (const name of meta.ops) op.append(make('option', { value: name }, name));
      op.value = row.op;
      op.addEventListener('change', () => {
        const fresh = meta.argument[op.value] === meta.argument[row.op] && modesFor(op.value, meta).includes(row.mode)
          ? { ...row, op: op.value } : newRow(op.value, meta);
        if (op.value === 'generateCertificate' && !fresh.name) fresh.name = 'c1';
        state.rows[index] = fresh;
        formChanged(index, true);
      });
      line.append(op);
      if (row.op === 'generateCertificate') {
        line.append(make('input', {
          class: 'name', value: row.name, 'aria-label': `step ${index + 1} certificate name`,
          oninput: (e) => { row.name = e.target.value; formChanged(index, false); },
        }));
      }
      const key = meta.argument[row.op];
      if (key) {
        const mode = make('select', { 'aria-label': `step ${index + 1} ${key}`, 'data-testid': `mode-${index + 1}` });
        for (const m of modesFor(row.op, meta)) mode.append(make('option', { value: m }, `${key}: ${modeLabel(m, row.op, meta)}`));
        mode.value = row.mode;
        mode.addEventListener('change', () => { row.mode = mode.value; formChanged(index, true); });
        line.append(mode);
      }
      if (row.mode === 'json') {
        line.append(make('input', {
          class: 'json', value: row.json, spellcheck: 'false', 'aria-label': `step ${index + 1} ${key} (JSON)`,
          'data-testid': `json-${index + 1}`,
          oninput: (e) => { row.json = e.target.value; formChanged(index, false); },
          onfocus: () => { state.lastField = index; },
        }));
      }
    }
    line.append(make('button', {
      type: 'button', class: 'remove', title: 'remove this call',
      onclick: () => { state.rows.splice(index, 1); setText(textOfRows(state.rows), 'form'); renderForm(); },
    }, '✕'));
    item.append(line);
    list.append(item);
  });
}

// The tag buttons insert a tag at the cursor of the JSON field last focused.
function renderTagButtons() {
  const bar = $('tags');
  for (const [label, snippet] of TAG_SNIPPETS) {
    bar.append(make('button', {
      type: 'button', title: `insert ${snippet} in the JSON field last focused`,
      onmousedown: (e) => e.preventDefault(), // keep the field's focus and selection
      onclick: () => {
        const index = state.lastField;
        const input = index === null ? null : $('steps-form').querySelector(`[data-testid=json-${index + 1}]`);
        if (!input) { message('Click into an argument\'s JSON field first.', 'note'); return; }
        const at = input.selectionStart ?? input.value.length, to = input.selectionEnd ?? at;
        state.rows[index].json = input.value.slice(0, at) + snippet + input.value.slice(to);
        formChanged(index, true);
      },
    }, label));
  }
}

// ---- the model's verdicts --------------------------------------------------------------------------------------

function scheduleEvaluate() {
  clearTimeout(state.pending);
  state.pending = setTimeout(evaluateNow, EVALUATE_DELAY_MS);
}

async function evaluateNow() {
  const sequence = ++state.sequence;
  const text = state.text;
  let evaluation = null, error = null;
  try {
    evaluation = await getJSON('/api/evaluate', { trace: text });
  } catch (e) {
    error = e.message;
  }
  if (sequence !== state.sequence) return; // a later edit's answer is on its way
  state.evaluation = evaluation;
  state.error = error;
  if (evaluation) state.selected = Math.min(state.selected, evaluation.steps.length - 1);
  renderResults();
  state.evaluations += 1;
  if (state.inputAt !== null) { state.lastLatencyMs = performance.now() - state.inputAt; state.inputAt = null; }
  document.body.dataset.evaluations = String(state.evaluations);
}

function outcomeCell(view) {
  const kind = !view.ran ? 'notrun' : view.error ? 'error' : 'ok';
  const cell = make('td', { class: kind, 'data-testid': `verdict-${view.number}` }, view.outcome);
  for (const c of view.credentials) cell.append(' ', make('span', { class: 'badge', title: 'ICE credentials' }, `${c.label} ${c.new ? 'new' : 'unchanged'}`));
  if (view.configuration) cell.append(make('br'), make('code', { class: 'configuration' }, view.configuration.text));
  return cell;
}

function afterCell(view) {
  if (!view.after) return make('td', {}, view.ran ? 'no connection' : '');
  const a = view.after;
  const cell = make('td', {}, `${a.signalingState} · ${a.lifecycle}`);
  if (view.negotiationneededFired > 0) cell.append(make('br'), make('span', { class: 'badge' }, `negotiationneeded ×${view.negotiationneededFired}`));
  return cell;
}

function browserCell(number) {
  const run = state.browser && state.browser.text === state.text ? state.browser.result : null;
  const cell = make('td', { 'data-testid': `browser-${number}` });
  if (!run) return cell;
  const observed = run.observed[number - 1];
  const found = run.divergences.filter((d) => d.step === number);
  cell.append(observed ? observed.outcome : '');
  if (!found.length) { cell.append(' ', make('span', { class: 'agrees' }, '= model')); return cell; }
  for (const d of found) {
    const known = d.verdict === 'known' || d.verdict === 'consequence' || d.verdict === 'not-implemented';
    cell.append(make('br'), make('span', { class: known ? 'known' : 'departs', title: d.describe },
      `${d.observation}: expected ${d.expected}, observed ${d.observed}`));
    if (d.deviation) cell.append(' ', make('span', { class: 'badge known' }, `${d.verdict === 'known' ? 'known deviation' : 'consequence of'} ${d.deviation}`));
    else cell.append(' ', make('span', { class: 'badge departs' }, d.verdict));
  }
  return cell;
}

function renderResults() {
  const body = $('verdicts').querySelector('tbody');
  body.replaceChildren();
  if (state.error) {
    message(`The trace cannot be evaluated: ${state.error}`, 'error');
    $('step-detail').replaceChildren();
    highlightLifecycle($('lifecycle'), null, null);
    renderBrowserSummary();
    return;
  }
  const evaluation = state.evaluation;
  if (!evaluation) return;
  if (state.refused && state.refused.text === state.text) {
    message(state.refused.words, 'error'); // a refusal to run this very text outlives its later verdicts
  } else {
    message(evaluation.unsafeUrls.length
      ? `The model evaluates this trace, but it will not run in your browser: ${evaluation.unsafeUrls[0]} names a host outside .invalid.`
      : '', 'note');
  }
  evaluation.steps.forEach((view, index) => {
    const row = make('tr', {
      'data-testid': `step-${view.number}`, tabindex: '0', onclick: () => select(index),
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(index); } },
    },
      make('td', {}, String(view.number)), make('td', { class: 'call' }, view.call), outcomeCell(view),
      make('td', {}, specLink(view.decidedBy)), afterCell(view), browserCell(view.number));
    row.classList.toggle('selected', index === state.selected);
    body.append(row);
  });
  renderDetail();
  renderBrowserSummary();
}

function select(index) {
  state.selected = index;
  for (const [i, row] of [...$('verdicts').querySelectorAll('tbody tr')].entries()) row.classList.toggle('selected', i === index);
  for (const [i, item] of [...$('steps-form').children].entries()) item.classList.toggle('selected', i === index);
  renderDetail();
}

function renderDetail() {
  const steps = state.evaluation ? state.evaluation.steps : [];
  const view = steps[state.selected];
  const box = $('step-detail');
  box.replaceChildren();
  if (!view) { highlightLifecycle($('lifecycle'), null, null); return; }
  box.append(make('h2', {}, `Step ${view.number}: ${view.call}`), make('p', {}, view.sentence));
  if (view.decidedBy) box.append(make('p', {}, 'Decided by ', specLink(view.decidedBy), ' (link to the Editor\'s Draft).'));
  if (view.error && view.error.message) box.append(make('p', {}, `The model says: ${view.error.message}`));
  if (view.configuration) box.append(make('p', {}, 'getConfiguration() returns'), make('pre', { 'data-testid': 'configuration' }, JSON.stringify(view.configuration.json, null, 1)));
  if (view.credentials.length) box.append(make('p', {}, 'ICE credentials: ' + view.credentials.map((c) => `${c.label} (${c.new ? 'newly generated' : 'the same as before'})`).join(', ')));
  if (view.after) box.append(make('p', {}, `After it: signalingState ${view.after.signalingState}, lifecycle ${view.after.lifecycle}, ${view.after.negotiationneeded} negotiationneeded event(s) so far.`));
  const previous = steps.slice(0, state.selected).reverse().find((s) => s.after);
  highlightLifecycle($('lifecycle'), view.after ? view.after.lifecycle : null, previous ? previous.after.lifecycle : (view.after ? 'new' : null));
}

// ---- the visitor's browser -------------------------------------------------------------------------------------

function renderBrowserSummary() {
  const box = $('browser-summary');
  box.replaceChildren();
  const run = state.browser;
  if (!run) return;
  if (run.text !== state.text) { box.append(make('p', {}, 'The trace changed since your browser ran it: run it again.')); return; }
  const result = run.result;
  const judged = result.implementation ? `judged as ${result.implementation}, with its known deviations` : 'judged by the spec alone';
  const departures = result.divergences;
  box.append(make('p', {}, `Your browser (${run.userAgent}), ${judged}: `,
    departures.length ? make('span', { class: 'departs' }, `departs from the model at ${new Set(departures.map((d) => d.step)).size} step(s).`)
      : make('span', { class: 'agrees' }, 'agrees with the model on every step.')));
  if (departures.length) {
    const list = make('ul');
    for (const d of departures) {
      const item = make('li', {}, `step ${d.step} ${d.op}: ${d.observation} — expected ${d.expected}, observed ${d.observed} (`, specLink(d.spec), ')');
      if (d.entry) item.append(make('br'), make('span', { class: 'known' }, `${d.verdict === 'known' ? 'Known deviation' : 'Consequence of'} ${d.entry.id}`), `: ${d.entry.does} — ${d.entry.why}`);
      else if (d.deviation) item.append(make('br'), make('span', { class: 'known' }, `${d.verdict}: ${d.deviation}`));
      else item.append(make('br'), make('span', { class: 'departs' }, d.verdict === 'new' ? 'Not in the deviation registry: a new divergence.' : d.verdict));
      list.append(item);
    }
    box.append(list);
  }
  const recorded = URL.createObjectURL(new Blob([result.recorded], { type: 'application/x-ndjson' }));
  box.append(make('p', {}, make('a', { href: recorded, download: 'peerspec-observed.jsonl' }, 'Download your browser\'s run (.jsonl)'),
    ` for peerspec check${result.implementation ? ' --impl ' + result.implementation : ''}.`));
}

async function runInBrowser() {
  const text = state.text;
  // The guard reads exactly the text that will run (the last verdicts shown may be of an earlier edit).
  let checked;
  try { checked = await getJSON('/api/evaluate', { trace: text }); } catch (e) {
    message(`Fix the trace first: the model cannot evaluate it (${e.message}).`, 'error');
    return;
  }
  if (checked.unsafeUrls.length) {
    const words = `Not run: ${checked.unsafeUrls[0]} names a host outside .invalid, and nothing leaves this machine.`;
    state.refused = { text, words };
    message(words, 'error');
    return;
  }
  if (typeof globalThis.RTCPeerConnection !== 'function' || !globalThis.peerspec) {
    message('This browser has no RTCPeerConnection (or the runner did not load).', 'error');
    return;
  }
  const button = $('run-browser');
  button.disabled = true;
  message('Running the calls in your browser…', 'note');
  try {
    const steps = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
    const observed = await globalThis.peerspec.runTrace(steps, { RTCPeerConnection: globalThis.RTCPeerConnection });
    const result = await getJSON('/api/compare', {
      trace: text,
      implementation: $('judge-as').value,
      observed: observed.map((s) => ({ outcome: s.outcome ?? null, after: s.after ?? null })),
    });
    state.browser = { text, result, userAgent: navigator.userAgent.replace(/^Mozilla\/5\.0 /, '') };
    message('', 'note');
    renderResults();
  } catch (e) {
    message(`Your browser's run could not be judged: ${e.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- start -----------------------------------------------------------------------------------------------------

async function start() {
  const [meta, lifecycle, examples] = await Promise.all([getJSON('/api/meta'), getJSON('/api/lifecycle'), getJSON('/api/examples')]);
  state.meta = meta;
  const commit = $('spec-commit');
  commit.textContent = 'commit ' + meta.specCommit.slice(0, 8);
  commit.href = `https://github.com/w3c/webrtc-pc/blob/${meta.specCommit}/webrtc.html`;
  drawLifecycle($('lifecycle'), lifecycle);
  renderTagButtons();
  const chooser = $('examples');
  for (const group of examples.groups) {
    const optgroup = make('optgroup', { label: group.section });
    for (const example of group.examples) optgroup.append(make('option', { value: example.id }, `${example.rule}: ${example.id}`));
    chooser.append(optgroup);
  }
  chooser.addEventListener('change', async () => {
    if (!chooser.value) return;
    try { setText((await getJSON('/api/examples/' + encodeURIComponent(chooser.value))).trace, 'example'); } catch (e) { message(e.message, 'error'); }
  });
  $('trace-text').addEventListener('input', (e) => { setText(e.target.value, 'text'); });
  document.addEventListener('input', () => { state.inputAt = performance.now(); }, true);
  $('add-step').addEventListener('click', () => {
    state.rows.push(newRow('getConfiguration', meta));
    setText(textOfRows(state.rows), 'form');
    renderForm();
  });
  $('run-browser').addEventListener('click', runInBrowser);
  window.addEventListener('hashchange', () => {
    const text = textFromHash();
    if (text !== null && text !== state.text) setText(text, 'link');
  });
  setText(textFromHash() ?? DEFAULT_TRACE, 'link');
}

start().catch((e) => message(`The viewer could not start: ${e.message}`, 'error'));
