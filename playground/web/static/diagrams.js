// The views beside the terminal: the architecture with its animated
// requests, the wire inspector, the container state machine, the process
// lens and VMs against containers. Each one draws from the JSON the module
// returns (see docs/playground.md) and says in words what it shows, in an
// aria-live region, for screen readers.

import { el, svg, fill, reducedMotion, pretty, shortPath, plural } from './dom.js';
import { SwarmPicture, shortName, longName, liveFirst } from './swarm.js';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- architecture

const LABELS = {
  client: ['docker CLI', 'the client'], daemon: ['dockerd', 'the daemon'], remote: ['remote dockerd', 'another machine'],
  registry: ['registry', 'images to pull and push'], containers: ['containers', ''], images: ['images', ''],
  networks: ['networks', ''], volumes: ['volumes', ''],
};
// Two layouts of the same boxes: wide beside the terminal on a desktop, tall
// (one phone's width, text at 1:1) on a narrow screen. `label`: where a
// request's words are written while its dot flies (anchored at their
// start), clear of every box: above the client on a desktop (over the
// arrow they covered the docker CLI's title), beside the arrow on a phone.
const LAYOUTS = {
  wide: {
    view: [600, 300], api: [167, 176], label: [5, 96],
    // A curl to a published port: from the terminal (the client's side of
    // the host) up and over, straight into the containers box, clear of
    // the daemon and of the REST API line (`curl`: the path, its words).
    curl: { d: 'M65,120 V70 H424', label: [72, 63] },
    client: [5, 120, 120, 66], daemon: [210, 105, 150, 96], remote: [210, 5, 150, 58], registry: [210, 240, 150, 58],
    // The containers box is taller: a second line under its count (the
    // published ports, or the replicas that keep failing).
    containers: [430, 5, 165, 80], images: [430, 92, 165, 62], networks: [430, 164, 165, 62], volumes: [430, 236, 165, 62],
  },
  tall: {
    // Compact, so a swarm's panel under it is in view on a phone: the
    // daemon's boxes in a column at its right, each reached by its own
    // line (`bus`; the lines to networks and volumes crossed the registry's).
    // A request's method and path are two lines right of the arrow, in
    // place of "REST API" (`twoLines`).
    // The containers box starts below the request's words (two lines
    // beside the arrow, down to y 113).
    view: [360, 372], api: [135, 92], label: [97, 91], twoLines: true, bus: true,
    curl: { d: 'M160,36 H185 V128 H194', label: [191, 100], short: true },
    client: [10, 8, 150, 56], remote: [200, 8, 150, 56], daemon: [10, 130, 150, 84], registry: [10, 292, 150, 62],
    containers: [200, 116, 150, 70], images: [200, 192, 150, 54], networks: [200, 252, 150, 54], volumes: [200, 312, 150, 54],
  },
};

/**
 * How many lines `docker images` lists: one per tag (the CLI prints a row
 * for each of an image's tags and none for an untagged image, such as a
 * build's intermediate one). The box counted every stored image: it said
 * 4 images where docker images listed 3 (walk7 finding 11).
 */
export function listedImages(images) {
  return images.reduce((n, i) => n + i.tags.length, 0);
}

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
    this.remoteUsed = false;
    this.root.classList.add('no-remote');
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
    ['containers', 'images', 'networks', 'volumes'].forEach((k, i) => {
      if (!L.bus) { line('daemon', k, 'own-line'); return; }
      // A phone: out of the daemon's right side, down the gap, into the
      // box; the lower a box, the nearer the daemon its line turns down,
      // so no two lines cross.
      const y = B.daemon.y + 15 + 20 * i;
      const to = B[k].y + B[k].h / 2;
      const x = B.daemon.x + B.daemon.w + 8 + 8 * (3 - i);
      s.append(svg('path', { d: `M${B.daemon.x + B.daemon.w},${y} H${x} V${to} H${B[k].x}`, class: 'own-line' }));
    });
    s.append(svg('text', { x: L.api[0], y: L.api[1], class: 'api-label', 'text-anchor': 'middle' }, 'REST API'));
    s.append(svg('text', { x: L.api[0], y: L.api[1] + 18, class: 'api-sub', 'text-anchor': 'middle' }, 'HTTP'));
    for (const [k, [label, subText]] of Object.entries(LABELS)) {
      const b = B[k];
      const g = svg('g', { class: 'node node-' + k });
      g.append(svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }));
      // The containers box has three lines: its name, the count, then the
      // published ports or the failing replicas (`more`).
      const three = k === 'containers';
      const top = three ? b.y + 23 : b.y + b.h / 2 - 4;
      g.append(svg('text', { x: b.x + b.w / 2, y: top, 'text-anchor': 'middle', class: 'node-label' }, label));
      const sub = svg('text', { x: b.x + b.w / 2, y: top + 20, 'text-anchor': 'middle', class: 'node-sub' }, subText);
      g.append(sub);
      const more = three ? svg('text', { x: b.x + b.w / 2, y: top + 40, 'text-anchor': 'middle', class: 'node-sub node-more' }) : null;
      if (more) g.append(more, svg('title'));
      s.append(g);
      this.nodes[k] = { g, sub, more, box: b };
    }
    // The path of a curl to a published port (noRequest), shown until the
    // next command: host port → container, not through the daemon.
    s.append(svg('defs', null, svg('marker', { id: 'curl-head', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'curl-head' }))));
    this.curlWords = svg('text', { x: L.curl.label[0], y: L.curl.label[1], class: 'curl-label' });
    this.curl = svg('g', { class: 'curl-path', visibility: 'hidden' },
      svg('path', { d: L.curl.d, class: 'curl-line', 'marker-end': 'url(#curl-head)' }), this.curlWords);
    s.append(this.curl);
    this.packet = svg('g', { class: 'packet', opacity: 0 }, svg('circle', { r: 7, cx: 0, cy: 0 }));
    s.append(this.packet);
    this.label = svg('text', { x: L.label[0], y: L.label[1], class: 'packet-label fixed-label' });
    s.append(this.label);
    this.svg = s;
    fill(this.root, s);
    if (this.state) this.update(this.state);
  }

  /** Forgets the last command (a new level starts). */
  reset() {
    this.generation++;
    this.remoteUsed = false;
    this.root.classList.remove('via-remote');
    this.queue = Promise.resolve();
    this.root.dataset.playing = '0';
    for (const n of Object.values(this.nodes)) n.g.classList.remove('hot');
    this.packet.setAttribute('opacity', 0);
    this.curlPath(null);
    this.say('');
    this.live.textContent = '';
  }

  /** Shows the curl's path labelled `words`, or hides it (null). */
  curlPath(words) {
    this.curl.setAttribute('visibility', words ? 'visible' : 'hidden');
    this.curlWords.textContent = words || '';
  }

  /** Updates the counts in the boxes from the engine state. */
  update(state) {
    this.state = state;
    this.countContainers(state);
    this.nodes.daemon.sub.textContent = state.swarm ? 'swarm manager' : LABELS.daemon[1];
    this.nodes.daemon.g.classList.toggle('manager', Boolean(state.swarm));
    this.swarm.update(state);
    this.nodes.images.sub.textContent = plural(listedImages(state.images), 'image');
    this.nodes.networks.sub.textContent = plural(state.networks.length, 'network');
    this.nodes.volumes.sub.textContent = plural(state.volumes.length, 'volume');
    this.nodes.registry.sub.textContent = plural(state.registry.length, 'repository', 'repositories');
    this.nodes.remote.sub.textContent = state.context === 'remote'
      ? `in use: ${plural(state.remote_containers.length, 'container')}` : `${plural(state.remote_containers.length, 'container')}`;
    this.nodes.remote.g.classList.toggle('active', state.context === 'remote');
    // The remote daemon's box means nothing until one is used (-H or a
    // context): it shows from then on (until a new level).
    if (state.context === 'remote' || state.remote_containers.length) this.remoteUsed = true;
    this.root.classList.toggle('no-remote', !this.remoteUsed);
  }

  /**
   * The containers box: what runs (a service's replicas among it), then
   * the ports published to the host, or the replicas that keep failing
   * (each retry is a new task container that exited: they are counted as
   * tries, not as containers).
   */
  countContainers(state) {
    const node = this.nodes.containers;
    // Task containers are drawn under their service (swarm.js), not here.
    const own = state.containers.filter((c) => !c.task);
    const tasks = state.containers.length - own.length;
    const running = own.filter((c) => c.state === 'running').length;
    const replicas = state.containers.filter((c) => c.task && c.state === 'running').length;
    node.sub.textContent = tasks ? `${running + replicas} running${replicas ? ` (${plural(replicas, 'replica')})` : ''}` : `${own.length} (${running} running)`;
    let failing = 0;
    let tries = 0;
    for (const svc of (state.swarm && state.swarm.services) || []) {
      const failed = svc.tasks.filter((t) => t.state === 'failed' || t.state === 'rejected').length;
      if (failed && svc.running < svc.desired) { failing += svc.desired - svc.running; tries += failed; }
    }
    const ports = own.filter((c) => c.state === 'running').flatMap((c) => c.ports.map((p) => {
      const m = /:(\d+)->(\d+)/.exec(p);
      return m ? { host: m[1], port: m[2], name: c.name } : null;
    })).filter(Boolean);
    node.g.classList.toggle('failing', failing > 0);
    if (failing) {
      node.more.textContent = `${failing} failing (${plural(tries, 'try', 'tries')})`;
      node.g.lastChild.textContent = `${plural(failing, 'replica')} of a service keep failing: ${plural(tries, 'try', 'tries')} so far, each a new task container that exited at once.`;
    } else if (ports.length) {
      // One port in words (two overflowed the box); the others counted.
      node.more.textContent = `host :${ports[0].host} → :${ports[0].port}${ports.length > 1 ? ` +${ports.length - 1}` : ''}`;
      node.g.lastChild.textContent = ports.map((p) => `the host's port ${p.host} is published to port ${p.port} of ${p.name}`).join('; ');
    } else {
      node.more.textContent = '';
      node.g.lastChild.textContent = '';
    }
  }

  /**
   * The caption of a command that sent no request: `curl` (not the docker
   * client) went to a published port, which Docker forwards to the
   * container; the picture draws that path (host port → container).
   */
  noRequest(command) {
    this.curlPath(null);
    const curl = /^\s*curl\b/.test(command);
    if (!curl) return /^\s*docker\b/.test(command) ? `${command}: no request reached the daemon (the client answered by itself).`
      : `${command}: not a docker command, so no request went to the daemon.`;
    const m = /(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?/.exec(command);
    const port = m ? m[1] || '80' : null;
    const state = this.state || { containers: [] };
    const own = port && state.containers.find((c) => !c.task && c.state === 'running' && c.ports.some((p) => new RegExp(`:${port}->`).test(p)));
    const svc = port && state.swarm && state.swarm.services.find((s) => s.ports.some((p) => String(p.published) === port));
    if (own) {
      const to = /->(\d+)/.exec(own.ports.find((p) => new RegExp(`:${port}->`).test(p)))[1];
      this.nodes.containers.g.classList.add('hot');
      setTimeout(() => this.nodes.containers.g.classList.remove('hot'), 800);
      this.curlPath(LAYOUTS[this.shape].curl.short ? `curl → :${port}` : `curl → host :${port} → :${to}`);
      return `${command}: curl is not the docker client. The connection went to the host's published port ${port}; Docker's port forwarding sends it to port ${to} of ${own.name}; no API request to the daemon.`;
    }
    if (svc) return `${command}: curl is not the docker client. It went to port ${port} on the routing mesh, which sent it to a replica of ${svc.name}: no request to the daemon.`;
    return `${command}: curl is not the docker client, and no container publishes ${port ? `the host's port ${port}` : 'that port'}: no request went to the daemon.`;
  }

  /** Animates the exchanges of one command and describes them. */
  show(outcome, counters) {
    const gen = ++this.generation;
    const ex = outcome.exchanges;
    this.curlPath(null);
    if (ex.length === 0) {
      this.live.textContent = this.noRequest(outcome.command);
      return;
    }
    if (ex.some((e) => e.daemon === 'remote')) { this.remoteUsed = true; this.root.classList.remove('no-remote'); }
    // The line the requests travel is the lit one: the dashed line to the
    // remote daemon when they went there, the REST API line otherwise.
    this.root.classList.toggle('via-remote', ex[0].daemon === 'remote');
    // Ids cut to docker's 12 characters: the caption stays short enough to be whole.
    const words = ex.slice(0, 6).map((e) => `${e.method} ${shortIds(shortPath(e.path))} answered ${e.status}`).join('; ');
    this.live.textContent = `${outcome.command}: the client sent ${plural(ex.length, 'HTTP request')} to the ${ex[0].daemon === 'remote' ? 'remote ' : ''}daemon: ${words}${ex.length > 6 ? '; and more' : ''}.`;
    const motion = !reducedMotion();
    for (const e of ex.slice(0, 8)) {
      this.queue = this.queue.then(() => (gen === this.generation ? this.animate(e, motion) : null));
      // `counters`: the boxes show the state after the command once its
      // container is created (the welcome's preview, whose boxes start at
      // the state before it).
      if (counters && e.method === 'POST' && /\/containers\/create/.test(e.path) && e.status < 300) {
        this.queue = this.queue.then(() => { if (gen === this.generation) this.update(counters); });
      }
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
      this.say(text);
      packet.setAttribute('class', 'packet ' + cls);
      packet.setAttribute('opacity', 1);
      const anim = packet.animate(
        [{ transform: `translate(${p[0]}px, ${p[1]}px)` }, { transform: `translate(${q[0]}px, ${q[1]}px)` }],
        { duration: 260, easing: 'ease-in-out', fill: 'forwards' });
      await anim.finished.catch(() => {});
    };
    await move(a, b, `${e.method} ${shortPath(e.path).replace(/[0-9a-f]{64}/, (id) => id.slice(0, 12) + '…')}`, 'request');
    await move(b, a, `answer: ${e.status} ${REASON[e.status] || ''}`.trim(), e.status >= 400 ? 'response error' : 'response');
    packet.setAttribute('opacity', 0);
    this.say('');
    flash([daemon, ...hit], false);
  }

  /**
   * Writes what flies (a request's method and path, or the answer's
   * status) at the layout's label spot; on a phone the method and the
   * path on two lines, in place of "REST API", which hides meanwhile.
   */
  say(text) {
    const L = LAYOUTS[this.shape];
    const [first, ...rest] = text.split(' ');
    const lines = L.twoLines && rest.length ? [first, rest.join(' ')] : [text];
    fill(this.label, text ? lines.map((l, k) => svg('tspan', { x: L.label[0], dy: k ? 18 : 0 }, l)) : []);
    this.svg.classList.toggle('saying', Boolean(text && L.twoLines));
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

// ---------------------------------------------------------------- process lens

export class ProcessLens {
  constructor() {
    this.root = $('pl');
    this.pick = $('pl-pick');
    this.live = $('pl-live');
    this.state = null;
    // The learner's own pick stays; until then the picker follows liveFirst.
    this.chosen = null;
    this.pick.addEventListener('change', () => { this.chosen = this.pick.value; this.draw(); });
  }

  /** `prefer`: the container the last command moved (it is the news). */
  update(state, prefer) {
    this.state = state;
    const names = state.containers.map((c) => c.name);
    if (prefer && names.includes(prefer)) this.chosen = null;
    const keep = prefer && names.includes(prefer) ? prefer : this.chosen && names.includes(this.chosen) ? this.chosen : liveFirst(state.containers);
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


export { StateMachine } from './lifecycle.js';
export { VmsVsContainers } from './vms.js';
