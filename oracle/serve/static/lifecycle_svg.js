// The lifecycle machine drawn as inline SVG from the server's /api/lifecycle (the model's live machine): the
// states a connection can leave in one row, the states it never leaves (closed) below; one arrow per
// (source, dest) pair labelled with the calls that take it.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720, HEIGHT = 290, BOX_W = 116, BOX_H = 36, TOP = 70, BOTTOM = 240, LINE = 12;

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

function layout(graph) {
  const leaves = new Set(graph.transitions.map((t) => t.source));
  const upper = graph.states.filter((s) => leaves.has(s));
  const lower = graph.states.filter((s) => !leaves.has(s));
  const place = {};
  const spread = (states, y) => states.forEach((s, i) => {
    place[s] = { x: (WIDTH * (i + 1)) / (states.length + 1), y };
  });
  spread(upper, TOP);
  spread(lower, BOTTOM);
  return place;
}

function edgesOf(graph) {
  const edges = new Map();
  for (const t of graph.transitions) {
    const key = t.source + '>' + t.dest;
    if (!edges.has(key)) edges.set(key, { source: t.source, dest: t.dest, triggers: [], why: [] });
    const edge = edges.get(key);
    if (!edge.triggers.includes(t.trigger)) edge.triggers.push(t.trigger);
    if (t.why) edge.why.push(t.trigger + ': ' + t.why);
  }
  return [...edges.values()];
}

// Where the segment from the centre of a box towards (tx, ty) leaves the box.
function boxExit(c, tx, ty) {
  const dx = tx - c.x, dy = ty - c.y;
  const scale = Math.min(Math.abs((BOX_W / 2) / (dx || 1e-9)), Math.abs((BOX_H / 2) / (dy || 1e-9)));
  return { x: c.x + dx * Math.min(scale, 1), y: c.y + dy * Math.min(scale, 1) };
}

export function drawLifecycle(svg, graph) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  const defs = element('defs', {}, svg);
  const marker = element('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  element('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b717a' }, marker);
  const place = layout(graph);
  const edges = edgesOf(graph);
  const pairs = new Set(edges.map((e) => e.source + '>' + e.dest));
  for (const edge of edges) {
    const a = place[edge.source], b = place[edge.dest];
    const reverse = pairs.has(edge.dest + '>' + edge.source);
    // A pair of opposite arrows bends apart; a long arrow along the row bends over the states between.
    const bend = reverse ? 34 : Math.abs(a.y - b.y) < 1 && Math.abs(a.x - b.x) > WIDTH / 3 ? 60 : 0;
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const nx = -(b.y - a.y) / len, ny = (b.x - a.x) / len;
    const cx = mx + nx * bend, cy = my + ny * bend;
    const start = boxExit(a, cx, cy), end = boxExit(b, cx, cy);
    const group = element('g', { class: 'edge', 'data-source': edge.source, 'data-dest': edge.dest }, svg);
    element('title', {}, group).textContent = edge.why.join('\n');
    element('path', { d: `M${start.x},${start.y} Q${cx},${cy} ${end.x},${end.y}`, 'marker-end': 'url(#arrow)' }, group);
    // The label sits beside the curve's apex, on its outer side, its lines stacked away from the curve.
    const side = bend === 0 ? 1 : Math.sign(bend);
    const lx = (start.x + 2 * cx + end.x) / 4 + nx * side * 10, ly = (start.y + 2 * cy + end.y) / 4 + ny * side * 10;
    const upward = ny * side < 0;
    const label = element('text', { 'text-anchor': 'middle', x: lx + (bend === 0 ? 6 : 0), y: ly + (upward ? -(edge.triggers.length - 1) * LINE : LINE / 2) }, group);
    if (bend === 0) label.setAttribute('text-anchor', 'start');
    edge.triggers.forEach((trigger, i) => {
      element('tspan', { x: label.getAttribute('x'), dy: i === 0 ? 0 : LINE }, label).textContent = trigger;
    });
  }
  for (const state of graph.states) {
    const p = place[state];
    const group = element('g', { class: 'state', 'data-state': state }, svg);
    element('rect', { x: p.x - BOX_W / 2, y: p.y - BOX_H / 2, width: BOX_W, height: BOX_H, rx: 8 }, group);
    element('text', { x: p.x, y: p.y }, group).textContent = state;
  }
}

// Highlight `state` (the lifecycle after the selected step) and the arrow from `previous` to it, if it moved.
export function highlightLifecycle(svg, state, previous) {
  for (const node of svg.querySelectorAll('.state')) node.classList.toggle('current', node.dataset.state === state);
  for (const node of svg.querySelectorAll('.edge')) {
    const taken = previous != null && previous !== state && node.dataset.source === previous && node.dataset.dest === state;
    node.classList.toggle('taken', taken);
  }
}
