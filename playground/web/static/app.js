// The playground page: loads the WebAssembly engine, runs the terminal and
// the lessons, and feeds every command's outcome to the views.
// No framework, no build step: ES modules served as they are.

import init, { Playground } from './pkg/dockhand_playground_web.js';
import { el, fill, plural, reducedMotion } from './dom.js';
import { Architecture, Wire, StateMachine, ProcessLens, VmsVsContainers } from './diagrams.js';
import { ImagesView } from './images.js';

const $ = (id) => document.getElementById(id);
const PROGRESS_KEY = 'dockhand.playground.progress';
const OUTPUT_ENTRIES = 200;

// What the browser test reads: readiness, per-command timings, errors.
const probe = (window.__dockhand = { readyMs: null, timings: [], engine: [], lines: [], errors: [] });
window.addEventListener('error', (e) => probe.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => probe.errors.push(String(e.reason)));

const WELCOMED_KEY = 'dockhand.playground.welcomed';
const CHIPS = ['docker ps -a', 'docker images', 'docker run hello-world', 'docker run -d --name web -p 8080:80 nginx',
  'docker logs web', 'docker exec web ps', 'docker stop web', 'docker rm web', 'docker version', 'docker system df'];
// The sandbox's project: enough for docker build to work at once.
const SANDBOX_FILES = {
  Dockerfile: 'FROM busybox\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n',
  'hello.txt': 'Hello from my own image!\n',
};
const VIEW_TABS = ['tab-arch', 'tab-wire', 'tab-states', 'tab-procs', 'tab-vms', 'tab-images'];


/** A sentence ends with one mark: "Who answers?" stays, "PID 1" gets a period. */
function sentence(text) {
  const t = String(text || '').trim();
  return /[.!?…:]$/.test(t) ? t : t + '.';
}

/** The commands of a level's solution (file edits are not commands): its par. */
export function par(level) {
  return level.solution.filter((c) => !c.startsWith('#file ')).length;
}

/**
 * Whether a command counts against par: it did something. A line that
 * failed before reaching the daemon (a typo, an unknown command or flag,
 * a quote left open) does not; a command the daemon refused does.
 */
export function counts(outcome) {
  return outcome.exit_code === 0 || outcome.exchanges.length > 0;
}

/**
 * The here-document a command line opens and does not close (`<<EOF`,
 * `<<-EOF`, `<<'EOF'`): its delimiter, or null.
 */
function heredocOpen(text) {
  const m = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(text);
  if (!m) return null;
  const strip = m[1] === '-';
  const rest = text.split('\n').slice(1);
  if (rest.some((l) => (strip ? l.replace(/^\t+/, '') : l).trim() === m[3])) return null;
  return { word: m[3], strip };
}

class App {
  constructor(tracks) {
    this.tracks = tracks;
    this.levels = tracks.flatMap((t) => t.levels.map((l) => ({ ...l, track: t })));
    this.pg = null;
    this.level = null; // null: sandbox
    this.commands = []; // commands typed in this level (for sharing)
    this.counted = []; // per entry of commands: whether it counts against par
    // Undo: the module keeps a checkpoint of the engine after each step
    // (pg.checkpoint(), pg.undo()). The one after a command is taken when
    // the page is idle, or at once if another command comes first.
    this.pending = false;
    this.history = [];
    this.cursor = 0;
    this.hintsShown = 0;
    this.lastComplete = false;
    this.replaying = false;
    this.saved = {}; // the project files as last saved (the editor shows unsaved changes)
    this.drafts = {}; // unsaved edits, by file
    this.views = {
      arch: new Architecture(), wire: new Wire(), sm: new StateMachine(), pl: new ProcessLens(), vms: new VmsVsContainers(),
      images: new ImagesView(),
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
      // The completion card is open: Enter on an empty prompt is its Next.
      if (!input.value.trim() && $('done-dlg').open) { $('done-dlg').close('next'); return; }
      const line = input.value;
      input.value = '';
      this.submit(line);
    });
    input.addEventListener('keydown', (e) => this.key(e));
    // A pasted block of lines (a here-document, a few commands) runs line by
    // line, as a terminal does; the last line stays in the prompt.
    input.addEventListener('paste', (e) => {
      const text = (e.clipboardData && e.clipboardData.getData('text')) || '';
      if (!text.includes('\n')) return;
      e.preventDefault();
      const lines = text.replace(/\r/g, '').split('\n');
      const last = lines.pop();
      lines[0] = input.value + lines[0];
      input.value = '';
      for (const line of lines) this.submit(line);
      input.value = last;
    });
    fill($('track'), this.tracks.map((t, i) => el('option', { value: String(i) }, t.title)));
    $('track').addEventListener('change', () => {
      const t = this.tracks[Number($('track').value)];
      this.start(t.levels[0].id, [], true);
    });
    $('level').addEventListener('change', () => this.start($('level').value, [], true));
    $('sandbox').addEventListener('click', () => this.start(null, [], true));
    $('share').addEventListener('click', () => this.share());
    $('hint').addEventListener('click', () => this.hint());
    $('solution').addEventListener('click', () => this.solution());
    $('undo').addEventListener('click', () => this.undoLast());
    $('reset').addEventListener('click', () => this.start(this.level ? this.level.id : null, []));
    $('next').addEventListener('click', () => this.next());
    $('file-pick').addEventListener('change', () => this.showFile());
    $('file-save').addEventListener('click', () => this.saveFile());
    $('file-new').addEventListener('click', () => this.newFile());
    $('file-text').addEventListener('input', () => this.markDirty());
    $('file-text').addEventListener('keydown', (e) => {
      if (e.key === 's' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.saveFile(); }
    });
    this.tabs();
    this.dialogs();
    this.panes();
    // Alt+1…6 shows a view without leaving the terminal.
    document.addEventListener('keydown', (e) => {
      // e.code, not e.key: on a Mac, Option+1 types ¡.
      const n = e.altKey && !e.ctrlKey && !e.metaKey && /^Digit\d$/.test(e.code) ? Number(e.code.slice(5)) : 0;
      if (n >= 1 && n <= VIEW_TABS.length) {
        e.preventDefault();
        this.selectTab(VIEW_TABS[n - 1]);
        if ($('app').dataset.pane === 'term') this.pane('views');
      }
    });
    window.addEventListener('hashchange', () => this.fromHash());
  }

  chip(text, run) {
    const b = el('button', { type: 'button', class: 'chip' }, text);
    b.addEventListener('click', () => {
      const input = $('cmd');
      input.value = text;
      this.pane('term');
      input.focus();
      if (run) input.setSelectionRange(text.length, text.length);
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

  /** Below 900 px one pane shows at a time: the lesson, the terminal or the picture. */
  panes() {
    for (const b of document.querySelectorAll('#panes button')) b.addEventListener('click', () => this.pane(b.dataset.pane));
    const narrow = window.matchMedia('(max-width: 900px)');
    const layout = () => {
      this.views.arch.layout(narrow.matches ? 'tall' : 'wide');
      this.views.sm.layout(narrow.matches ? 'narrow' : 'wide');
    };
    narrow.addEventListener('change', layout);
    layout();
  }

  pane(name) {
    $('app').dataset.pane = name;
    for (const b of document.querySelectorAll('#panes button')) b.setAttribute('aria-pressed', String(b.dataset.pane === name));
    if (name === 'views') $('pane-dot').hidden = true;
  }

  dialogs() {
    $('welcome').addEventListener('close', () => {
      try { localStorage.setItem(WELCOMED_KEY, '1'); } catch { /* private mode */ }
      if ($('welcome').returnValue === 'sandbox') this.start(null, [], true);
      else if (this.level) this.intro(); else this.focusTerminal();
    });
    $('level-dlg').addEventListener('close', () => this.focusTerminal());
    $('done-dlg').addEventListener('close', () => {
      document.body.classList.remove('done-open');
      if ($('done-dlg').returnValue === 'next') this.next(); else this.focusTerminal();
    });
    // The completion card is not modal (the picture stays in view), so
    // Escape is handled here: it stays on the level.
    $('done-dlg').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); $('done-dlg').close('stay'); }
    });
  }

  open(id, modal = true) {
    for (const d of document.querySelectorAll('dialog[open]')) if (d.id !== id) { d.returnValue = ''; d.close(); }
    const d = $(id);
    d.returnValue = '';
    if (!d.open) { if (modal) d.showModal(); else d.show(); }
  }

  focusTerminal() {
    if (document.querySelector('dialog[open]')) return;
    this.pane('term');
    $('cmd').focus();
    // A dialog closed by a click hands the focus back after its close
    // event: focusing once more when that is over puts the caret in the
    // prompt (else the prompt looks focused but typing goes nowhere).
    setTimeout(() => { if (!document.querySelector('dialog[open]')) { $('cmd').blur(); $('cmd').focus(); } }, 0);
  }

  welcome() {
    let seen = false;
    try { seen = localStorage.getItem(WELCOMED_KEY) === '1'; } catch { /* private mode */ }
    if (seen) { if (this.level) this.intro(); return; }
    this.open('welcome');
  }

  /** The level dialog: where we are, the story, the goal, a picture of the target. */
  intro() {
    const l = this.level;
    if (!l) return;
    $('level-dlg-where').textContent = this.where(l);
    $('level-dlg-title').textContent = l.title;
    fill($('level-dlg-story'), l.story.map((p) => el('p', null, p)));
    fill($('level-dlg-goal'), l.goal.map((g) => el('li', null, el('span', { class: 'tick', 'aria-hidden': 'true' }, '○'), ' ', g.text)));
    fill($('level-dlg-picture'), targetPicture(l));
    this.open('level-dlg');
  }

  where(l) {
    const t = l.track;
    const i = t.levels.findIndex((x) => x.id === l.id);
    return `${t.title.replace(/^\d+\.\s*/, '')} · level ${i + 1} of ${t.levels.length}`;
  }

  /**
   * The completion card: the success text, moves against par, Next. It is
   * not modal and docks beside the picture (over the lesson column; at the
   * bottom of a phone's screen, after switching to the Picture pane), so
   * the learner sees what the last command did while reading it.
   */
  complete() {
    const l = this.level;
    const used = this.counted.filter(Boolean).length;
    const typos = this.commands.filter((c, i) => !c.startsWith('#file ') && !this.counted[i]).length;
    const p = par(l);
    $('done-dlg-where').textContent = this.where(l);
    $('done-dlg-title').textContent = `Level complete: ${l.title}`;
    $('done-dlg-success').textContent = l.success || '';
    const score = $('done-dlg-score');
    if (used <= p) {
      fill(score, 'You used ', el('strong', null, plural(used, 'command')), `; par is ${p}. `, used < p ? 'Better than par!' : 'Right on par.');
    } else {
      fill(score, `You used ${plural(used, 'command')}; par is ${p}. `, 'Show solution has the short way.');
    }
    $('done-dlg-rule').textContent = `Counted: the commands that did something${typos ? ` (not your ${plural(typos, 'line')} that failed before reaching the daemon: a typo, an unknown command or flag)` : '; a line that fails before reaching the daemon (a typo) is not counted'}. Par is the solution's count.`;
    const i = this.levels.indexOf(l);
    const last = i + 1 === this.levels.length;
    $('done-next').textContent = last ? 'Next: the sandbox' : 'Next level';
    // The end of the course says so, and what is left.
    const finished = this.levels.filter((x) => this.progress[x.id]).length;
    const left = this.levels.filter((x) => !this.progress[x.id]);
    $('done-dlg-course').hidden = !last;
    $('done-dlg-course').textContent = !last ? ''
      : left.length === 0 ? `That was the last level: you have finished all ${this.levels.length} levels. The sandbox is yours: a whole engine, a project to build, even a swarm.`
        : `That was the last level: you have finished ${finished} of ${this.levels.length}. ${left.length <= 3 ? `Still open: ${left.map((x) => x.title).join(', ')}` : `${left.length} are still open`} (the Level menu marks the finished ones ✓).`;
    if (window.matchMedia('(max-width: 900px)').matches) this.pane('views');
    document.body.classList.add('done-open');
    // The card does not take the focus: what the learner types still goes
    // to the terminal, where Enter on an empty prompt means Next.
    const had = document.activeElement;
    this.open('done-dlg', false);
    if (had && had !== document.body) had.focus(); else $('done-next').focus();
  }

  /**
   * Opens the completion dialog a moment after the command that completed
   * the level, so the learner first sees its output and the picture move;
   * another command in the meantime puts it off again.
   */
  completeSoon() {
    clearTimeout(this.doneTimer);
    const delay = probe.dialogDelayMs ?? (reducedMotion() ? 300 : 1200);
    this.doneTimer = setTimeout(() => { this.doneTimer = null; if (this.lastComplete) this.complete(); }, delay);
  }

  loadProgress() {
    try { return JSON.parse(localStorage.getItem(PROGRESS_KEY) || '{}') || {}; } catch { return {}; }
  }

  saveProgress() {
    try { localStorage.setItem(PROGRESS_KEY, JSON.stringify(this.progress)); } catch { /* private mode */ }
  }

  // ------------------------------------------------------------ levels

  /**
   * Starts a level (or the sandbox when id is null) and replays commands;
   * `intro` opens the level dialog (a new level, not a reset).
   */
  start(id, replay, intro) {
    const level = id ? this.levels.find((l) => l.id === id) : null;
    for (const d of document.querySelectorAll('dialog[open]')) { d.returnValue = ''; d.close(); }
    clearTimeout(this.doneTimer);
    this.doneTimer = null;
    this.level = level || null;
    this.pg = new Playground();
    const files = this.level ? this.level.files || {} : SANDBOX_FILES;
    for (const [path, text] of Object.entries(files)) this.pg.write_file(path, text);
    this.views.images.reset();
    for (const line of this.level ? this.level.setup || [] : []) {
      const text = this.pg.run(line);
      // The images view shows the setup's build (flow-2 builds once before the learner).
      if (/^docker\s+(image\s+)?(build|push|pull)\b/.test(line)) this.views.images.add(JSON.parse(text), JSON.parse(this.pg.files()));
    }
    this.pg.begin_level();
    // The module remembers the goal and checks it after every command
    // (replays included): a check once met stays met until Reset or Undo.
    if (this.level) this.pg.check(this.goal());
    this.commands = [];
    this.counted = [];
    this.pg.checkpoint();
    this.pending = false;
    this.hintsShown = 0;
    this.lastComplete = false;
    fill($('out'));
    fill($('hints'));
    this.renderLesson();
    const state = JSON.parse(this.pg.state());
    this.last = null;
    this.views.wire.reset();
    this.views.vms.reset(state);
    for (const live of ['arch-live', 'wire-live', 'sm-live', 'pl-live', 'vm-live', 'img-live']) $(live).textContent = '';
    this.views.arch.reset();
    this.views.sm.reset();
    this.refresh(state, []);
    // The sandbox opens on the big picture, not on the last level's view.
    if (this.level && this.level.view) this.selectTab('tab-' + this.level.view);
    else if (!this.level) this.selectTab('tab-arch');
    if (id && !level) this.note(`No level named ${id}: here is the sandbox.`);
    this.greet();
    this.replaying = true;
    for (const line of replay) this.submit(line, true);
    this.replaying = false;
    this.check();
    if (intro && this.level) this.intro(); else if (intro) this.focusTerminal();
  }

  /** The terminal's first line: what to type. */
  greet() {
    const narrow = window.matchMedia('(max-width: 900px)').matches;
    const text = this.level
      ? `Type a docker command below and press Enter. Your goal is ${narrow ? 'under Lesson' : 'on the left'}; Hint helps if you are stuck.`
      : 'Sandbox: an empty Docker engine and a small project (Dockerfile, hello.txt). Try docker run hello-world, or docker build -t mine . then docker run mine.';
    $('out').append(el('div', { class: 'entry' }, el('p', { class: 'greet' }, text)));
  }

  /** The goal as the module checks it; a check may compare the output with a project file. */
  goal() {
    const files = this.pg ? JSON.parse(this.pg.files()) : {};
    return JSON.stringify(this.level.goal.map((g) => {
      if (!g.matches_file) return g;
      // "The served page is your file": the last output holds the saved
      // content of that file, whatever the learner wrote in it.
      const text = (files[g.matches_file] || '').trim();
      return { text: g.text, expect: { last: { stdout: { $contains: text || '\u0000(empty file)' }, exit_code: 0 } } };
    }));
  }

  renderLesson() {
    const l = this.level;
    const trackIndex = l ? this.tracks.indexOf(l.track) : -1;
    if (l) {
      $('track').value = String(trackIndex);
      fill($('level'), l.track.levels.map((x, i) => el('option', { value: x.id }, `${i + 1}. ${x.title}${this.progress[x.id] ? ' ✓' : ''}`)));
      $('level').value = l.id;
    }
    if (!l) fill($('level'), el('option', { value: '' }, '(none: sandbox)'));
    $('level').disabled = !l;
    $('sandbox').setAttribute('aria-pressed', String(!l));
    const mode = $('mode');
    mode.classList.toggle('sandbox', !l);
    mode.textContent = l ? `Level ${this.levels.indexOf(l) + 1} of ${this.levels.length}` : 'Sandbox: free play, no goal';
    $('lesson-where').textContent = l ? this.where(l) : 'Free play';
    $('lesson-title').textContent = l ? l.title : 'Sandbox';
    fill($('lesson-story'), (l ? l.story : [
      'A Docker engine of your own, simulated in your browser, with a small project to build. Try anything: docker run -d --name web -p 8080:80 nginx, docker ps, docker exec web ps, docker network create, docker build -t mine .',
      'Or a swarm, as on Play with Docker: docker swarm init, docker service create --name web --replicas 3 -p 80:80 nginx, docker service ps web, docker service scale web=5.',
      'Share link saves every command you typed in the address, so someone else can replay your sandbox.',
    ]).map((p) => el('p', null, p)));
    $('story-box').open = !l;
    fill($('goal'), l ? l.goal.map((g) => el('li', null, el('span', { class: 'tick', 'aria-hidden': 'true' }, '○'), ' ', el('span', { class: 'goal-text' }, g.text))) : el('li', null, 'No goal here: explore.'));
    for (const b of ['hint', 'solution', 'next']) $(b).disabled = !l;
    this.saved = JSON.parse(this.pg.files());
    this.drafts = {};
    const names = Object.keys(this.saved);
    $('files-box').hidden = names.length === 0;
    fill($('file-pick'), names.map((n) => el('option', { value: n }, n)));
    this.showFile();
    $('done').textContent = '';
    $('app').dataset.complete = '0';
    fill($('chips'), this.chips().map((c) => this.chip(c)));
  }

  /**
   * Mobile suggestion chips: the shapes of the level's commands first
   * ("docker exec "), then everyday commands; never a line of the solution.
   */
  chips() {
    const solution = this.level ? this.level.solution : [];
    const shapes = solution.filter((c) => c.startsWith('docker ')).map((c) => {
      const w = c.split(' ');
      return w.slice(0, w[1].startsWith('-') ? 4 : 2).join(' ') + ' ';
    });
    return [...shapes, ...CHIPS].filter((c, i, a) => a.indexOf(c) === i && !solution.includes(c.trim())).slice(0, 10);
  }

  showFile() {
    const name = $('file-pick').value;
    // An unsaved edit survives switching to another file and back.
    $('file-text').value = !name ? '' : name in this.drafts ? this.drafts[name] : this.saved[name] || '';
    this.markDirty();
  }

  /** Whether the editor holds changes not yet saved; says so next to Save and in the file list. */
  markDirty() {
    const name = $('file-pick').value;
    if (name) {
      if ($('file-text').value !== (this.saved[name] || '')) this.drafts[name] = $('file-text').value;
      else delete this.drafts[name];
    }
    const dirty = Boolean(name) && name in this.drafts;
    $('file-text').classList.toggle('dirty', dirty);
    const status = $('file-status');
    status.classList.toggle('dirty', dirty);
    status.textContent = dirty ? `● ${name}: unsaved changes (Save file or Ctrl+S; docker build uses the saved file)` : '';
    for (const opt of $('file-pick').options) opt.textContent = opt.value + (opt.value in this.drafts ? ' ●' : '');
    return Object.keys(this.drafts).length > 0;
  }

  saveFile() {
    const name = $('file-pick').value;
    if (!name) return;
    this.flush();
    const text = $('file-text').value;
    this.pg.write_file(name, text);
    this.saved[name] = text;
    delete this.drafts[name];
    this.commands.push(`#file ${name} ${text}`);
    this.counted.push(false);
    this.later();
    this.markDirty();
    $('file-status').textContent = `Saved ${name}.`;
    this.filesChanged();
    this.check();
  }

  /** The images view shows the Dockerfile before a build and what a saved change will rebuild. */
  filesChanged() {
    if (this.stale) { this.stale.views.add('images'); this.drawVisible(); }
  }

  newFile() {
    const name = (window.prompt('Name of the new file (for example app.py):') || '').trim();
    if (!name || /\s/.test(name)) return;
    if (!(name in this.saved)) {
      this.pg.write_file(name, '');
      this.saved[name] = '';
      $('file-pick').append(el('option', { value: name }, name));
    }
    $('file-pick').value = name;
    this.showFile();
    $('file-text').focus();
  }

  check() {
    if (!this.level) { $('app').dataset.complete = '0'; $('pane-goal').textContent = ''; return; }
    const met = JSON.parse(this.pg.check(this.goal()));
    const items = $('goal').querySelectorAll('li');
    met.forEach((ok, i) => {
      if (!items[i]) return;
      items[i].classList.toggle('met', ok);
      items[i].querySelector('.tick').textContent = ok ? '✓' : '○';
    });
    const all = met.length > 0 && met.every(Boolean);
    $('pane-goal').textContent = ` ${met.filter(Boolean).length}/${met.length}`;
    $('app').dataset.complete = all ? '1' : '0';
    if (all && !this.lastComplete) {
      $('done').textContent = `Level complete: ${sentence(this.level.title)} ${this.level.success || ''}`.trim();
      this.progress[this.level.id] = true;
      this.saveProgress();
      const opt = $('level').querySelector(`option[value="${CSS.escape(this.level.id)}"]`);
      if (opt && !opt.textContent.endsWith('✓')) opt.textContent += ' ✓';
      if (!this.replaying) this.completeSoon();
    } else if (!all) {
      $('done').textContent = '';
    }
    this.lastComplete = all;
  }

  hint() {
    const hints = this.level ? this.level.hints : [];
    if (this.hintsShown < hints.length) {
      const n = this.hintsShown + 1;
      $('hints').append(el('p', { class: 'hint' }, el('span', { class: 'step' }, `Hint ${n} of ${hints.length}: `), hints[this.hintsShown]));
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
    if (i + 1 >= this.levels.length) { this.start(null, [], true); return; }
    this.start(this.levels[i + 1].id, [], true);
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
    this.counted.pop();
    if (undone && undone.startsWith('#file ')) {
      this.saved = JSON.parse(this.pg.files());
      this.showFile();
    }
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
    if (params.has('level')) { this.start(params.get('level'), [], true); return true; }
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
    // Inside a here-document (`cat > Dockerfile <<EOF`): keep the lines, with
    // the shell's `> ` prompt, until the delimiter; then run the whole text.
    if (this.heredoc) {
      const h = this.heredoc;
      h.lines.push(line);
      const end = (h.strip ? line.replace(/^\t+/, '') : line).trim() === h.word;
      if (!end) {
        const entry = el('div', { class: 'entry' }, el('div', { class: 'cmdline' }, el('span', { class: 'ps', 'aria-hidden': 'true' }, '> '), line));
        h.entries.push(entry);
        $('out').append(entry);
        $('out').scrollTop = $('out').scrollHeight;
        return;
      }
      // The whole command is echoed once, with its output, below.
      for (const entry of h.entries) entry.remove();
      this.heredoc = null;
      $('ps1').textContent = h.ps;
      line = h.lines.join('\n');
    } else {
      const open = heredocOpen(line);
      if (open && $('ps1').textContent.trim().endsWith('$')) {
        const entry = el('div', { class: 'entry' }, el('div', { class: 'cmdline' }, el('span', { class: 'ps', 'aria-hidden': 'true' }, `${$('ps1').textContent} `), line));
        this.heredoc = { ...open, lines: [line], ps: $('ps1').textContent, entries: [entry] };
        $('out').append(entry);
        $('ps1').textContent = '>';
        return;
      }
    }
    const trimmed = line.trim();
    if (!trimmed) return;
    this.history.push(trimmed);
    this.cursor = this.history.length;
    if (trimmed === 'clear') { fill($('out')); return; }
    if (trimmed.startsWith('#file ')) {
      // A saved file edit inside a shared link.
      const rest = trimmed.slice(6);
      const sp = rest.indexOf(' ');
      if (sp > 0) {
        this.flush();
        this.pg.write_file(rest.slice(0, sp), rest.slice(sp + 1));
        this.saved = JSON.parse(this.pg.files());
        this.showFile();
        this.commands.push(trimmed);
        this.counted.push(false);
        this.later();
        this.filesChanged();
      }
      return;
    }
    const ps = $('ps1').textContent;
    if (trimmed === 'help') {
      this.print({ command: trimmed, stdout: 'This terminal speaks docker: try docker run hello-world, docker ps -a, docker images, docker --help.\nUp/Down: history. Tab: completion. clear: empty the screen. Alt+1…6: the views.', stderr: '', explanation: '' }, ps);
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
    this.counted.push(counts(outcome));
    this.print(outcome, ps);
    if (/^(\w+=\S*\s+)*docker\s+(image\s+)?build\b/.test(trimmed) && !replaying && this.markDirty()) {
      this.note(`${Object.keys(this.drafts).join(', ')}: unsaved changes, so this build used the saved files. Save file, then build again.`);
    }
    this.last = outcome;
    this.refresh(outcome.state, outcome.transitions);
    // Inside an attached container shell the prompt is the container's.
    if (outcome.prompt && outcome.prompt.trim() !== '$') $('ps1').textContent = outcome.prompt.trim();
    if (!replaying) this.check();
    if (this.doneTimer && !replaying) this.completeSoon();
    if ($('app').dataset.pane === 'term' && outcome.exchanges.length) $('pane-dot').hidden = false;
    probe.engine.push(t2 - t1);
    probe.lines.push(trimmed);
    probe.timings.push(performance.now() - t0);
    this.later();
  }

  /**
   * Brings the views up to date. Only the visible one is drawn now (drawing
   * all five doubled the time of a command); the others are drawn when
   * their tab is selected. The wire view keeps every command's exchanges.
   */
  refresh(state, transitions) {
    if (this.last) { this.views.wire.add(this.last); this.views.images.add(this.last, JSON.parse(this.pg.files())); }
    this.stale = { state, transitions, outcome: this.last, views: new Set(['arch', 'wire', 'states', 'procs', 'vms', 'images']) };
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
    if (view === 'wire') this.views.wire.draw();
    if (view === 'states') this.views.sm.update(s.state, s.transitions);
    if (view === 'procs') this.views.pl.update(s.state, last);
    if (view === 'vms') this.views.vms.update(s.state, s.outcome);
    if (view === 'images') this.views.images.update(s.state, JSON.parse(this.pg.files()));
  }

  print(o, ps) {
    const out = $('out');
    const entry = el('div', { class: 'entry' });
    if (o.command) entry.append(el('div', { class: 'cmdline' }, el('span', { class: 'ps', 'aria-hidden': 'true' }, `${ps || '$'} `), o.command));
    // Tables (docker ps, images) keep their columns: they shrink a little
    // to fit the terminal, and scroll sideways only past that.
    let table = null;
    // Both streams in the order the CLI printed them (the pull's progress on
    // stderr, then the container's output), each run of one stream a block.
    const runs = [];
    const pieces = o.printed && o.printed.length
      ? o.printed
      : [{ stderr: false, text: o.stdout || '' }, { stderr: true, text: o.stderr || '' }];
    for (const p of pieces) {
      if (!p.text) continue;
      const lastRun = runs[runs.length - 1];
      if (lastRun && lastRun.stderr === p.stderr) lastRun.text += p.text;
      else runs.push({ stderr: p.stderr, text: p.text });
    }
    for (const run of runs) {
      if (!run.stderr) {
        const isTable = /\S {3,}\S/.test(run.text);
        const pre = el('pre', { class: isTable ? 'stdout table' : 'stdout' }, run.text);
        if (isTable) table = pre;
        entry.append(pre);
      } else {
        // The CLI writes progress to stderr too: red only when the command failed.
        entry.append(el('pre', { class: o.exit_code ? 'stderr' : 'stderr ok' }, run.text));
      }
    }
    if (o.explanation) entry.append(el('p', { class: 'explain' }, o.explanation));
    out.append(entry);
    while (out.children.length > OUTPUT_ENTRIES) out.firstChild.remove();
    out.scrollTop = out.scrollHeight;
    if (table) {
      // Measured when the page next draws, not in the middle of the command.
      requestAnimationFrame(() => {
        const columns = Math.max(...table.textContent.split('\n').map((l) => l.length));
        const room = table.clientWidth;
        // A monospace character is about 0.6 em wide.
        const size = Math.min(13, room / (columns * 0.61));
        if (room > 0 && size < 13) table.style.fontSize = `${Math.max(10, size).toFixed(1)}px`;
        out.scrollTop = out.scrollHeight;
      });
    }
  }

  note(text) {
    const entry = el('div', { class: 'entry' }, el('p', { class: 'explain' }, text));
    $('out').append(entry);
    $('out').scrollTop = $('out').scrollHeight;
  }
}

/**
 * A picture of what the goal asks for, from the goal's own patterns: the
 * containers (name, state, exit code) and images it names. Null when the
 * goal is about requests only (the views show those).
 */
export function targetPicture(level) {
  const cards = [];
  const card = (where, name, st, cls) => cards.push({ where, node: el('div', { class: 'card' }, el('span', { class: 'name' }, name), el('span', { class: 'st ' + cls }, st)) });
  const container = (where, c) => {
    if (!c || typeof c !== 'object') return;
    const name = c.name || (c.image ? `a ${c.image} container` : 'a container');
    const st = c.state ? c.state + (c.exit_code !== undefined ? ` (exit code ${c.exit_code})` : '') : 'exists';
    card(where, name, st, c.state || '');
  };
  const text = (p) => (typeof p === 'string' ? p : p && p.$contains ? `…${p.$contains}…` : '');
  for (const g of level.goal) {
    // Requests the client must send: method, path and the status that answers.
    for (const r of (g.expect && Array.isArray(g.expect.seen) ? g.expect.seen : [])) {
      const what = `${r.method || 'a request'} ${text(r.path)}`.trim();
      const status = r.status ? `answered ${r.status}` : 'sent';
      card(r.daemon === 'remote' ? 'requests to the remote daemon' : 'requests to the daemon', what, status, r.status >= 400 || r.status === 304 ? 'exited' : 'running');
    }
    const st = g.expect && g.expect.state;
    if (!st) continue;
    for (const [key, where] of [['containers', 'on your daemon'], ['remote_containers', 'on the remote daemon']]) {
      const p = st[key];
      if (Array.isArray(p)) p.forEach((c) => container(where, c));
      else if (p && p.$count) for (let i = 0; i < Math.min(4, p.$count.min || 0); i++) container(where, { name: `container ${i + 1}`, ...p.$count.match });
      else if (p && p.$none) card(where, p.$none.name || 'none', 'not here', 'absent');
      else if (p && p.$len === 0) card(where, 'no container', 'all removed', 'absent');
    }
    for (const [key, where] of [['images', 'images'], ['registry', 'in the registry']]) {
      if (!Array.isArray(st[key])) continue;
      for (const img of st[key]) {
        const tags = (img.tags || []).map((t) => (typeof t === 'string' ? t : t.$contains || '')).filter(Boolean);
        if (tags.length) card(where, tags.join(', '), 'image', 'running');
      }
    }
  }
  if (!cards.length) return null;
  const groups = [];
  for (const c of cards) {
    let g = groups.find((x) => x.where === c.where);
    if (!g) { g = { where: c.where, nodes: [] }; groups.push(g); }
    g.nodes.push(c.node);
  }
  return el('div', { class: 'target', 'aria-label': 'What you will have at the end' },
    el('h3', { class: 'target-where' }, 'The target'),
    groups.flatMap((g) => [el('p', { class: 'target-where' }, g.where + ':'), ...g.nodes]));
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
    // First visit: the welcome, then the level dialog; later: the level dialog.
    app.welcome();
  }
  app.focusTerminal();
  probe.readyMs = performance.now();
  document.documentElement.dataset.ready = '1';
}

main().catch((e) => {
  $('loading').textContent = `The playground could not start: ${e && e.message ? e.message : e}`;
  probe.errors.push(String(e));
  throw e;
});
