// The container lifecycle: the seven states of a container and the moves
// between them, each edge an arrow with its label beside it, the picked
// container's state lit and the last command's moves drawn over it.
// Split out of diagrams.js (which re-exports it).

import { el, svg, fill } from './dom.js';
import { longName, liveFirst } from './swarm.js';

const $ = (id) => document.getElementById(id);


const WIDE_STATES = {
  created: [80, 45], running: [300, 45], paused: [520, 45],
  exited: [80, 185], restarting: [520, 185],
  removing: [300, 300], dead: [520, 300],
};
// On a phone: the same graph drawn narrower (430 wide instead of 600), so
// it fits the screen whole at a readable size instead of being clipped.
// Taller too: the rows further apart leave room for every label beside its own edge.
const NARROW_STATES = Object.fromEntries(Object.entries(WIDE_STATES).map(([k, [x, y]]) => [k, [Math.round(58 + (x - 80) * 0.71), Math.round(45 + (y - 45) * 1.6)]]));
let STATES = WIDE_STATES;
/** A state's ellipse: its half-width (per layout) and half-height. */
let RX = 58;
const RY = 22;
const EDGES = [
  ['created', 'running', 'start'], ['running', 'paused', 'pause'], ['paused', 'running', 'unpause'],
  ['running', 'exited', 'stop, kill\nor exit'], ['exited', 'running', 'start'],
  ['running', 'restarting', 'restart policy'], ['restarting', 'running', 'restarted'], ['restarting', 'exited', 'stop'],
  ['created', 'removing', 'rm'], ['exited', 'removing', 'rm'], ['running', 'removing', 'rm -f'],
  ['removing', 'dead', 'failed removal'],
];

// The narrow graph's longer labels, on more lines.
const NARROW_TEXT = { 'running>restarting': 'restart\npolicy', 'running>exited': 'stop /\nkill /\nexit', 'removing>dead': 'failed\nremoval' };

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

/**
 * Places each edge's label beside its own edge, at the first spot (middle
 * first, either side, nearer first) where it crosses no edge, no state and
 * no other label. Returns the centres of the labels' boxes.
 */
function placeLabels(items, curves, fs, view) {
  const pts = curves.flatMap((q) => Array.from({ length: 61 }, (_, i) => bez(q, i / 60)));
  for (const [x, y] of Object.values(STATES)) {
    for (let i = 0; i < 32; i++) pts.push([x + (RX + 2) * Math.cos(i * Math.PI / 16), y + (RY + 2) * Math.sin(i * Math.PI / 16)]);
  }
  const placed = [];
  // How much a box hits: points of lines and ellipses in it, states' centres, labels.
  const clash = (b) => (b.x0 < view[0] || b.y0 < view[1] || b.x1 > view[2] || b.y1 > view[3] ? 100 : 0)
    + pts.filter(([x, y]) => x > b.x0 - 2 && x < b.x1 + 2 && y > b.y0 - 2 && y < b.y1 + 2).length
    + 50 * Object.values(STATES).filter(([x, y]) => x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1).length
    + 50 * placed.filter((o) => b.x0 < o.x1 + 3 && o.x0 < b.x1 + 3 && b.y0 < o.y1 + 3 && o.y0 < b.y1 + 3).length;
  return items.map(({ q, text }) => {
    const lines = text.split('\n');
    const w = Math.max(...lines.map((l) => l.length)) * fs * 0.62 + 4;
    const h = lines.length * fs * 1.2 + fs * 0.05 + 2;
    // A bent edge's label goes on its outer side first (its pair's is inside).
    const mid = bez(q, 0.5);
    const bulge = [mid[0] - (q[0][0] + q[2][0]) / 2, mid[1] - (q[0][1] + q[2][1]) / 2];
    let best = null;
    let score = Infinity;
    search: for (const off of [4, 10, 18, 28, 40]) {
      for (const t of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82]) {
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
          const k = clash(b);
          if (k < score) { best = b; score = k; }
          if (!k) break search;
        }
      }
    }
    placed.push(best);
    return [(best.x0 + best.x1) / 2, (best.y0 + best.y1) / 2];
  });
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
    RX = narrow ? 54 : 58;
    const rx = RX;
    const box = narrow ? [0, -34, 430, 530] : [0, -34, 600, 362];
    const s = svg('svg', { viewBox: box.join(' '), class: 'sm ' + this.shape, role: 'img', 'aria-labelledby': 'sm-title' },
      svg('title', { id: 'sm-title' }, 'The seven states of a container and the moves between them.'),
      svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' })),
      svg('marker', { id: 'arrow-taken', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 4, markerHeight: 4, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead taken' }))));
    const curves = EDGES.map(([from, to]) => edgeCurve(from, to, EDGES.some(([f, t]) => f === to && t === from) ? 1 : 0));
    const texts = EDGES.map(([from, to, text]) => (narrow && NARROW_TEXT[`${from}>${to}`]) || text);
    const spots = placeLabels(texts.map((text, i) => ({ q: curves[i], text })), curves, narrow ? 17 : 15,
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

