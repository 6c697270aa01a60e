// The views beside the terminal: the architecture with its animated
// requests, the wire inspector, the container state machine, the process
// lens and VMs against containers. Each one draws from the JSON the module
// returns (see docs/playground.md) and says in words what it shows, in an
// aria-live region, for screen readers.

import { el, svg, fill, reducedMotion, pretty, shortPath, plural } from './dom.js';
import { SwarmPicture, shortName, longName, groupedNames } from './swarm.js';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- architecture

const LABELS = {
  client: ['docker CLI', 'the client'], daemon: ['dockerd', 'the daemon'], remote: ['remote dockerd', 'another machine'],
  registry: ['registry', 'images to pull and push'], containers: ['containers', ''], images: ['images', ''],
  networks: ['networks', ''], volumes: ['volumes', ''],
};
// Two layouts of the same boxes: wide beside the terminal on a desktop, tall
// (one phone's width, text at 1:1) on a narrow screen.
const LAYOUTS = {
  wide: {
    view: [600, 300], api: [167, 176],
    client: [5, 120, 120, 66], daemon: [210, 105, 150, 96], remote: [210, 5, 150, 58], registry: [210, 240, 150, 58],
    containers: [430, 5, 165, 62], images: [430, 82, 165, 62], networks: [430, 159, 165, 62], volumes: [430, 236, 165, 62],
  },
  tall: {
    // The request's label stays in the gap between the client and the
    // daemon (over a box, it hid the CLI on a phone).
    view: [360, 520], api: [60, 118], label: [352, 112],
    client: [15, 10, 155, 64], remote: [190, 10, 155, 64], daemon: [95, 140, 170, 84],
    containers: [10, 280, 165, 64], images: [185, 280, 165, 64], networks: [10, 356, 165, 64], volumes: [185, 356, 165, 64],
    registry: [95, 446, 170, 64],
  },
};

/** Where the line from box a towards box b leaves a's border. */
function border(a, b) {
  const ca = [a.x + a.w / 2, a.y + a.h / 2];
  const cb = [b.x + b.w / 2, b.y + b.h / 2];
  const dx = cb[0] - ca[0];
  const dy = cb[1] - ca[1];
  const t = Math.min(dx ? (a.w / 2) / Math.abs(dx) : Infinity, dy ? (a.h / 2) / Math.abs(dy) : Infinity);
  return [ca[0] + dx * t, ca[1] + dy * t];
}

export class Architecture {
  constructor() {
    this.root = $('arch');
    this.live = $('arch-live');
    this.queue = Promise.resolve();
    this.generation = 0;
    this.state = null;
    this.swarm = new SwarmPicture();
    this.root.after(this.swarm.root);
    this.layout('wide');
  }

  /** Draws the boxes in the wide or the tall layout. */
  layout(name) {
    if (this.shape === name) return;
    this.shape = name;
    this.generation++;
    const L = LAYOUTS[name];
    this.box = {};
    for (const k of Object.keys(LABELS)) { const [x, y, w, h] = L[k]; this.box[k] = { x, y, w, h }; }
    this.nodes = {};
    const B = this.box;
    const s = svg('svg', { viewBox: `0 0 ${L.view[0]} ${L.view[1]}`, class: 'arch ' + name, role: 'img', 'aria-labelledby': 'arch-title' },
      svg('title', { id: 'arch-title' }, 'Docker architecture: the client talks to the daemon over a REST API; the daemon manages containers, images, networks and volumes, and pulls from and pushes to a registry.'));
    const line = (a, b, cls) => {
      const [x1, y1] = border(B[a], B[b]);
      const [x2, y2] = border(B[b], B[a]);
      s.append(svg('line', { x1, y1, x2, y2, class: cls || 'wire-line' }));
    };
    line('client', 'daemon');
    line('client', 'remote', 'wire-line remote-line');
    line('daemon', 'registry');
    for (const k of ['containers', 'images', 'networks', 'volumes']) line('daemon', k, 'own-line');
    s.append(svg('text', { x: L.api[0], y: L.api[1], class: 'api-label', 'text-anchor': 'middle' }, 'REST API'));
    s.append(svg('text', { x: L.api[0], y: L.api[1] + 18, class: 'api-sub', 'text-anchor': 'middle' }, 'HTTP'));
    for (const [k, [label, subText]] of Object.entries(LABELS)) {
      const b = B[k];
      const g = svg('g', { class: 'node node-' + k });
      g.append(svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }));
      g.append(svg('text', { x: b.x + b.w / 2, y: b.y + b.h / 2 - 4, 'text-anchor': 'middle', class: 'node-label' }, label));
      const sub = svg('text', { x: b.x + b.w / 2, y: b.y + b.h / 2 + 16, 'text-anchor': 'middle', class: 'node-sub' }, subText);
      g.append(sub);
      s.append(g);
      this.nodes[k] = { g, sub, box: b };
    }
    this.packet = svg('g', { class: 'packet', opacity: 0 },
      svg('circle', { r: 7, cx: 0, cy: 0 }),
      svg('text', { x: 0, y: -12, 'text-anchor': 'middle', class: 'packet-label' }, ''));
    s.append(this.packet);
    this.label = L.label ? svg('text', { x: L.label[0], y: L.label[1], 'text-anchor': 'end', class: 'packet-label fixed-label' }, '') : null;
    if (this.label) s.append(this.label);
    fill(this.root, s);
    if (this.state) this.update(this.state);
  }

  /** Forgets the last command (a new level starts). */
  reset() {
    this.generation++;
    this.queue = Promise.resolve();
    this.root.dataset.playing = '0';
    for (const n of Object.values(this.nodes)) n.g.classList.remove('hot');
    this.packet.setAttribute('opacity', 0);
    if (this.label) this.label.textContent = '';
    this.live.textContent = '';
  }

  /** Updates the counts in the boxes from the engine state. */
  update(state) {
    this.state = state;
    // Task containers are drawn under their service (swarm.js), not here.
    const own = state.containers.filter((c) => !c.task);
    const tasks = state.containers.length - own.length;
    const running = own.filter((c) => c.state === 'running').length;
    this.nodes.containers.sub.textContent = tasks ? `${own.length} + ${tasks} in services` : `${own.length} (${running} running)`;
    this.nodes.daemon.sub.textContent = state.swarm ? 'swarm manager' : LABELS.daemon[1];
    this.nodes.daemon.g.classList.toggle('manager', Boolean(state.swarm));
    this.swarm.update(state);
    this.nodes.images.sub.textContent = plural(state.images.length, 'image');
    this.nodes.networks.sub.textContent = plural(state.networks.length, 'network');
    this.nodes.volumes.sub.textContent = plural(state.volumes.length, 'volume');
    this.nodes.registry.sub.textContent = plural(state.registry.length, 'repository', 'repositories');
    this.nodes.remote.sub.textContent = state.context === 'remote'
      ? `in use: ${plural(state.remote_containers.length, 'container')}` : `${plural(state.remote_containers.length, 'container')}`;
    this.nodes.remote.g.classList.toggle('active', state.context === 'remote');
  }

  /** Animates the exchanges of one command and describes them. */
  show(outcome) {
    const gen = ++this.generation;
    const ex = outcome.exchanges;
    if (ex.length === 0) {
      this.live.textContent = `${outcome.command}: no request reached the daemon (the client answered by itself).`;
      return;
    }
    const words = ex.slice(0, 6).map((e) => `${e.method} ${shortPath(e.path)} answered ${e.status}`).join('; ');
    this.live.textContent = `${outcome.command}: the client sent ${plural(ex.length, 'HTTP request')} to the ${ex[0].daemon === 'remote' ? 'remote ' : ''}daemon: ${words}${ex.length > 6 ? '; and more' : ''}.`;
    const motion = !reducedMotion();
    for (const e of ex.slice(0, 8)) {
      this.queue = this.queue.then(() => (gen === this.generation ? this.animate(e, motion) : null));
    }
    // `data-playing` says whether a command's packets are still on their
    // way (a later command's picture waits for them).
    this.root.dataset.playing = '1';
    const done = (this.queue = this.queue.then(() => {
      if (this.queue === done) this.root.dataset.playing = '0';
    }));
  }

  /**
   * The boxes an exchange touches. The containers, images, networks and
   * volumes boxes are the local daemon's: a request to the remote daemon
   * lights the remote box (and the registry it pulls from) only.
   */
  touched(e) {
    const p = shortPath(e.path);
    const hit = [];
    if (p === '/images/create' || p.endsWith('/push')) hit.push('registry');
    if (e.daemon === 'remote') return hit;
    if (p.startsWith('/containers') || p.startsWith('/exec')) hit.push('containers');
    if (p.startsWith('/images') || p.startsWith('/build') || p.startsWith('/commit')) hit.push('images');
    if (p.startsWith('/networks')) hit.push('networks');
    if (p.startsWith('/volumes')) hit.push('volumes');
    return hit;
  }

  async animate(e, motion) {
    const daemon = e.daemon === 'remote' ? 'remote' : 'daemon';
    const hit = this.touched(e);
    const label = this.packet.querySelector('text');
    const a = border(this.box.client, this.box[daemon]);
    const b = border(this.box[daemon], this.box.client);
    const flash = (keys, on) => keys.forEach((k) => this.nodes[k].g.classList.toggle('hot', on));
    flash([daemon, ...hit], true);
    if (!motion) {
      setTimeout(() => flash([daemon, ...hit], false), 600);
      return;
    }
    const packet = this.packet;
    const move = async (p, q, text, cls) => {
      label.textContent = this.label ? '' : text;
      if (this.label) this.label.textContent = text;
      packet.setAttribute('class', 'packet ' + cls);
      packet.setAttribute('opacity', 1);
      const anim = packet.animate(
        [{ transform: `translate(${p[0]}px, ${p[1]}px)` }, { transform: `translate(${q[0]}px, ${q[1]}px)` }],
        { duration: 260, easing: 'ease-in-out', fill: 'forwards' });
      await anim.finished.catch(() => {});
    };
    await move(a, b, `${e.method} ${shortPath(e.path).replace(/[0-9a-f]{64}/, (id) => id.slice(0, 12) + '…')}`, 'request');
    await move(b, a, String(e.status), e.status >= 400 ? 'response error' : 'response');
    packet.setAttribute('opacity', 0);
    if (this.label) this.label.textContent = '';
    flash([daemon, ...hit], false);
  }
}

// ---------------------------------------------------------------- wire inspector

const REASON = {
  101: 'Switching Protocols', 200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error',
};
// What a status means here, in a sentence a learner can use.
const STATUS_NOTE = {
  101: '101 Switching Protocols: the daemon turned this HTTP connection into a raw two-way stream. From now on it carries the container\'s input and output, not HTTP: that is how docker attach, docker run without -d and docker exec -it let you type into the process and see what it prints.',
  200: '200 OK: the daemon answered with what was asked.',
  201: '201 Created: the daemon made a new object; the answer carries its id.',
  204: '204 No Content: done, and nothing to say back.',
  304: '304 Not Modified: the container was already in that state, so nothing changed.',
  400: '400 Bad Request: the request itself was wrong (a bad name or option).',
  401: '401 Unauthorized: the registry wants you to log in first.',
  404: '404 Not Found: no such container, image, network or volume.',
  409: '409 Conflict: the request clashes with the object\'s state (a name in use, a paused or stopped container).',
  500: '500 Internal Server Error: the daemon failed while doing it.',
};
/**
 * The sentence for an exchange's status. A create answered 404 "No such
 * image" is not a failure: it is how `docker run` learns it must pull first.
 */
function statusNote(e) {
  if (e.status === 404 && /\/containers\/create/.test(e.path) && /No such image/.test(e.response_body || '')) {
    return '404 Not Found: the image is not on this machine yet. That is the normal first step of docker run: the CLI now pulls the image (the next request) and then asks to create the container again.';
  }
  return STATUS_NOTE[e.status];
}

/** How many commands the wire view keeps. */
const WIRE_COMMANDS = 12;

/** A 64-character id shortened to docker's 12, with the rest on hover or focus. */
function shortIds(path) {
  return path.replace(/([0-9a-f]{12})[0-9a-f]{52}/g, '$1…');
}

export class Wire {
  constructor() {
    this.list = $('wire-list');
    this.detail = $('wire-detail');
    this.live = $('wire-live');
    this.reset();
  }

  /** Forgets every exchange (a new level starts). */
  reset() {
    this.groups = []; // newest first: { command, exchanges }
    this.selected = null;
    fill(this.list, el('p', { class: 'note' }, 'No command yet: the HTTP requests of each command you run appear here.'));
    fill(this.detail);
  }

  /** Records one command's exchanges (drawn when the view is visible). */
  add(outcome) {
    if (this.groups[0] && this.groups[0].outcome === outcome) return;
    this.groups.unshift({ outcome, command: outcome.command, exchanges: outcome.exchanges });
    this.groups.length = Math.min(this.groups.length, WIRE_COMMANDS);
    const first = outcome.exchanges.findIndex((e) => !e.path.endsWith('/_ping'));
    this.selected = outcome.exchanges.length ? [this.groups[0], first < 0 ? 0 : first] : null;
  }

  draw() {
    if (!this.groups.length) return;
    fill(this.list);
    this.groups.forEach((g, gi) => {
      const box = el('details', { class: 'wire-group' + (gi ? ' old' : ''), open: gi < 3 },
        el('summary', null, `$ ${g.command}`, el('span', { class: 'count' }, `  (${plural(g.exchanges.length, 'request')})`)));
      if (!g.exchanges.length) box.append(el('p', { class: 'note' }, 'No HTTP request: the client handled it alone.'));
      const ol = el('ol');
      g.exchanges.forEach((e, i) => {
        const path = shortPath(e.path);
        const b = el('button', { type: 'button', class: 'wire-item' + (e.status >= 400 ? ' bad' : ''), 'aria-pressed': 'false', title: `${e.method} ${path}` },
          el('span', { class: 'method' }, e.method), ' ',
          el('span', { class: 'path short', 'aria-hidden': 'true' }, shortIds(path)), el('span', { class: 'path full' }, path), ' → ',
          el('span', { class: 'status' }, `${e.status} ${REASON[e.status] || ''}`.trim()), e.daemon === 'remote' ? el('span', { class: 'tag' }, ' remote') : null);
        b.addEventListener('click', () => { this.selected = [g, i]; this.select(); });
        ol.append(el('li', null, b));
      });
      if (g.exchanges.length) box.append(ol);
      this.list.append(box);
    });
    this.select();
    const g = this.groups[0];
    this.live.textContent = `${plural(g.exchanges.length, 'exchange')} recorded for ${g.command}; earlier commands below it.`;
  }

  select() {
    if (!this.selected) { fill(this.detail); return; }
    const [g, i] = this.selected;
    const gi = this.groups.indexOf(g);
    const e = g.exchanges[i];
    if (!e || gi < 0) return;
    this.list.querySelectorAll('.wire-group').forEach((box, bj) => box.querySelectorAll('.wire-item').forEach((b, j) => b.setAttribute('aria-pressed', String(bj === gi && j === i))));
    const headers = (hs) => hs.map(([k, v]) => `${k}: ${v}`).join('\n');
    const req = `${e.method} ${e.path} HTTP/1.1\n${headers(e.request_headers)}${e.request_body ? '\n\n' + pretty(e.request_body) : ''}`;
    const res = `HTTP/1.1 ${e.status} ${REASON[e.status] || ''}\n${headers(e.response_headers)}${e.response_body ? '\n\n' + pretty(e.response_body) : ''}`;
    fill(this.detail,
      el('h3', null, `From $ ${g.command}`),
      statusNote(e) ? el('p', { class: 'status-note' }, statusNote(e)) : null,
      el('h3', null, 'Request', e.daemon === 'remote' ? ' (to the remote daemon)' : ''), el('pre', { class: 'req', tabindex: 0 }, req),
      el('h3', null, 'Response'), el('pre', { class: 'res', tabindex: 0 }, res));
  }
}

// ---------------------------------------------------------------- state machine

const WIDE_STATES = {
  created: [80, 45], running: [300, 45], paused: [520, 45],
  exited: [80, 185], restarting: [520, 185],
  removing: [300, 300], dead: [520, 300],
};
// On a phone: the same graph drawn narrower (430 wide instead of 600), so
// it fits the screen whole at a readable size instead of being clipped.
const NARROW_STATES = Object.fromEntries(Object.entries(WIDE_STATES).map(([k, [x, y]]) => [k, [Math.round(58 + (x - 80) * 0.71), y]]));
let STATES = WIDE_STATES;
// Labels the narrow graph places by hand (x, y, anchor): where the wide
// graph's rule put them, they ran off the edge or onto one another.
const NARROW_LABELS = {
  'running>restarting': [426, 132, 'end'], 'exited>removing': [122, 272, 'end'],
  'running>removing': [222, 252, 'start'], 'removing>dead': [292, 346, 'middle'],
};
const EDGES = [
  ['created', 'running', 'start'], ['running', 'paused', 'pause'], ['paused', 'running', 'unpause'],
  ['running', 'exited', 'stop / kill / exit'], ['exited', 'running', 'start'],
  ['running', 'restarting', 'restart policy', 0.7], ['restarting', 'running', ''], ['restarting', 'exited', ''],
  ['created', 'removing', 'rm', 0.35], ['exited', 'removing', 'rm'], ['running', 'removing', 'rm -f', 0.72],
  ['removing', 'dead', 'failed removal'],
];

/**
 * The curve of an edge (bent when it has a way back) and where its label
 * goes: beside the curve's middle, on the outer side, so that the two
 * labels of a pair never sit on each other.
 */
function edgePoints(from, to, bend, at = 0.5) {
  const [x1, y1] = STATES[from];
  const [x2, y2] = STATES[to];
  const cx = (x1 + x2) / 2 + bend * (y2 - y1) / 6;
  const cy = (y1 + y2) / 2 - bend * (x2 - x1) / 6;
  // The middle of the quadratic curve, and the unit normal pointing away from the chord.
  const u = 1 - at;
  const px = u * u * x1 + 2 * at * u * cx + at * at * x2;
  const py = u * u * y1 + 2 * at * u * cy + at * at * y2;
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  let nx = -(y2 - y1) / len;
  let ny = (x2 - x1) / len;
  if (bend > 0 || (bend === 0 && ny > 0)) { nx = -nx; ny = -ny; }
  const off = 12;
  return { d: `M${x1},${y1} Q${cx},${cy} ${x2},${y2}`, mx: px + nx * off, my: py + ny * off + 5, nx };
}

export class StateMachine {
  constructor() {
    this.root = $('sm');
    this.pick = $('sm-pick');
    this.live = $('sm-live');
    this.last = [];
    this.state = null;
    this.pick.addEventListener('change', () => this.draw());
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
  }

  update(state, transitions) {
    this.state = state;
    if (transitions && transitions.length) {
      this.last = transitions;
      const name = transitions[transitions.length - 1].container;
      this.choices(state, name);
    } else {
      this.choices(state, this.pick.value);
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
    const rx = narrow ? 54 : 58;
    const s = svg('svg', { viewBox: narrow ? '0 -34 430 388' : '0 -34 600 362', class: 'sm ' + this.shape, role: 'img', 'aria-labelledby': 'sm-title' },
      svg('title', { id: 'sm-title' }, 'The seven states of a container and the moves between them.'),
      svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
    for (const [from, to, label, at] of EDGES) {
      const back = EDGES.some(([f, t]) => f === to && t === from);
      const { d, mx, my, nx } = edgePoints(from, to, back ? 1 : 0, at);
      const hit = taken.some((t) => t.from === from && t.to === to);
      s.append(svg('path', { d, class: 'edge' + (hit ? ' taken' : ''), 'marker-end': 'url(#arrow)' }));
      const anchor = Math.abs(nx) < 0.3 ? 'middle' : nx > 0 ? 'start' : 'end';
      const [lx, ly, la] = (narrow && NARROW_LABELS[`${from}>${to}`]) || [mx, my, anchor];
      if (label) s.append(svg('text', { x: lx, y: ly, 'text-anchor': la, class: 'edge-label' + (hit ? ' taken' : '') }, label));
    }
    for (const t of refused) {
      if (!STATES[t.from] || !STATES[t.to]) continue;
      const { d, mx, my } = edgePoints(t.from, t.to, t.from === t.to ? 0 : -1.2);
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

// ---------------------------------------------------------------- process lens

export class ProcessLens {
  constructor() {
    this.root = $('pl');
    this.pick = $('pl-pick');
    this.live = $('pl-live');
    this.state = null;
    this.pick.addEventListener('change', () => this.draw());
  }

  update(state, prefer) {
    this.state = state;
    const names = state.containers.map((c) => c.name);
    const keep = prefer && names.includes(prefer) ? prefer : this.pick.value;
    fill(this.pick, names.length ? state.containers.map((c) => el('option', { value: c.name }, longName(c))) : el('option', { value: '' }, '(no container yet)'));
    if (names.includes(keep)) this.pick.value = keep;
    this.draw();
  }

  draw() {
    const c = this.state && this.state.containers.find((x) => x.name === this.pick.value);
    if (!c) {
      fill(this.root, el('p', null, 'No container yet. Run one (for example docker run -d --name web nginx) to look inside it.'));
      this.live.textContent = 'No container to inspect.';
      return;
    }
    const table = (caption, head, rows, mark) => el('table', null, el('caption', null, caption),
      el('thead', null, el('tr', null, head.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', null, rows.length ? rows.map((r) => el('tr', mark && mark(r) ? { class: 'mine' } : null, r.cells.map((x) => el('td', null, x))))
        : el('tr', null, el('td', { colspan: head.length }, 'no process: the container is not running'))));
    const inside = c.processes.map((p) => ({ cells: [p.pid, p.command] }));
    const host = [];
    for (const other of this.state.containers) {
      for (const p of other.processes) host.push({ cells: [p.host_pid, p.command, shortName(other)], mine: other.name === c.name });
    }
    host.sort((a, b) => a.cells[0] - b.cells[0]);
    const dl = el('dl', { class: 'facts' },
      el('dt', null, 'state'), el('dd', null, c.state + (c.state === 'exited' ? ` (exit code ${c.exit_code})` : '')),
      el('dt', null, 'hostname'), el('dd', null, c.hostname || '—'),
      el('dt', null, 'network interface'), el('dd', null, c.ip ? `${c.interface || 'eth0'} inet ${c.ip} on ${c.networks.join(', ')}` : `none (${c.networks.join(', ') || 'not attached'})`),
      el('dt', null, 'published ports'), el('dd', null, c.ports.length ? c.ports.join(', ') : 'none'),
      el('dt', null, 'mounts'), el('dd', null, c.mounts.length ? c.mounts.join(', ') : 'none'));
    const changes = el('ul', { class: 'changes' }, c.changes.length
      ? c.changes.map((ch) => el('li', null, el('span', { class: 'kind kind-' + ch.kind }, ch.kind), ' ', ch.path))
      : el('li', null, 'no change: its filesystem is exactly the image\'s layers'));
    fill(this.root,
      el('div', { class: 'lens' },
        table(`Inside ${shortName(c)}: its own PID namespace`, ['PID', 'COMMAND'], inside),
        table('On the host: the same processes, other PIDs', ['PID', 'COMMAND', 'CONTAINER'], host, (r) => r.mine)),
      dl, el('h3', null, 'Filesystem changes (docker diff)'), changes);
    const main = c.processes.find((p) => p.pid === 1);
    this.live.textContent = main
      ? `${c.name} runs ${c.processes.length} process${c.processes.length === 1 ? '' : 'es'}. Inside it, ${main.command} is PID 1; on the host the same process is PID ${main.host_pid}.`
      : `${c.name} is ${c.state}: no process runs, because a container lives only as long as its main process.`;
  }
}

// ---------------------------------------------------------------- VMs vs containers

// Illustrative orders of magnitude, not measurements.
const VM_BOOT = [['firmware', 2], ['guest kernel', 4], ['guest OS init', 12], ['app', 1]];
const CT_BOOT = [['namespaces + cgroups', 0.2], ['app', 0.8]];
const MB = { hostKernel: 500, hypervisor: 300, guestKernel: 300, guestOs: 700, app: 200, runtime: 50 };
const SECONDS = VM_BOOT.reduce((a, [, s]) => a + s, 0);
const CT_SECONDS = CT_BOOT.reduce((a, [, s]) => a + s, 0);
/** The time axis: 0 to 20 s, in steps of 5. */
const AXIS = 20;
/** Animation seconds per illustrative second: a VM's boot plays in about 4 s. */
const PLAY = 0.2;
/** The class of a timeline segment: "guest OS init" → seg-guest-os-init. */
export function segClass(name) {
  return 'seg seg-' + name.toLowerCase().replace(/[^a-z]+/g, '-');
}

/**
 * A bar's label that does not fit its segment is dropped (its title keeps
 * it): a squashed "guest ker" helps nobody. Measured once the view is laid
 * out, and only while it shows.
 */
function fitLabels(root) {
  const fit = () => {
    if (!root.offsetParent) return;
    for (const s of root.querySelectorAll('.seg, .mem')) if (s.textContent && s.scrollWidth > s.clientWidth + 1) s.textContent = '';
  };
  // Not at once: reading widths in the middle of a command forces a layout.
  requestAnimationFrame(fit);
}

export class VmsVsContainers {
  constructor() {
    this.root = $('vms');
    this.live = $('vm-live');
    this.n = $('vm-n');
    this.out = $('vm-n-out');
    this.apps = []; // the containers the learner started: { name, image, fresh }
    this.seen = new Set();
    this.what = false; // the slider asks "what if" until the next command
    this.n.addEventListener('input', () => { this.what = true; this.draw(); });
    // Plays every row's start again, VMs and containers side by side.
    $('vm-replay').addEventListener('click', () => { this.replay = true; this.draw(); this.replay = false; });
    // Drawn while hidden (another pane on a phone), the labels are fitted when it shows.
    if (window.ResizeObserver) new ResizeObserver(() => fitLabels(this.root)).observe(this.root);
    this.draw();
  }

  /**
   * A new level: the containers already there (setup) are not news; the
   * slider starts again; `invite` is the level's first step in words (the
   * empty view names it, not another level's command).
   */
  reset(state, invite) {
    this.invite = invite || null;
    this.seen = new Set(state.containers.map((c) => c.id));
    this.what = false;
    this.apps = [];
    this.n.value = '1';
    this.update(state, null);
  }

  /**
   * Follows the learner: every container that has run (running or exited)
   * is one app, started once as a container and, beside it, as a VM. The
   * containers new since the last drawing boot in front of the learner.
   */
  update(state, outcome) {
    if (outcome) this.what = false;
    this.apps = state.containers.filter((c) => c.state !== 'created').map((c) => ({
      name: shortName(c), task: c.task, image: c.image, fresh: !this.seen.has(c.id), running: ['running', 'paused', 'restarting'].includes(c.state),
    }));
    for (const c of state.containers) if (c.state !== 'created') this.seen.add(c.id);
    if (this.apps.length) this.n.value = String(Math.min(8, this.apps.length));
    this.draw();
  }

  draw() {
    const motion = !reducedMotion();
    const apps = this.what || !this.apps.length
      ? Array.from({ length: this.what ? Number(this.n.value) : 0 }, (_, i) => ({ name: `app ${i + 1}`, image: '', fresh: true, running: true }))
      : this.apps.slice(0, 8);
    if (this.replay) apps.forEach((a) => { a.fresh = true; });
    const n = apps.length;
    // Memory counts what runs now: an exited container (and the VM that
    // would have shut down with its app) holds none.
    const live = apps.filter((a) => a.running).length;
    this.out.textContent = String(Number(this.n.value));
    const pct = (secs) => `${(100 * secs) / AXIS}%`;
    const row = (label, cls, parts, total, fresh, delay) => {
      const track = el('div', { class: 'track' });
      let at = delay;
      for (const [name, secs] of parts) {
        const seg = el('span', { class: segClass(name), title: `${name}: about ${secs} s` }, secs / AXIS > 0.12 ? name : '');
        seg.style.width = pct(secs);
        if (fresh && motion) { seg.style.setProperty('--d', `${secs * PLAY}s`); seg.style.setProperty('--at', `${at}s`); } else seg.style.animation = 'none';
        at += secs * PLAY;
        track.append(seg);
      }
      const time = el('span', { class: 'bar-time' }, total < 2 ? `~${total} s` : `~${total} s`);
      if (fresh && motion) time.style.setProperty('--at', `${at}s`); else time.style.animation = 'none';
      return el('div', { class: 'bar-row' }, el('span', { class: 'bar-name ' + cls, title: label }, label), track, time);
    };
    const legend = (items) => el('ul', { class: 'legend' }, items.map(([name, color]) => {
      const li = el('li', null, name);
      li.style.setProperty('--c', `var(${color})`);
      return li;
    }));
    // One pair of boot bars (the app just run, which plays): every other app
    // boots the same way, and the memory below (the payoff) and the slider
    // stay in view.
    const rows = [];
    const drawn = [apps.find((a) => a.fresh) || apps[0]].filter(Boolean);
    drawn.forEach((a, i) => {
      rows.push(row(`VM for ${a.name}`, 'vm', VM_BOOT, SECONDS, a.fresh, 0));
      rows.push(row(`container ${a.name}`, 'ct', CT_BOOT, CT_SECONDS, a.fresh, 0));
      if (i < drawn.length - 1) rows.push(el('div', { class: 'gap' }));
    });
    const more = apps.filter((a) => !drawn.includes(a));
    if (more.length) {
      const names = groupedNames(more).join(', ');
      rows.push(el('p', { class: 'sub more-apps' }, `…and ${plural(more.length, 'more app')} (${names}), each booting the same way.`));
    }
    // Before the first run: the two empty lanes the first command will fill.
    const waiting = (label, cls) => el('div', { class: 'wait-row' }, el('span', { class: 'bar-name ' + cls }, label),
      el('div', { class: 'track waiting' }, el('span', null, 'starts with your first docker run')), el('span'));
    if (!n) rows.push(waiting('VM for your app', 'vm'), waiting('container', 'ct'));
    const ticks = el('div', { class: 'axis' }, el('span'), el('div', { class: 'ticks' }, [0, 5, 10, 15, AXIS].map((t) => el('span', null, `${t} s`))), el('span'));
    // Memory on one scale for both: the VMs' bar is the full width.
    const vmParts = [['hypervisor', MB.hypervisor, 'hv'], ['host kernel', MB.hostKernel, 'kernel']];
    for (let i = 1; i <= live; i++) vmParts.push([`guest kernel ${i}`, MB.guestKernel, 'kernel'], [`guest OS ${i}`, MB.guestOs, 'os'], [`app ${i}`, MB.app, 'app']);
    const ctParts = [['host kernel (shared)', MB.hostKernel, 'kernel'], ['runtime', MB.runtime, 'rt']];
    for (let i = 1; i <= live; i++) ctParts.push([`app ${i}`, MB.app, 'app']);
    const sum = (parts) => parts.reduce((a, [, mb]) => a + mb, 0);
    const vmMem = sum(vmParts);
    const ctMem = sum(ctParts);
    const memRow = (label, parts, total) => {
      const bar = el('div', { class: 'mem-bar' });
      for (const [name, mb, cls] of parts) {
        const b = el('span', { class: 'mem ' + cls, title: `${name}: ${mb} MB` }, mb / vmMem > 0.1 ? name : '');
        b.style.width = `${(100 * mb) / vmMem}%`;
        bar.append(b);
      }
      return el('div', { class: 'mem-row' }, el('span', { class: 'bar-name' }, label), bar, el('span', { class: 'bar-time' }, `${(total / 1000).toFixed(1)} GB`));
    };
    const vms = plural(n, 'VM');
    const cts = plural(n, 'container');
    const stopped = n - live;
    const memNote = stopped
      ? `${plural(stopped, 'container')} exited and holds no memory (nor would its VM). A VM carries its own kernel and OS (${MB.guestKernel + MB.guestOs} MB); a container adds only its app (${MB.app} MB).`
      : `A VM carries its own kernel and OS (${MB.guestKernel + MB.guestOs} MB); a container adds only its app (${MB.app} MB) to the one shared kernel.`;
    fill(this.root, el('div', { class: 'vmc' },
      el('h3', null, n ? `Start: ${vms} against ${cts}` : 'Your host: one Linux kernel, no container yet'),
      el('p', { class: 'sub' }, n
        ? `A VM boots firmware, a kernel and an OS first (about ${SECONDS} s); a container is a process of the host's kernel (about ${CT_SECONDS} s).`
        : `${this.invite || 'Run a container'} and watch both start on one time axis: a VM boots firmware, a kernel and an OS (about ${SECONDS} s); a container is a process on the host's kernel (about ${CT_SECONDS} s). Or move the slider to compare.`),
      legend([['firmware', '--fw'], ['guest kernel', '--kern'], ['guest OS init', '--os'], ['namespaces + cgroups', '--rt'], ['app', '--ok']]),
      ticks, rows,
      el('h3', null, 'Memory now, to scale'),
      memRow(`VMs: ${live} running`, vmParts, vmMem), memRow(`containers: ${live} running`, ctParts, ctMem),
      el('p', { class: 'sub' }, n ? memNote : 'Before any app: a host for VMs already holds a hypervisor; a host for containers, only the container runtime.')));
    fitLabels(this.root);
    const who = this.what ? `${cts} (what if)` : n ? `Your ${cts}: ${groupedNames(apps).join(', ')}` : 'no container yet';
    this.live.textContent = `Illustrative: ${who}. As ${vms}, each would boot its own kernel and operating system, about ${SECONDS} s; as ${cts} they share the host kernel and start in about ${CT_SECONDS} s. Memory now, for the ${live} running: ${(vmMem / 1000).toFixed(1)} GB as VMs, ${(ctMem / 1000).toFixed(1)} GB as containers.`;
  }
}
