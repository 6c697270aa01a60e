// The swarm in the pictures. Under the Architecture diagram: the node this
// daemon became (a manager), each service as a box with its replicas as
// task slots (filled: running; hollow: not yet), the published port on the
// routing mesh, and the task containers under their service. The VMs and
// Processes views name a task container by service and slot ("web.2")
// with the helpers below. Draws from `state.swarm` and each container's
// `task` (docs/playground.md).

import { el, fill, plural, reducedMotion } from './dom.js';

/** How long a removed service (or a scaled-down slot) stays on screen, emptying. */
const LEAVE_MS = 1200;
/** The states a task passes through before it runs: drawn hollow. */
const STARTING = ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting'];

/** A container's short name: `web.2` for a swarm task's, else its name. */
export function shortName(c) {
  return c.task ? `${c.task.service}.${c.task.slot || 'node'}` : c.name;
}

/** A container as a learner reads it: `web.2 (service web, replica 2)`. */
export function longName(c) {
  return c.task ? `${shortName(c)} (service ${c.task.service}, replica ${c.task.slot})` : c.name;
}

/** Whether a container's main process lives (a paused one still holds it). */
export function isLive(c) {
  return ['running', 'paused', 'restarting'].includes(c.state);
}

/**
 * The container a picker opens on: the one started last among those that
 * run (a service's task container when that is what runs), else the last
 * one. Host PIDs only grow, so the highest main PID started last.
 */
export function liveFirst(containers) {
  const live = containers.filter((c) => isLive(c) && c.host_pid);
  if (live.length) return live.reduce((a, b) => (b.host_pid > a.host_pid ? b : a)).name;
  return containers.length ? containers[containers.length - 1].name : '';
}

/**
 * Names for a list of apps ({ name, task }): the plain containers by name,
 * the task containers grouped by service (`web: 5 replicas`), one entry
 * per service.
 */
export function groupedNames(apps) {
  const out = [];
  const services = new Map(); // service name -> its entry in out
  for (const a of apps) {
    if (!a.task) { out.push({ name: a.name }); continue; }
    let entry = services.get(a.task.service);
    if (!entry) { entry = { service: a.task.service, n: 0 }; services.set(a.task.service, entry); out.push(entry); }
    entry.n++;
  }
  // A plain container named like a service ("web" beside the service
  // web) says which it is: "web, web: 5 replicas" read as one app twice.
  const clash = (name) => services.has(name);
  return out.map((e) => (e.service ? `${clash(e.service) && out.some((o) => o.name === e.service) ? 'service ' : ''}${e.service}: ${plural(e.n, 'replica')}`
    : clash(e.name) ? `container ${e.name}` : e.name));
}

/** The class of a slot: running (filled), starting (hollow), failed, done. */
function slotClass(t) {
  if (t.state === 'running') return 'running';
  if (STARTING.includes(t.state)) return 'starting';
  if (t.state === 'complete') return 'complete';
  return 'failed';
}

export class SwarmPicture {
  constructor() {
    this.root = el('section', { id: 'arch-swarm', class: 'swarm', 'aria-label': 'The swarm', hidden: true });
    this.seen = new Set(); // task ids already drawn (a new one fills in front of the learner)
    this.shown = new Map(); // service id -> the service as last drawn (to empty it when it goes)
    this.timer = null;
  }

  /** Draws the swarm of `state`, or hides the box when there is none. */
  update(state) {
    clearTimeout(this.timer);
    const sw = state.swarm;
    // Beside the diagram on a wide screen, above it on a phone (swarm.css).
    if (this.root.parentElement) this.root.parentElement.classList.toggle('has-swarm', Boolean(sw));
    if (!sw) {
      this.root.hidden = true;
      fill(this.root);
      this.seen.clear();
      this.shown.clear();
      return;
    }
    const motion = !reducedMotion();
    const node = sw.nodes[0] || { hostname: 'this host', role: 'manager', availability: 'active' };
    const now = new Map(sw.services.map((s) => [s.id, s]));
    // Services just removed stay a moment, their slots emptying.
    const gone = [...this.shown.values()].filter((s) => !now.has(s.id));
    const boxes = sw.services.map((s) => this.service(s, motion));
    for (const s of gone) boxes.push(this.service(s, motion, true));
    fill(this.root,
      el('header', { class: 'swarm-head' },
        el('span', { class: 'swarm-badge' }, 'swarm'),
        el('span', { class: 'swarm-node' }, 'node ', el('b', null, node.hostname), ` · ${node.role} · ${node.availability}`)),
      el('p', { class: 'swarm-note' }, node.role === 'manager'
        ? 'This daemon is now a swarm manager: it keeps each service\'s replicas running.'
        : 'This daemon is a swarm worker: it runs the tasks a manager gives it.'),
      boxes.length ? boxes : el('p', { class: 'swarm-empty' }, 'No service yet. Try: docker service create --name web --replicas 3 -p 80:80 nginx'));
    this.root.hidden = false;
    this.shown = now;
    for (const s of sw.services) for (const t of s.tasks) this.seen.add(t.id);
    if (gone.length) this.timer = setTimeout(() => this.update(state), LEAVE_MS);
  }

  /** One service: its name, mode and count, the mesh port, its slots. */
  service(s, motion, leaving) {
    const live = s.tasks.filter((t) => t.desired !== 'shutdown');
    // A slot scaled away or a service removed: its last task, emptying.
    const before = this.shown.get(s.id);
    const dropped = leaving ? live : (before ? before.tasks.filter((t) => t.desired !== 'shutdown' && !live.some((u) => u.slot === t.slot)) : []);
    let fresh = 0;
    const slot = (t, out) => {
      const isNew = !out && !this.seen.has(t.id);
      const cls = out ? 'leaving' : slotClass(t);
      const li = el('li', { class: `slot ${cls}${isNew && motion ? ' fresh' : ''}`, 'data-slot': t.slot, title: t.container || `task ${t.id.slice(0, 12)}` },
        // A failed slot is crossed out (its number is under it, in its name).
        el('span', { class: 'slot-dot' }, cls === 'failed' ? '✕' : String(t.slot || '')),
        el('span', { class: 'slot-name' }, `${s.name}.${t.slot || 'node'}`),
        // A filled dot says running; other states are written out.
        out || t.state !== 'running' ? el('span', { class: 'slot-state' }, out ? 'stopping' : t.state) : null);
      if (isNew && motion) li.style.setProperty('--at', `${0.15 * fresh++}s`);
      return li;
    };
    const slots = leaving ? dropped.map((t) => slot(t, true)) : [...live.map((t) => slot(t, false)), ...dropped.map((t) => slot(t, true))];
    const ports = s.ports.filter((p) => p.published);
    const count = leaving ? 'removed: its tasks stop' : `${s.running} of ${plural(s.desired, 'replica')} running`;
    // Green only when every replica runs: red when none does, amber when some.
    const short = !leaving && s.running < s.desired ? (s.running ? ' some' : ' none') : '';
    const failed = live.some((t) => slotClass(t) === 'failed');
    return el('div', { class: 'svc' + (leaving ? ' leaving' : ''), 'data-service': s.name },
      el('div', { class: 'svc-head' },
        el('b', { class: 'svc-name' }, s.name),
        el('span', { class: 'svc-meta' }, `${s.image.split('@')[0]} · ${s.mode}`),
        el('span', { class: 'svc-count' + short }, count)),
      ports.map((p) => el('div', { class: 'mesh' + (p.mode === 'ingress' ? '' : ' host-mode') },
        el('span', { class: 'mesh-port' }, `:${p.published}`),
        el('span', { class: 'mesh-text' }, p.mode === 'ingress'
          ? `routing mesh: port ${p.published} on any node reaches any replica${p.target === p.published ? '' : ` (its port ${p.target})`}`
          : `port ${p.published} of the node a task runs on reaches that task's port ${p.target}`))),
      el('ol', { class: 'slots' + (ports.length ? ' meshed' : ''), 'aria-label': `${s.name}'s task slots` }, slots),
      // The foot and the key share a line: the box stays in view beside the diagram.
      leaving ? null : el('p', { class: 'svc-foot' }, live.length ? footNote(live) : 'No task: scaled to 0.', ' ',
        el('span', { class: 'svc-legend' }, el('span', { class: 'key filled' }), 'running ', el('span', { class: 'key hollow' }), 'starting',
          failed ? [' ', el('span', { class: 'key failed' }), 'failed'] : null)));
  }
}

/** What the slots are in docker ps: one container each. */
function footNote(live) {
  const names = live.map((t) => t.container).filter(Boolean).map((n) => n.replace(/\.([a-z0-9]{12})[a-z0-9]{13}$/, '.$1…'));
  if (!names.length) return 'Its task containers are not created yet.';
  return `Each slot is one container: docker ps lists ${names[0]}${names.length > 1 ? ` and ${names.length - 1} more` : ''}.`;
}
