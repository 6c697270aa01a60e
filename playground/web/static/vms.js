// VMs against containers: the apps the learner started, each booted as a
// VM and as a container on one time axis, and the memory they hold now.
// Split out of diagrams.js (which re-exports it).

import { el, fill, reducedMotion, plural } from './dom.js';
import { shortName, groupedNames, isLive } from './swarm.js';
import { layers } from './vmstack.js';

const $ = (id) => document.getElementById(id);


// Illustrative orders of magnitude, not measurements.
const VM_BOOT = [['firmware', 2], ['guest kernel', 4], ['guest OS init', 12], ['app', 1]];
const CT_BOOT = [['namespaces + cgroups', 0.2], ['app', 0.8]];
const MB = { hostKernel: 500, hypervisor: 300, guestKernel: 300, guestOs: 700, app: 200, runtime: 50 };
const SECONDS = VM_BOOT.reduce((a, [, s]) => a + s, 0);
const CT_SECONDS = CT_BOOT.reduce((a, [, s]) => a + s, 0);
/** The time axis: 0 to 20 s. */
const AXIS = 20;
/**
 * The time axis is stretched at its start (a log scale, `log(1 + t)`):
 * on a linear one the container's second was a sliver that seemed to be
 * there at once. Where t seconds fall, from 0 to 1.
 */
export function at(t) {
  return Math.log1p(t) / Math.log1p(AXIS);
}
/** The ticks of the axis, in seconds. */
const TICKS = [0, 1, 2, 5, 10, 20];
/**
 * Animation seconds for the whole axis: both bars' fronts move at one
 * pace along it, so the container's grows for about 2 s and the VM's for
 * about 8 s, side by side.
 */
const PLAY = 8;
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
    for (const s of root.querySelectorAll('.seg, .mem')) {
      // A shorter name first ("kernel" for "host kernel (shared)"), then none.
      if (s.textContent && s.scrollWidth > s.clientWidth + 1 && s.dataset.short && s.textContent !== s.dataset.short) s.textContent = s.dataset.short;
      if (s.textContent && s.scrollWidth > s.clientWidth + 1) s.textContent = '';
    }
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
    // Which picture shows: the boot race and memory, or the layers.
    this.mode = 'race';
    this.n.addEventListener('input', () => { this.what = true; this.draw(); });
    // The slider's question in words: "8 apps", "1 app".
    const label = this.out.closest('label');
    this.unit = label && [...label.childNodes].find((x) => x.nodeType === 3 && /app/.test(x.textContent));
    // Plays every row's start again, VMs and containers side by side.
    $('vm-replay').addEventListener('click', () => { this.mode = 'race'; this.replay = true; this.draw(); this.replay = false; });
    // Drawn while hidden (another pane on a phone), the labels are fitted when it shows.
    if (window.ResizeObserver) new ResizeObserver(() => fitLabels(this.root)).observe(this.root);
    this.draw();
  }

  /**
   * A new level: the containers already there (setup) are not news; the
   * slider starts again; `invite` is the level's first step in words (the
   * empty view names it, not another level's command); `picture` is the
   * level's choice of picture (`"layers"`, else the boot race).
   */
  reset(state, invite, picture) {
    this.invite = invite || null;
    // A level may open on the picture it is about (vms-2: the layers).
    this.mode = picture === 'layers' ? 'layers' : 'race';
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
      name: shortName(c), task: c.task, image: c.image, fresh: !this.seen.has(c.id), running: isLive(c), pid: c.host_pid,
    }));
    for (const c of state.containers) if (c.state !== 'created') this.seen.add(c.id);
    // The slider starts at what runs (an exited app is not one you run).
    if (this.apps.length) this.n.value = String(Math.min(8, Math.max(1, this.apps.filter((a) => a.running).length)));
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
    if (this.unit) this.unit.textContent = Number(this.n.value) === 1 ? ' app?' : ' apps?';
    const pct = (from, secs) => `${100 * (at(from + secs) - at(from))}%`;
    const wide = (from, secs) => at(from + secs) - at(from) > 0.12;
    const row = (label, cls, parts, total, fresh, delay) => {
      const track = el('div', { class: 'track' });
      let t = 0;
      let when = delay;
      for (const [name, secs] of parts) {
        const seg = el('span', { class: segClass(name), title: `${name}: about ${secs} s` }, wide(t, secs) ? name : '');
        seg.style.width = pct(t, secs);
        const play = (at(t + secs) - at(t)) * PLAY;
        if (fresh && motion) { seg.style.setProperty('--d', `${play}s`); seg.style.setProperty('--at', `${when}s`); } else seg.style.animation = 'none';
        when += play;
        t += secs;
        track.append(seg);
      }
      // The expected end is drawn from the start (a marker on the axis and
      // the time beside the bar, dim until the bar reaches it): a row that
      // grows for 19 s does not look unfinished.
      const mark = el('span', { class: 'end-mark', title: `${label}: ready after about ${total} s` });
      mark.style.left = pct(0, total);
      track.append(mark);
      const time = el('span', { class: 'bar-time', title: `expected: about ${total} s` }, `~${total} s`);
      if (fresh && motion) time.style.setProperty('--at', `${when}s`); else time.style.animation = 'none';
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
    // The example: the app started last among those that run (an exited
    // one boots no more), else the newest.
    const byStart = [...apps].sort((a, b) => Number(b.running) - Number(a.running) || (b.pid || 0) - (a.pid || 0));
    const drawn = [byStart.find((a) => a.fresh && a.running) || byStart.find((a) => a.running) || apps.find((a) => a.fresh) || apps[apps.length - 1]].filter(Boolean);
    drawn.forEach((a, i) => {
      rows.push(row(`VM for ${a.name}`, 'vm', VM_BOOT, SECONDS, a.fresh, 0));
      rows.push(row(`container ${a.name}`, 'ct', CT_BOOT, CT_SECONDS, a.fresh, 0));
      if (i < drawn.length - 1) rows.push(el('div', { class: 'gap' }));
    });
    // The other apps that run (an exited one boots no more; the heading
    // counts it apart).
    const more = apps.filter((a) => a.running && !drawn.includes(a));
    if (more.length) {
      const names = groupedNames(more).join(', ');
      rows.push(el('p', { class: 'sub more-apps' }, `…and ${plural(more.length, 'more app')} (${names}), each booting the same way.`));
    }
    // Before the first run (the first screen): the race as a preview, faint
    // and looping, so the picture shows what it will do; the learner's
    // first docker run takes its place.
    const preview = (label, cls, parts, total) => {
      let t = 0;
      const sweep = el('div', { class: 'sweep' }, parts.map(([name, secs]) => {
        const seg = el('span', { class: segClass(name), title: `${name}: about ${secs} s` }, wide(t, secs) ? name : '');
        seg.style.width = pct(t, secs);
        t += secs;
        return seg;
      }));
      return el('div', { class: 'wait-row preview' }, el('span', { class: 'bar-name ' + cls }, label),
        el('div', { class: 'track' }, sweep), el('span', { class: 'bar-time' }, `~${total} s`));
    };
    if (!n) {
      rows.push(preview('preview: an app as a VM', 'vm', VM_BOOT, SECONDS), preview('preview: as a container', 'ct', CT_BOOT, CT_SECONDS));
      rows.push(el('p', { class: 'sub more-apps' }, 'A preview: your first docker run plays it for real.'));
    }
    // The ticks where their seconds fall on the stretched axis.
    const ticks = el('div', { class: 'axis' }, el('span', { class: 'axis-name' }, 'time (first seconds wider)'), el('div', { class: 'ticks' }, TICKS.map((t) => {
      const s = el('span', null, `${t} s`);
      s.style.left = `${100 * at(t)}%`;
      return s;
    })), el('span'));
    // Memory on one scale for both: the VMs' bar is the full width.
    const vmParts = [['hypervisor', MB.hypervisor, 'hv'], ['host kernel', MB.hostKernel, 'kernel']];
    // The apps by their names (web1, web2…; app 1… for the what-if).
    const running = this.what ? apps : apps.filter((a) => a.running);
    const appName = (i) => (running[i - 1] && running[i - 1].name) || `app ${i}`;
    for (let i = 1; i <= live; i++) vmParts.push([`guest kernel ${i}`, MB.guestKernel, 'kernel'], [`guest OS ${i}`, MB.guestOs, 'os'], [appName(i), MB.app, 'app']);
    // The runtime (containerd) is not the namespaces and cgroups of the boot
    // bars: its own colour, so that an idle host shows no container's part.
    const ctParts = [['host kernel (shared)', MB.hostKernel, 'kernel', 'kernel'], ['container runtime', MB.runtime, 'runtime']];
    for (let i = 1; i <= live; i++) ctParts.push([appName(i), MB.app, 'app']);
    const sum = (parts) => parts.reduce((a, [, mb]) => a + mb, 0);
    const vmMem = sum(vmParts);
    const ctMem = sum(ctParts);
    // `rest`: the words for the blocks too narrow for their names, in the
    // room the shorter bar leaves (the containers' row, beside its apps).
    const memRow = (label, parts, total, rest) => {
      const bar = el('div', { class: 'mem-bar' });
      for (const [name, mb, cls, short] of parts) {
        const b = el('span', { class: 'mem ' + cls, title: `${name}: ${mb} MB` }, mb / vmMem > 0.1 ? name : '');
        if (short) b.dataset.short = short;
        b.style.width = `${(100 * mb) / vmMem}%`;
        bar.append(b);
      }
      // Beside the bar, not in it: the bar's blocks alone are to scale.
      const lane = el('div', { class: 'mem-lane' }, bar);
      if (rest && total < vmMem) {
        const words = el('span', { class: 'mem-rest', title: rest }, rest);
        words.style.left = `${(100 * total) / vmMem}%`;
        lane.append(words);
      }
      return el('div', { class: 'mem-row' }, el('span', { class: 'bar-name' }, label), lane, el('span', { class: 'bar-time' }, `${(total / 1000).toFixed(1)} GB`));
    };
    // The heading counts what runs; the slider's what-if is said as one.
    const shown = this.what ? n : live;
    const vms = plural(shown, 'VM');
    const cts = plural(shown, 'container');
    const stopped = n - live;
    // The size first: on a phone the names may be cut (the title has all).
    const ctRest = live ? `← ${live === 1 ? `the app, ${MB.app} MB` : `${live} apps, ${MB.app} MB each`}: ${this.what ? `app 1–${live}` : groupedNames(running).join(', ')}, on the shared kernel (+ ${MB.runtime} MB runtime)` : `← the shared kernel + ${MB.runtime} MB runtime; no app runs`;
    const memNote = stopped
      ? `${plural(stopped, 'container')} exited and holds no memory (nor would its VM). A VM carries its own kernel and OS (${MB.guestKernel + MB.guestOs} MB); a container adds only its app (${MB.app} MB).`
      : `A VM carries its own kernel and OS (${MB.guestKernel + MB.guestOs} MB); a container adds only its app (${MB.app} MB) to the one shared kernel.`;
    // Two pictures, one at a time (both do not fit beside the terminal):
    // the boot race with the memory to scale, or the layers.
    const modes = el('div', { class: 'vm-modes', role: 'group', 'aria-label': 'Picture' }, [['race', 'Boot race and memory'], ['layers', 'Layers: VM stack vs container stack']].map(([m, words]) => {
      const b = el('button', { type: 'button', 'data-mode': m, 'aria-pressed': String(this.mode === m) }, words);
      b.addEventListener('click', () => { this.mode = m; this.draw(); });
      return b;
    }));
    if (this.mode === 'layers') {
      const stackApps = running.length ? running.map((a) => ({ name: a.name, fresh: a.fresh && !this.what })) : [];
      fill(this.root, el('div', { class: 'vmc layers' }, modes,
        el('h3', null, this.what ? `If you ran ${plural(n, 'app')}: the layers under them`
          : live ? `Your ${plural(live, 'running app')}, layer by layer` : 'The layers, before any app runs'),
        el('p', { class: 'sub' }, `${live || this.what ? '' : `${this.invite || 'Run a container'}: each app gets a column on both sides. `}Bottom to top: what each way needs under your apps. A VM carries a kernel and an OS of its own; a container is only the app and its libraries on the host's kernel.`),
        layers(stackApps, MB, motion)));
      this.live.textContent = `Layers: as VMs, hardware, the host OS and kernel, a hypervisor, then per app a guest kernel, a guest OS and the app; as containers, hardware, the one shared host kernel, the container runtime, then per app only the app and its libraries. ${plural(stackApps.length, 'app')} drawn.`;
      return;
    }
    fill(this.root, el('div', { class: 'vmc' }, modes,
      el('h3', null, this.what ? `If you ran ${plural(n, 'app')}: as ${vms}, as ${cts}`
        : !n ? 'Your host: one Linux kernel, no container yet'
          : live ? `${plural(live, 'app')} started two ways: as ${vms}, as ${cts}${stopped ? ` (${stopped} more exited)` : ''}`
            : `How ${n === 1 ? 'your app' : 'each app'} started: a VM against a container (${n === 1 ? 'it has' : `all ${n} have`} exited since)`),
      el('p', { class: 'sub' }, n
        ? `A VM boots firmware, a kernel and an OS first (about ${SECONDS} s); a container is a process of the host's kernel (about ${CT_SECONDS} s).`
        : `${this.invite || 'Run a container'} and watch both start on one time axis: a VM boots firmware, a kernel and an OS (about ${SECONDS} s); a container is a process on the host's kernel (about ${CT_SECONDS} s). Or move the slider to compare.`),
      legend([['firmware', '--fw'], ['guest kernel', '--kern'], ['guest OS init', '--os'], ['namespaces + cgroups', '--rt'], ['app', '--ok']]),
      ticks, rows,
      el('h3', null, this.what ? `Memory if you ran ${n}, to scale` : 'Memory now, to scale'),
      this.what ? memRow(`${vms} would use`, vmParts, vmMem) : memRow(`VMs: ${live} running`, vmParts, vmMem),
      this.what ? memRow(`${cts} would use`, ctParts, ctMem, ctRest) : memRow(`containers: ${live} running`, ctParts, ctMem, ctRest),
      el('p', { class: 'sub' }, n ? memNote : 'Before any app: a host for VMs already holds a hypervisor; a host for containers, only the container runtime.')));
    fitLabels(this.root);
    const who = this.what ? `${cts} (what if)` : n ? `Your ${cts}: ${groupedNames(apps).join(', ')}` : 'no container yet';
    this.live.textContent = `Illustrative: ${who}. As ${vms}, each would boot its own kernel and operating system, about ${SECONDS} s; as ${cts} they share the host kernel and start in about ${CT_SECONDS} s. ${this.what ? `Memory if you ran ${n}` : `Memory now, for the ${live} running`}: ${(vmMem / 1000).toFixed(1)} GB as VMs, ${(ctMem / 1000).toFixed(1)} GB as containers.`;
  }
}
