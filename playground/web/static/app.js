// The playground page: loads the WebAssembly engine, runs the terminal and
// the lessons, and feeds every command's outcome to the views.
// No framework, no build step: ES modules served as they are.

import init, { Playground } from './pkg/dockhand_playground_web.js';
import { el, fill } from './dom.js';
import { Architecture, Wire, StateMachine, ProcessLens, VmsVsContainers } from './diagrams.js';

const $ = (id) => document.getElementById(id);
const PROGRESS_KEY = 'dockhand.playground.progress';
const OUTPUT_ENTRIES = 200;

// What the browser test reads: readiness, per-command timings, errors.
const probe = (window.__dockhand = { readyMs: null, timings: [], engine: [], errors: [] });
window.addEventListener('error', (e) => probe.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => probe.errors.push(String(e.reason)));

const CHIPS = ['docker run hello-world', 'docker ps -a', 'docker images', 'docker run -d --name web -p 8080:80 nginx',
  'docker logs web', 'docker exec web ps', 'docker stop web', 'docker rm web', 'docker version', 'docker system df'];

class App {
  constructor(tracks) {
    this.tracks = tracks;
    this.levels = tracks.flatMap((t) => t.levels.map((l) => ({ ...l, track: t })));
    this.pg = null;
    this.level = null; // null: sandbox
    this.commands = []; // commands typed in this level (for sharing)
    // Undo: the module keeps a checkpoint of the engine after each step
    // (pg.checkpoint(), pg.undo()). The one after a command is taken when
    // the page is idle, or at once if another command comes first.
    this.pending = false;
    this.history = [];
    this.cursor = 0;
    this.hintsShown = 0;
    this.lastComplete = false;
    this.views = {
      arch: new Architecture(), wire: new Wire(), sm: new StateMachine(), pl: new ProcessLens(), vms: new VmsVsContainers(),
    };
    this.progress = this.loadProgress();
    this.wire();
  }

  // ------------------------------------------------------------ setup

  wire() {
    const form = $('prompt');
    const input = $('cmd');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const line = input.value;
      input.value = '';
      this.submit(line);
    });
    input.addEventListener('keydown', (e) => this.key(e));
    fill($('track'), this.tracks.map((t, i) => el('option', { value: String(i) }, t.title)));
    $('track').addEventListener('change', () => {
      const t = this.tracks[Number($('track').value)];
      this.start(t.levels[0].id, []);
    });
    $('level').addEventListener('change', () => this.start($('level').value, []));
    $('sandbox').addEventListener('click', () => this.start(null, []));
    $('share').addEventListener('click', () => this.share());
    $('hint').addEventListener('click', () => this.hint());
    $('solution').addEventListener('click', () => this.solution());
    $('undo').addEventListener('click', () => this.undoLast());
    $('reset').addEventListener('click', () => this.start(this.level ? this.level.id : null, []));
    $('next').addEventListener('click', () => this.next());
    $('file-pick').addEventListener('change', () => this.showFile());
    $('file-save').addEventListener('click', () => this.saveFile());
    this.tabs();
    fill($('chips'), CHIPS.map((c) => this.chip(c)));
    window.addEventListener('hashchange', () => this.fromHash());
  }

  chip(text) {
    const b = el('button', { type: 'button', class: 'chip' }, text);
    b.addEventListener('click', () => {
      const input = $('cmd');
      input.value = text;
      input.focus();
    });
    return b;
  }

  tabs() {
    const tabs = [...document.querySelectorAll('[role=tab]')];
    const select = (tab, focus) => {
      for (const t of tabs) {
        const on = t === tab;
        t.setAttribute('aria-selected', String(on));
        t.tabIndex = on ? 0 : -1;
        $(t.getAttribute('aria-controls')).hidden = !on;
      }
      if (focus) tab.focus();
      this.onTab();
    };
    this.selectTab = (id) => select($(id), false);
    this.onTab = () => {};
    tabs.forEach((t, i) => {
      t.addEventListener('click', () => select(t, false));
      t.addEventListener('keydown', (e) => {
        const d = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
        if (d) { e.preventDefault(); select(tabs[(i + d + tabs.length) % tabs.length], true); }
        if (e.key === 'Home') { e.preventDefault(); select(tabs[0], true); }
        if (e.key === 'End') { e.preventDefault(); select(tabs[tabs.length - 1], true); }
      });
    });
  }

  loadProgress() {
    try { return JSON.parse(localStorage.getItem(PROGRESS_KEY) || '{}') || {}; } catch { return {}; }
  }

  saveProgress() {
    try { localStorage.setItem(PROGRESS_KEY, JSON.stringify(this.progress)); } catch { /* private mode */ }
  }

  // ------------------------------------------------------------ levels

  /** Starts a level (or the sandbox when id is null) and replays commands. */
  start(id, replay) {
    const level = id ? this.levels.find((l) => l.id === id) : null;
    if (id && !level) { this.print({ command: '', stdout: '', stderr: `No level named ${id}.`, explanation: '' }); }
    this.level = level || null;
    this.pg = new Playground();
    const files = this.level ? this.level.files || {} : {};
    for (const [path, text] of Object.entries(files)) this.pg.write_file(path, text);
    for (const line of this.level ? this.level.setup || [] : []) this.pg.run(line);
    this.pg.begin_level();
    // The module remembers the goal and checks it after every command
    // (replays included): a check once met stays met until Reset or Undo.
    if (this.level) this.pg.check(JSON.stringify(this.level.goal));
    this.commands = [];
    this.pg.checkpoint();
    this.pending = false;
    this.hintsShown = 0;
    this.lastComplete = false;
    fill($('out'));
    fill($('hints'));
    this.renderLesson();
    const state = JSON.parse(this.pg.state());
    this.last = null;
    this.refresh(state, []);
    if (this.level && this.level.view) this.selectTab('tab-' + this.level.view);
    for (const line of replay) this.submit(line, true);
    this.check();
  }

  renderLesson() {
    const l = this.level;
    const trackIndex = l ? this.tracks.indexOf(l.track) : -1;
    if (l) {
      $('track').value = String(trackIndex);
      fill($('level'), l.track.levels.map((x, i) => el('option', { value: x.id }, `${i + 1}. ${x.title}${this.progress[x.id] ? ' ✓' : ''}`)));
      $('level').value = l.id;
    }
    $('level').disabled = !l;
    $('lesson-title').textContent = l ? l.title : 'Sandbox';
    fill($('lesson-story'), (l ? l.story : [
      'A Docker engine of your own, simulated in your browser. Try anything: docker run -d --name web -p 8080:80 nginx, docker ps, docker exec web ps, docker network create, docker build.',
      'Share link saves every command you typed in the address, so someone else can replay your sandbox.',
    ]).map((p) => el('p', null, p)));
    fill($('goal'), l ? l.goal.map((g) => el('li', null, el('span', { class: 'tick', 'aria-hidden': 'true' }, '○'), ' ', el('span', { class: 'goal-text' }, g.text))) : []);
    for (const b of ['hint', 'solution', 'next']) $(b).disabled = !l;
    const files = this.pg.files ? JSON.parse(this.pg.files()) : {};
    const names = Object.keys(files);
    $('files-box').hidden = names.length === 0;
    fill($('file-pick'), names.map((n) => el('option', { value: n }, n)));
    this.showFile();
    $('done').textContent = '';
    $('app').dataset.complete = '0';
    fill($('chips'), [...(l ? l.solution.slice(0, 3) : []), ...CHIPS].filter((c, i, a) => a.indexOf(c) === i).slice(0, 10).map((c) => this.chip(c)));
  }

  showFile() {
    const name = $('file-pick').value;
    const files = name ? JSON.parse(this.pg.files()) : {};
    $('file-text').value = name ? files[name] || '' : '';
    $('file-status').textContent = '';
  }

  saveFile() {
    const name = $('file-pick').value;
    if (!name) return;
    this.flush();
    this.pg.write_file(name, $('file-text').value);
    this.commands.push(`#file ${name} ${$('file-text').value}`);
    this.later();
    $('file-status').textContent = `Saved ${name}.`;
    this.check();
  }

  check() {
    if (!this.level) { $('app').dataset.complete = '0'; return; }
    const met = JSON.parse(this.pg.check(JSON.stringify(this.level.goal)));
    const items = $('goal').querySelectorAll('li');
    met.forEach((ok, i) => {
      if (!items[i]) return;
      items[i].classList.toggle('met', ok);
      items[i].querySelector('.tick').textContent = ok ? '✓' : '○';
    });
    const all = met.length > 0 && met.every(Boolean);
    $('app').dataset.complete = all ? '1' : '0';
    if (all && !this.lastComplete) {
      $('done').textContent = `Level complete: ${this.level.title}. ${this.level.success || ''}`;
      this.progress[this.level.id] = true;
      this.saveProgress();
      const opt = $('level').querySelector(`option[value="${CSS.escape(this.level.id)}"]`);
      if (opt && !opt.textContent.endsWith('✓')) opt.textContent += ' ✓';
    } else if (!all) {
      $('done').textContent = '';
    }
    this.lastComplete = all;
  }

  hint() {
    const hints = this.level ? this.level.hints : [];
    if (this.hintsShown < hints.length) {
      $('hints').append(el('p', { class: 'hint' }, `Hint ${this.hintsShown + 1}: ${hints[this.hintsShown]}`));
      this.hintsShown++;
    } else {
      $('hints').append(el('p', { class: 'hint' }, 'No more hints: try Show solution.'));
    }
  }

  solution() {
    if (!this.level) return;
    const box = el('div', { class: 'solution' }, el('p', null, 'One way to do it (select a command to put it in the terminal):'));
    for (const c of this.level.solution) {
      if (c.startsWith('#file ')) { box.append(el('p', null, 'Edit the project file as the lesson says, then Save file.')); continue; }
      box.append(this.chip(c));
    }
    $('hints').append(box);
  }

  next() {
    if (!this.level) return;
    const i = this.levels.indexOf(this.level);
    const n = this.levels[(i + 1) % this.levels.length];
    this.start(n.id, []);
  }

  /** Takes the pending undo checkpoint now. */
  flush() {
    if (!this.pending) return;
    this.pending = false;
    this.pg.checkpoint();
  }

  /** Takes the undo checkpoint of the state just reached when the page is idle. */
  later() {
    this.pending = true;
    setTimeout(() => this.flush(), 0);
  }

  undoLast() {
    this.flush();
    if (!this.pg.undo()) { this.note('Nothing to undo.'); return; }
    const undone = this.commands.pop();
    this.note(`Undone: ${undone || 'the last command'}. The engine is back to the state before it.`);
    this.refresh(JSON.parse(this.pg.state()), []);
    this.check();
  }

  share() {
    const data = { level: this.level ? this.level.id : null, commands: this.commands };
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(data))))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const url = `${location.href.split('#')[0]}#s=${b64}`;
    history.replaceState(null, '', url);
    const done = () => this.note(`Share link (also in the address bar): ${url}`);
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, done); else done();
  }

  fromHash() {
    const h = location.hash.slice(1);
    const params = new URLSearchParams(h);
    if (params.has('s')) {
      try {
        const raw = atob(params.get('s').replace(/-/g, '+').replace(/_/g, '/'));
        const data = JSON.parse(new TextDecoder().decode(Uint8Array.from(raw, (c) => c.charCodeAt(0))));
        const cmds = Array.isArray(data.commands) ? data.commands.filter((c) => typeof c === 'string').slice(0, 500) : [];
        this.start(typeof data.level === 'string' ? data.level : null, cmds);
        return true;
      } catch {
        this.start(null, []);
        this.note('This share link is damaged; starting an empty sandbox.');
        return true;
      }
    }
    if (params.has('level')) { this.start(params.get('level'), []); return true; }
    if (params.has('sandbox')) { this.start(null, []); return true; }
    return false;
  }

  // ------------------------------------------------------------ terminal

  key(e) {
    const input = e.target;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      if (!this.history.length) return;
      e.preventDefault();
      this.cursor = Math.max(0, Math.min(this.history.length, this.cursor + (e.key === 'ArrowUp' ? -1 : 1)));
      input.value = this.history[this.cursor] || '';
    } else if (e.key === 'Tab' && !e.shiftKey && input.value.trim()) {
      e.preventDefault();
      const options = JSON.parse(this.pg.complete(input.value));
      if (options.length === 1) {
        input.value = options[0];
      } else if (options.length > 1) {
        let common = options[0];
        for (const o of options) while (!o.startsWith(common)) common = common.slice(0, -1);
        if (common.length > input.value.length) input.value = common;
        this.note(options.map((o) => o.split(' ').pop()).join('   '));
      }
    } else if (e.key === 'l' && e.ctrlKey) {
      e.preventDefault();
      fill($('out'));
    }
  }

  /** Runs one line typed at the prompt. */
  submit(line, replaying) {
    const trimmed = line.trim();
    if (!trimmed) return;
    this.history.push(trimmed);
    this.cursor = this.history.length;
    if (trimmed === 'clear') { fill($('out')); return; }
    if (trimmed.startsWith('#file ')) {
      // A saved file edit inside a shared link.
      const rest = trimmed.slice(6);
      const sp = rest.indexOf(' ');
      if (sp > 0) { this.flush(); this.pg.write_file(rest.slice(0, sp), rest.slice(sp + 1)); this.commands.push(trimmed); this.later(); }
      return;
    }
    if (trimmed === 'help') {
      this.print({ command: trimmed, stdout: 'This terminal speaks docker: try docker run hello-world, docker ps -a, docker images, docker --help.\nUp/Down: history. Tab: completion. clear: empty the screen.', stderr: '', explanation: '' });
      return;
    }
    // Measured: everything the page does for a command (the engine, parsing,
    // drawing every view, checking the goal); the request animation and the
    // undo checkpoint then happen on their own.
    this.flush();
    const t0 = performance.now();
    const t1 = t0;
    const text = this.pg.run(trimmed);
    const t2 = performance.now();
    const outcome = JSON.parse(text);
    outcome.elapsed_ms = t2 - t1;
    this.commands.push(trimmed);
    this.print(outcome);
    this.last = outcome;
    this.refresh(outcome.state, outcome.transitions);
    // Inside an attached container shell the prompt is the container's.
    if (outcome.prompt && outcome.prompt.trim() !== '$') $('ps1').textContent = outcome.prompt.trim();
    if (!replaying) this.check();
    probe.engine.push(t2 - t1);
    probe.timings.push(performance.now() - t0);
    this.later();
  }

  /**
   * Brings the views up to date. Only the visible one is drawn now (drawing
   * all five doubled the time of a command); the others are drawn when
   * their tab is selected.
   */
  refresh(state, transitions) {
    this.stale = { state, transitions, outcome: this.last, views: new Set(['arch', 'wire', 'states', 'procs', 'vms']) };
    this.onTab = () => this.drawVisible();
    this.drawVisible();
    $('ps1').textContent = state.context === 'remote' ? 'remote $' : '$';
  }

  drawVisible() {
    const s = this.stale;
    if (!s) return;
    const tab = document.querySelector('[role=tab][aria-selected=true]');
    const view = tab ? tab.id.replace('tab-', '') : 'arch';
    if (!s.views.delete(view)) return;
    const last = s.transitions && s.transitions.length ? s.transitions[s.transitions.length - 1].container : null;
    if (view === 'arch') { this.views.arch.update(s.state); if (s.outcome) this.views.arch.show(s.outcome); }
    if (view === 'wire' && s.outcome) this.views.wire.show(s.outcome);
    if (view === 'states') this.views.sm.update(s.state, s.transitions);
    if (view === 'procs') this.views.pl.update(s.state, last);
    if (view === 'vms') this.views.vms.update(s.state);
  }

  print(o) {
    const out = $('out');
    const entry = el('div', { class: 'entry' });
    if (o.command) entry.append(el('div', { class: 'cmdline' }, el('span', { class: 'ps', 'aria-hidden': 'true' }, '$ '), o.command));
    // Tables (docker ps, images) scroll sideways rather than wrap.
    if (o.stdout) entry.append(el('pre', { class: /\S {3,}\S/.test(o.stdout) ? 'stdout table' : 'stdout' }, o.stdout));
    // The CLI writes progress to stderr too: red only when the command failed.
    if (o.stderr) entry.append(el('pre', { class: o.exit_code ? 'stderr' : 'stderr ok' }, o.stderr));
    if (o.explanation) entry.append(el('p', { class: 'explain' }, o.explanation));
    out.append(entry);
    while (out.children.length > OUTPUT_ENTRIES) out.firstChild.remove();
    out.scrollTop = out.scrollHeight;
  }

  note(text) {
    const entry = el('div', { class: 'entry' }, el('p', { class: 'explain' }, text));
    $('out').append(entry);
    $('out').scrollTop = $('out').scrollHeight;
  }
}

async function main() {
  const [, index] = await Promise.all([init(), fetch('lessons/index.json').then((r) => r.json())]);
  const tracks = await Promise.all(index.tracks.map((f) => fetch('lessons/' + f).then((r) => r.json())));
  const app = new App(tracks);
  window.__dockhand.app = app;
  $('loading').hidden = true;
  $('app').hidden = false;
  if (!app.fromHash()) {
    const first = app.levels.find((l) => !app.progress[l.id]) || app.levels[0];
    app.start(first.id, []);
  }
  $('cmd').focus();
  probe.readyMs = performance.now();
  document.documentElement.dataset.ready = '1';
}

main().catch((e) => {
  $('loading').textContent = `The playground could not start: ${e && e.message ? e.message : e}`;
  probe.errors.push(String(e));
  throw e;
});
