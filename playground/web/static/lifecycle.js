// The container lifecycle: the seven states of a container and the moves
// between them, each edge an arrow with its label beside it, the picked
// container's state lit and the last command's moves drawn over it.
// Split out of diagrams.js (which re-exports it).

import { el, svg, fill } from './dom.js';
import { longName, liveFirst } from './swarm.js';

const $ = (id) => document.getElementById(id);


// A planar layout: no edge crosses another, so each label has its own
// edge's side to itself. The top row is what a container does (created,
// running, paused); the second what is left when it stops (exited, or
// restarting by policy); the left column is how it goes (rm).
const WIDE_STATES = {
  created: [80, 45], running: [300, 45], paused: [520, 45],
  removing: [80, 215], exited: [300, 215], restarting: [520, 215],
  dead: [80, 320],
};
// On a phone: the same graph drawn narrower (430 wide instead of 600), so
// it fits the screen whole at a readable size instead of being clipped;
// the rows further apart, and restarting between them, leave room for
// every label beside its own edge.
const NARROW_STATES = {
  created: [55, 45], running: [215, 45], paused: [375, 45],
  removing: [55, 340], exited: [215, 340], restarting: [375, 320],
  dead: [55, 490],
};
let STATES = WIDE_STATES;
/** A state's ellipse: its half-width (per layout) and half-height. */
let RX = 58;
const RY = 22;
// One label per edge. The two ways into running say which start they are
// (the first one, or again after an exit); the two rm edges are each
// labelled beside their own arrow into removing.
const EDGES = [
  ['created', 'running', 'start'], ['running', 'paused', 'pause'], ['paused', 'running', 'unpause'],
  ['running', 'exited', 'stop,\nkill or\nexit'], ['exited', 'running', 'start\nagain'],
  ['running', 'restarting', 'restart\npolicy'], ['restarting', 'running', 'restarted'], ['restarting', 'exited', 'stop'],
  ['created', 'removing', 'rm'], ['exited', 'removing', 'rm'], ['running', 'removing', 'rm -f'],
  ['removing', 'dead', 'failed\nremoval'],
];

// The narrow graph's longer labels, on more lines.
const NARROW_TEXT = { 'running>exited': 'stop,\nkill or\nexit' };

/** The point at `t` of the quadratic curve q = [start, control, end]. */
function bez(q, t) {
  const u = 1 - t;
  return [0, 1].map((k) => u * u * q[0][k] + 2 * t * u * q[1][k] + t * t * q[2][k]);
}

function inside(st, [x, y], pad) {
  const [cx, cy] = STATES[st];
  return ((x - cx) / (RX + pad)) ** 2 + ((y - cy) / (RY + pad)) ** 2 < 1;
}

/**
 * The curve of an edge (bent when it has a way back), cut where it leaves
 * the first state's ellipse and where it reaches the second's: the
 * arrowhead lands on the border, in view, not under the ellipse.
 */
function edgeCurve(from, to, bend) {
  const [x1, y1] = STATES[from];
  const [x2, y2] = STATES[to];
  const q = [[x1, y1], [(x1 + x2) / 2 + bend * (y2 - y1) / 6, (y1 + y2) / 2 - bend * (x2 - x1) / 6], [x2, y2]];
  const cut = (st, lo, hi, pad) => {
    for (let i = 0; i < 20; i++) { const m = (lo + hi) / 2; if (inside(st, bez(q, m), pad)) lo = m; else hi = m; }
    return hi;
  };
  const a = cut(from, 0, 0.5, 2);
  const b = cut(to, 1, 0.5, 3);
  // The piece of a quadratic between a and b has the control point blossom(a, b).
  const ctrl = [0, 1].map((k) => (1 - a) * (1 - b) * q[0][k] + ((1 - a) * b + a * (1 - b)) * q[1][k] + a * b * q[2][k]);
  return [bez(q, a), ctrl, bez(q, b)];
}

const pathOf = (q) => `M${q[0].map((v) => v.toFixed(1))} Q${q[1].map((v) => v.toFixed(1))} ${q[2].map((v) => v.toFixed(1))}`;

let measure = null;
/** A label line's width at `fs` px, as drawn (bold, as a taken edge's is). */
function textWidth(line, fs) {
  if (!measure && typeof document !== 'undefined') {
    measure = document.createElement('canvas').getContext('2d');
  }
  if (!measure) return line.length * fs * 0.62;
  measure.font = `600 ${fs}px ${getComputedStyle(document.body).fontFamily}`;
  return measure.measureText(line).width;
}

/**
 * Places each edge's label beside its own edge, at the spot (middle first,
 * either side, nearer first) where it crosses no edge, no arrowhead, no
 * state and no other label, and where no other edge is nearly as close
 * as its own (a label between two edges was ambiguous), in `order`.
 * Returns the centres of the labels' boxes and how much they hit.
 */
function placeLabels(items, curves, fs, view, order) {
  const lines = curves.map((q) => Array.from({ length: 61 }, (_, i) => bez(q, i / 60)));
  const ring = [];
  for (const [x, y] of Object.values(STATES)) {
    for (let i = 0; i < 32; i++) ring.push([x + (RX + 2) * Math.cos(i * Math.PI / 16), y + (RY + 2) * Math.sin(i * Math.PI / 16)]);
  }
  const heads = curves.map((q) => q[2]);
  const placed = [];
  const near = (pts, b, m) => pts.filter(([x, y]) => x > b.x0 - m && x < b.x1 + m && y > b.y0 - m && y < b.y1 + m).length;
  // How much a box hits: points of lines and ellipses in it, arrowheads,
  // the states' boxes, labels; and other edges within 14 units of it.
  const clash = (b, own, gap) => (b.x0 < view[0] || b.y0 < view[1] || b.x1 > view[2] || b.y1 > view[3] ? 100 : 0)
    + lines.reduce((n, pts) => n + near(pts, b, 2), 0) + near(ring, b, 2)
    + 50 * near(heads, b, 9)
    + lines.reduce((n, pts, j) => n + (j === own ? 0 : 0.3 * near(pts, b, gap)), 0)
    + 50 * Object.values(STATES).filter(([x, y]) => x - RX < b.x1 && b.x0 < x + RX && y - RY < b.y1 && b.y0 < y + RY).length
    + 50 * placed.filter((o) => b.x0 < o.x1 + 4 && o.x0 < b.x1 + 4 && b.y0 < o.y1 + 4 && o.y0 < b.y1 + 4).length;
  const spots = [];
  let cost = 0;
  for (const own of order) {
    const { q, text } = items[own];
    const rows = text.split('\n');
    const w = Math.max(...rows.map((l) => textWidth(l, fs))) + 4;
    const h = rows.length * fs * 1.2 + fs * 0.05 + 2;
    // A bent edge's label goes on its outer side first (its pair's is inside).
    const mid = bez(q, 0.5);
    const bulge = [mid[0] - (q[0][0] + q[2][0]) / 2, mid[1] - (q[0][1] + q[2][1]) / 2];
    let best = null;
    let score = Infinity;
    search: for (const off of [3, 6, 10, 15, 22]) {
      for (const t of [0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74, 0.2, 0.8]) {
        const dx = 2 * (1 - t) * (q[1][0] - q[0][0]) + 2 * t * (q[2][0] - q[1][0]);
        const dy = 2 * (1 - t) * (q[1][1] - q[0][1]) + 2 * t * (q[2][1] - q[1][1]);
        const len = Math.hypot(dx, dy) || 1;
        const out = -dy * bulge[0] + dx * bulge[1];
        for (const side of Math.abs(out) > 1e-6 ? [Math.sign(out), -Math.sign(out)] : [-1, 1]) {
          const p = bez(q, t);
          const n = [-dy / len * side, dx / len * side];
          const ext = Math.abs(n[0]) * w / 2 + Math.abs(n[1]) * h / 2;
          const c = [p[0] + n[0] * (off + ext), p[1] + n[1] * (off + ext)];
          const b = { x0: c[0] - w / 2, x1: c[0] + w / 2, y0: c[1] - h / 2, y1: c[1] + h / 2 };
          // Farther from its own edge costs a little: the nearest clear spot wins.
          const k = clash(b, own, Math.max(14, off + 10)) + off / 100;
          if (k < score) { best = b; score = k; }
          if (k < 0.1) break search;
        }
      }
    }
    placed.push(best);
    cost += score;
    spots[own] = [(best.x0 + best.x1) / 2, (best.y0 + best.y1) / 2];
  }
  return { spots, cost };
}

/**
 * The labels' spots: placed in the edges' order, then with the restart
 * loop's first (where running's edges crowd, the first placed take the
 * room), then in reverse; the placing that hits least wins.
 */
function bestLabels(items, curves, fs, view) {
  const plain = items.map((_, i) => i);
  const loop = (i) => EDGES[i].includes('restarting');
  const orders = [plain, [...plain.filter(loop), ...plain.filter((i) => !loop(i))], [...plain].reverse()];
  return orders.map((o) => placeLabels(items, curves, fs, view, o)).reduce((a, b) => (b.cost < a.cost ? b : a)).spots;
}

/**
 * How an edge bends: straight when it has no way back, else bent (each
 * way to its own side). running -> exited bends left, away from the
 * restart loop on the right: its label has the left side to itself.
 */
function bendOf(from, to) {
  // restarting -> exited bulges down, clear of the restart loop's labels.
  if (from === 'restarting' && to === 'exited') return 1.2;
  if (!EDGES.some(([f, t]) => f === to && t === from)) return 0;
  if (from === 'running' && to === 'exited' || from === 'exited' && to === 'running') return STATES === NARROW_STATES ? -0.4 : -1;
  // The restart loop: flatter on a phone, whose columns are closer.
  if (from === 'running' && to === 'restarting' || from === 'restarting' && to === 'running') return STATES === NARROW_STATES ? 0.4 : 0.7;
  return 1;
}

/** A refused move's curve and the spot for its label. */
function edgePoints(from, to, bend) {
  const q = edgeCurve(from, to, bend);
  const [mx, my] = bez(q, 0.5);
  return { d: pathOf(q), mx, my: my - 8 };
}

export class StateMachine {
  constructor() {
    this.root = $('sm');
    this.pick = $('sm-pick');
    this.live = $('sm-live');
    this.last = [];
    this.state = null;
    // The learner's own pick stays; until then the picker follows liveFirst.
    this.chosen = null;
    this.pick.addEventListener('change', () => { this.chosen = this.pick.value; this.draw(); });
    this.shape = 'wide';
  }

  /** The wide graph, or the narrow one for a phone. */
  layout(name) {
    if (this.shape === name) return;
    this.shape = name;
    if (this.state) this.draw();
  }

  /** A new level or the sandbox: no move of the previous engine's containers. */
  reset() {
    this.last = [];
    this.state = null;
    this.chosen = null;
  }

  update(state, transitions) {
    this.state = state;
    if (transitions && transitions.length) {
      this.last = transitions;
      this.chosen = null;
      const name = transitions[transitions.length - 1].container;
      this.choices(state, name);
    } else {
      const kept = this.chosen && state.containers.some((c) => c.name === this.chosen);
      this.choices(state, kept ? this.chosen : liveFirst(state.containers));
    }
    this.draw();
  }

  choices(state, want) {
    const names = state.containers.map((c) => c.name);
    for (const t of this.last) if (!names.includes(t.container)) names.push(t.container);
    const label = (n) => { const c = state.containers.find((x) => x.name === n); return c ? longName(c) : n; };
    fill(this.pick, names.length ? names.map((n) => el('option', { value: n }, label(n))) : el('option', { value: '' }, '(no container yet)'));
    if (names.includes(want)) this.pick.value = want;
  }

  draw() {
    const name = this.pick.value;
    const c = this.state ? this.state.containers.find((x) => x.name === name) : null;
    const mine = this.last.filter((t) => t.container === name);
    const taken = mine.filter((t) => !t.refused);
    const refused = mine.filter((t) => t.refused);
    const narrow = this.shape === 'narrow';
    STATES = narrow ? NARROW_STATES : WIDE_STATES;
    RX = narrow ? 50 : 58;
    const rx = RX;
    const box = narrow ? [0, -34, 430, 560] : [0, -34, 600, 376];
    const s = svg('svg', { viewBox: box.join(' '), class: 'sm ' + this.shape, role: 'img', 'aria-labelledby': 'sm-title' },
      svg('title', { id: 'sm-title' }, 'The seven states of a container and the moves between them.'),
      svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' })),
      svg('marker', { id: 'arrow-taken', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 4, markerHeight: 4, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead taken' }))));
    const curves = EDGES.map(([from, to]) => edgeCurve(from, to, bendOf(from, to)));
    const texts = EDGES.map(([from, to, text]) => (narrow && NARROW_TEXT[`${from}>${to}`]) || text);
    const spots = bestLabels(texts.map((text, i) => ({ q: curves[i], text })), curves, narrow ? 17 : 15,
      [box[0], box[1], box[0] + box[2], box[1] + box[3]]);
    EDGES.forEach(([from, to], i) => {
      const label = texts[i];
      const hit = taken.some((t) => t.from === from && t.to === to);
      s.append(svg('path', { d: pathOf(curves[i]), class: 'edge' + (hit ? ' taken' : ''), 'data-edge': `${from}>${to}`, 'marker-end': hit ? 'url(#arrow-taken)' : 'url(#arrow)' }));
      const [lx, ly] = spots[i];
      // Two lines when the label has a line break, centred on its spot.
      const lines = label.split('\n');
      const fs = narrow ? 17 : 15;
      const top = ly + fs * 0.35 - ((lines.length - 1) * fs * 1.2) / 2;
      s.append(svg('text', { x: lx.toFixed(1), y: top.toFixed(1), 'text-anchor': 'middle', class: 'edge-label' + (hit ? ' taken' : ''), 'data-edge': `${from}>${to}` },
        lines.map((l, k) => svg('tspan', { x: lx.toFixed(1), dy: k ? `${fs * 1.2}` : '0' }, l))));
    });
    for (const t of refused) {
      if (!STATES[t.from] || !STATES[t.to]) continue;
      const { d, mx, my } = t.from === t.to ? {} : edgePoints(t.from, t.to, -1.2);
      if (t.from === t.to) {
        const [x, y] = STATES[t.from];
        s.append(svg('path', { d: `M${x - 20},${y - 22} C${x - 40},${y - 70} ${x + 40},${y - 70} ${x + 20},${y - 22}`, class: 'edge refused', 'marker-end': 'url(#arrow)' }));
        s.append(svg('text', { x, y: y - 62, 'text-anchor': 'middle', class: 'edge-label refused' }, `${t.action} refused`));
      } else {
        s.append(svg('path', { d, class: 'edge refused', 'marker-end': 'url(#arrow)' }));
        s.append(svg('text', { x: mx, y: my, 'text-anchor': 'middle', class: 'edge-label refused' }, `${t.action} refused`));
      }
    }
    for (const [st, [x, y]] of Object.entries(STATES)) {
      const current = c && c.state === st;
      s.append(svg('g', { class: 'state' + (current ? ' current' : '') },
        svg('ellipse', { cx: x, cy: y, rx, ry: 22 }),
        svg('text', { x, y: y + 5, 'text-anchor': 'middle' }, st)));
    }
    const words = [];
    if (!name) words.push('No container yet: run one to see its lifecycle.');
    else words.push(c ? `Container ${name} is ${c.state}${c.state === 'exited' ? ` with exit code ${c.exit_code}` : ''}.` : `Container ${name} no longer exists.`);
    for (const t of taken) words.push(`${t.action} moved it from ${t.from} to ${t.to}.`);
    for (const t of refused) words.push(`${t.action} from ${t.from} was refused: ${t.refused}`);
    this.live.textContent = words.join(' ');
    // The container picker and the notes sit beside the graph, which keeps the panel's full height.
    const note = el('ul', { class: 'sm-notes' }, words.map((w) => el('li', null, w)));
    fill(this.root, s, el('div', { class: 'sm-side' }, this.pick.parentElement, note));
  }
}

