// The views beside the terminal: the architecture with its animated
// requests, the wire inspector, the container state machine, the process
// lens and VMs against containers. Each one draws from the JSON the module
// returns (see docs/playground.md) and says in words what it shows, in an
// aria-live region, for screen readers.

import { el, svg, fill, reducedMotion, pretty, shortPath } from './dom.js';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- architecture

const BOX = {
  client: { x: 10, y: 140, w: 120, h: 70, label: 'docker CLI', sub: 'the client' },
  daemon: { x: 220, y: 120, w: 150, h: 110, label: 'dockerd', sub: 'the daemon' },
  remote: { x: 220, y: 10, w: 150, h: 60, label: 'remote dockerd', sub: 'another machine' },
  registry: { x: 220, y: 285, w: 150, h: 60, label: 'registry', sub: 'images to pull and push' },
  containers: { x: 450, y: 10, w: 170, h: 70, label: 'containers', sub: '' },
  images: { x: 450, y: 97, w: 170, h: 70, label: 'images', sub: '' },
  networks: { x: 450, y: 184, w: 170, h: 70, label: 'networks', sub: '' },
  volumes: { x: 450, y: 271, w: 170, h: 70, label: 'volumes', sub: '' },
};

export class Architecture {
  constructor() {
    this.root = $('arch');
    this.live = $('arch-live');
    this.nodes = {};
    this.queue = Promise.resolve();
    this.generation = 0;
    const s = svg('svg', { viewBox: '0 0 630 355', class: 'arch', role: 'img', 'aria-labelledby': 'arch-title' },
      svg('title', { id: 'arch-title' }, 'Docker architecture: the client talks to the daemon over a REST API; the daemon manages containers, images, networks and volumes, and pulls from and pushes to a registry.'));
    const line = (x1, y1, x2, y2, cls) => s.append(svg('line', { x1, y1, x2, y2, class: cls || 'wire-line' }));
    line(130, 175, 220, 175);
    line(130, 165, 220, 45, 'wire-line remote-line');
    line(295, 230, 295, 285);
    for (const k of ['containers', 'images', 'networks', 'volumes']) {
      const b = BOX[k];
      line(370, 175, b.x, b.y + b.h / 2, 'own-line');
    }
    s.append(svg('text', { x: 175, y: 166, class: 'api-label', 'text-anchor': 'middle' }, 'REST API'));
    s.append(svg('text', { x: 175, y: 192, class: 'api-sub', 'text-anchor': 'middle' }, 'HTTP'));
    for (const [k, b] of Object.entries(BOX)) {
      const g = svg('g', { class: 'node node-' + k });
      g.append(svg('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }));
      g.append(svg('text', { x: b.x + b.w / 2, y: b.y + 26, 'text-anchor': 'middle', class: 'node-label' }, b.label));
      const sub = svg('text', { x: b.x + b.w / 2, y: b.y + 46, 'text-anchor': 'middle', class: 'node-sub' }, b.sub);
      g.append(sub);
      s.append(g);
      this.nodes[k] = { g, sub, box: b };
    }
    this.packet = svg('g', { class: 'packet', opacity: 0 },
      svg('circle', { r: 7, cx: 0, cy: 0 }),
      svg('text', { x: 0, y: -12, 'text-anchor': 'middle', class: 'packet-label' }, ''));
    s.append(this.packet);
    this.root.append(s);
  }

  /** Updates the counts in the boxes from the engine state. */
  update(state) {
    const running = state.containers.filter((c) => c.state === 'running').length;
    this.nodes.containers.sub.textContent = `${state.containers.length} (${running} running)`;
    this.nodes.images.sub.textContent = `${state.images.length} image${state.images.length === 1 ? '' : 's'}`;
    this.nodes.networks.sub.textContent = `${state.networks.length} network${state.networks.length === 1 ? '' : 's'}`;
    this.nodes.volumes.sub.textContent = `${state.volumes.length} volume${state.volumes.length === 1 ? '' : 's'}`;
    this.nodes.registry.sub.textContent = `${state.registry.length} repositor${state.registry.length === 1 ? 'y' : 'ies'}`;
    this.nodes.remote.sub.textContent = state.context === 'remote'
      ? `in use: ${state.remote_containers.length} containers` : 'another machine';
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
    this.live.textContent = `${outcome.command}: the client sent ${ex.length} HTTP request${ex.length === 1 ? '' : 's'} to the ${ex[0].daemon === 'remote' ? 'remote ' : ''}daemon: ${words}${ex.length > 6 ? '; and more' : ''}.`;
    const motion = !reducedMotion();
    for (const e of ex.slice(0, 8)) {
      this.queue = this.queue.then(() => (gen === this.generation ? this.animate(e, motion) : null));
    }
  }

  touched(e) {
    const p = shortPath(e.path);
    const hit = [];
    if (p.startsWith('/containers') || p.startsWith('/exec')) hit.push('containers');
    if (p.startsWith('/images') || p.startsWith('/build') || p.startsWith('/commit')) hit.push('images');
    if (p.startsWith('/networks')) hit.push('networks');
    if (p.startsWith('/volumes')) hit.push('volumes');
    if (p === '/images/create' || p.endsWith('/push')) hit.push('registry');
    return hit;
  }

  async animate(e, motion) {
    const daemon = e.daemon === 'remote' ? 'remote' : 'daemon';
    const hit = this.touched(e);
    const label = this.packet.querySelector('text');
    const from = BOX.client;
    const to = BOX[daemon];
    const a = [from.x + from.w, from.y + from.h / 2];
    const b = [to.x, to.y + to.h / 2];
    const flash = (keys, on) => keys.forEach((k) => this.nodes[k].g.classList.toggle('hot', on));
    flash([daemon, ...hit], true);
    if (!motion) {
      setTimeout(() => flash([daemon, ...hit], false), 600);
      return;
    }
    const move = async (p, q, text, cls) => {
      label.textContent = text;
      this.packet.setAttribute('class', 'packet ' + cls);
      this.packet.setAttribute('opacity', 1);
      const anim = this.packet.animate(
        [{ transform: `translate(${p[0]}px, ${p[1]}px)` }, { transform: `translate(${q[0]}px, ${q[1]}px)` }],
        { duration: 260, easing: 'ease-in-out', fill: 'forwards' });
      await anim.finished.catch(() => {});
    };
    await move(a, b, `${e.method} ${shortPath(e.path)}`, 'request');
    await move(b, a, String(e.status), e.status >= 400 ? 'response error' : 'response');
    this.packet.setAttribute('opacity', 0);
    flash([daemon, ...hit], false);
  }
}

// ---------------------------------------------------------------- wire inspector

const REASON = { 200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error' };

export class Wire {
  constructor() {
    this.list = $('wire-list');
    this.detail = $('wire-detail');
    this.live = $('wire-live');
    this.exchanges = [];
  }

  show(outcome) {
    this.exchanges = outcome.exchanges;
    fill(this.list);
    fill(this.detail);
    if (this.exchanges.length === 0) {
      this.list.append(el('li', { class: 'empty' }, `${outcome.command}: no HTTP request (the client handled it alone).`));
      this.live.textContent = 'No HTTP exchange for the last command.';
      return;
    }
    this.exchanges.forEach((e, i) => {
      const b = el('button', { type: 'button', class: 'wire-item' + (e.status >= 400 ? ' bad' : ''), 'aria-pressed': 'false' },
        el('span', { class: 'method' }, e.method), ' ', el('span', { class: 'path' }, shortPath(e.path)), ' → ',
        el('span', { class: 'status' }, String(e.status)), e.daemon === 'remote' ? el('span', { class: 'tag' }, ' remote') : null);
      b.addEventListener('click', () => this.select(i));
      this.list.append(el('li', null, b));
    });
    // The version ping comes first; open the first exchange that does work.
    const first = this.exchanges.findIndex((e) => !e.path.endsWith('/_ping'));
    this.select(first < 0 ? 0 : first);
    this.live.textContent = `${this.exchanges.length} exchange${this.exchanges.length === 1 ? '' : 's'} recorded for ${outcome.command}.`;
  }

  select(i) {
    const e = this.exchanges[i];
    if (!e) return;
    this.list.querySelectorAll('button').forEach((b, j) => b.setAttribute('aria-pressed', String(i === j)));
    const headers = (hs) => hs.map(([k, v]) => `${k}: ${v}`).join('\n');
    const req = `${e.method} ${e.path} HTTP/1.1\n${headers(e.request_headers)}${e.request_body ? '\n\n' + pretty(e.request_body) : ''}`;
    const res = `HTTP/1.1 ${e.status} ${REASON[e.status] || ''}\n${headers(e.response_headers)}${e.response_body ? '\n\n' + pretty(e.response_body) : ''}`;
    fill(this.detail,
      el('h3', null, 'Request', e.daemon === 'remote' ? ' (to the remote daemon)' : ''), el('pre', { class: 'req', tabindex: 0 }, req),
      el('h3', null, 'Response'), el('pre', { class: 'res', tabindex: 0 }, res));
  }
}

// ---------------------------------------------------------------- state machine

const STATES = {
  created: [80, 45], running: [300, 45], paused: [520, 45],
  exited: [80, 185], restarting: [520, 185],
  removing: [300, 300], dead: [520, 300],
};
const EDGES = [
  ['created', 'running', 'start'], ['running', 'paused', 'pause'], ['paused', 'running', 'unpause'],
  ['running', 'exited', 'stop / kill / exit'], ['exited', 'running', 'start'],
  ['running', 'restarting', 'restart policy'], ['restarting', 'running', ''], ['restarting', 'exited', ''],
  ['created', 'removing', 'rm'], ['exited', 'removing', 'rm'], ['running', 'removing', 'rm -f'],
  ['removing', 'dead', 'failed removal'],
];

function edgePoints(from, to, bend) {
  const [x1, y1] = STATES[from];
  const [x2, y2] = STATES[to];
  const mx = (x1 + x2) / 2 + bend * (y2 - y1) / 6;
  const my = (y1 + y2) / 2 - bend * (x2 - x1) / 6;
  return { d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, mx, my };
}

export class StateMachine {
  constructor() {
    this.root = $('sm');
    this.pick = $('sm-pick');
    this.live = $('sm-live');
    this.last = [];
    this.state = null;
    this.pick.addEventListener('change', () => this.draw());
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
    fill(this.pick, names.length ? names.map((n) => el('option', { value: n }, n)) : el('option', { value: '' }, '(no container yet)'));
    if (names.includes(want)) this.pick.value = want;
  }

  draw() {
    const name = this.pick.value;
    const c = this.state ? this.state.containers.find((x) => x.name === name) : null;
    const mine = this.last.filter((t) => t.container === name);
    const taken = mine.filter((t) => !t.refused);
    const refused = mine.filter((t) => t.refused);
    const s = svg('svg', { viewBox: '0 0 600 330', class: 'sm', role: 'img', 'aria-labelledby': 'sm-title' },
      svg('title', { id: 'sm-title' }, 'The seven states of a container and the moves between them.'),
      svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
    for (const [from, to, label] of EDGES) {
      const back = EDGES.some(([f, t]) => f === to && t === from);
      const { d, mx, my } = edgePoints(from, to, back ? 1 : 0);
      const hit = taken.some((t) => t.from === from && t.to === to);
      s.append(svg('path', { d, class: 'edge' + (hit ? ' taken' : ''), 'marker-end': 'url(#arrow)' }));
      if (label) s.append(svg('text', { x: mx, y: my - 4, 'text-anchor': 'middle', class: 'edge-label' + (hit ? ' taken' : '') }, label));
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
        s.append(svg('text', { x: mx, y: my + 14, 'text-anchor': 'middle', class: 'edge-label refused' }, `${t.action} refused`));
      }
    }
    for (const [st, [x, y]] of Object.entries(STATES)) {
      const current = c && c.state === st;
      s.append(svg('g', { class: 'state' + (current ? ' current' : '') },
        svg('ellipse', { cx: x, cy: y, rx: 58, ry: 22 }),
        svg('text', { x, y: y + 5, 'text-anchor': 'middle' }, st)));
    }
    fill(this.root, s);
    const words = [];
    if (!name) words.push('No container yet: run one to see its lifecycle.');
    else words.push(c ? `Container ${name} is ${c.state}${c.state === 'exited' ? ` with exit code ${c.exit_code}` : ''}.` : `Container ${name} no longer exists.`);
    for (const t of taken) words.push(`${t.action} moved it from ${t.from} to ${t.to}.`);
    for (const t of refused) words.push(`${t.action} from ${t.from} was refused: ${t.refused}`);
    this.live.textContent = words.join(' ');
    const note = el('ul', { class: 'sm-notes' }, words.map((w) => el('li', null, w)));
    this.root.append(note);
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
    fill(this.pick, names.length ? names.map((n) => el('option', { value: n }, n)) : el('option', { value: '' }, '(no container yet)'));
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
      for (const p of other.processes) host.push({ cells: [p.host_pid, p.command, other.name], mine: other.name === c.name });
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
        table(`Inside ${c.name}: its own PID namespace`, ['PID', 'COMMAND'], inside),
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

export class VmsVsContainers {
  constructor() {
    this.root = $('vms');
    this.live = $('vm-live');
    this.n = $('vm-n');
    this.out = $('vm-n-out');
    this.n.addEventListener('input', () => this.draw());
    this.draw();
  }

  /** Follows the number of running containers, so the lesson's commands move it. */
  update(state) {
    const running = state.containers.filter((c) => c.state === 'running').length;
    if (running > 0) this.n.value = String(Math.min(8, running));
    this.draw();
  }

  draw() {
    const n = Number(this.n.value);
    this.out.textContent = String(n);
    const total = VM_BOOT.reduce((a, [, s]) => a + s, 0);
    const scale = (s) => `${(100 * s) / total}%`;
    const timeline = (title, parts, kind) => el('div', { class: 'timeline ' + kind },
      el('h4', null, title),
      Array.from({ length: n }, (_, i) => {
        const row = el('div', { class: 'bar-row' }, el('span', { class: 'bar-name' }, `${kind === 'vm' ? 'VM' : 'container'} ${i + 1}`));
        for (const [name, secs] of parts) {
          const seg = el('span', { class: 'seg seg-' + name.replace(/[^a-z]+/g, '-'), title: `${name}: ${secs} s` }, name);
          seg.style.width = scale(secs);
          row.append(seg);
        }
        return row;
      }));
    const vmMem = MB.hostKernel + MB.hypervisor + n * (MB.guestKernel + MB.guestOs + MB.app);
    const ctMem = MB.hostKernel + MB.runtime + n * MB.app;
    const max = MB.hostKernel + MB.hypervisor + 8 * (MB.guestKernel + MB.guestOs + MB.app);
    const block = (name, mb, cls) => {
      const b = el('div', { class: 'mem ' + cls, title: `${name}: ${mb} MB` }, `${name} ${mb} MB`);
      b.style.height = `${Math.max(14, (260 * mb) / max)}px`;
      return b;
    };
    const vmStack = el('div', { class: 'stack' });
    for (let i = n; i >= 1; i--) {
      vmStack.append(block(`app ${i}`, MB.app, 'app'), block(`guest OS ${i}`, MB.guestOs, 'os'), block(`guest kernel ${i}`, MB.guestKernel, 'kernel'));
    }
    vmStack.append(block('hypervisor', MB.hypervisor, 'hv'), block('host kernel', MB.hostKernel, 'kernel'));
    const ctStack = el('div', { class: 'stack' });
    for (let i = n; i >= 1; i--) ctStack.append(block(`app ${i}`, MB.app, 'app'));
    ctStack.append(block('container runtime', MB.runtime, 'hv'), block('host kernel (shared)', MB.hostKernel, 'kernel'));
    fill(this.root,
      el('div', { class: 'vm-grid' },
        el('div', null, el('h3', null, `${n} virtual machine${n === 1 ? '' : 's'}`),
          timeline(`Boot: about ${total} s each`, VM_BOOT, 'vm'),
          el('h4', null, `Memory: about ${(vmMem / 1000).toFixed(1)} GB`), vmStack),
        el('div', null, el('h3', null, `${n} container${n === 1 ? '' : 's'}`),
          timeline('Start: about 1 s each', CT_BOOT, 'ct'),
          el('h4', null, `Memory: about ${(ctMem / 1000).toFixed(1)} GB`), ctStack)));
    this.live.textContent = `Illustrative: ${n} VMs each boot their own kernel and operating system, about ${total} seconds and ${(vmMem / 1000).toFixed(1)} GB in all; ${n} containers share the host kernel and start in about a second, ${(ctMem / 1000).toFixed(1)} GB in all.`;
  }
}
