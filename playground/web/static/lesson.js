// A level: starting it, rendering its story, goal and chips, checking the
// goal, hints, progress, undo and shared links.
// Methods of the page's App (app.js), kept here by concern.

import { Playground } from './pkg/dockhand_playground_web.js';
import { el, fill, plural } from './dom.js';
import { SANDBOX_FILES } from './files.js';
import { sentence } from './dialogs.js';

const $ = (id) => document.getElementById(id);
const PROGRESS_KEY = 'dockhand.playground.progress';
const CHIPS = ['docker ps -a', 'docker images', 'docker run hello-world', 'docker run -d --name web -p 8080:80 nginx',
  'docker logs web', 'docker exec web ps', 'docker stop web', 'docker rm web', 'docker version', 'docker system df'];

/** The App's level methods. */
export class Lesson {
  loadProgress() {
    try { return JSON.parse(localStorage.getItem(PROGRESS_KEY) || '{}') || {}; } catch { return {}; }
  }

  saveProgress() {
    try { localStorage.setItem(PROGRESS_KEY, JSON.stringify(this.progress)); } catch { /* private mode */ }
  }

  /**
   * Starts a level (or the sandbox when id is null) and replays commands;
   * `intro` opens the level dialog (a new level, not a reset).
   */
  start(id, replay, intro) {
    const level = id ? this.levels.find((l) => l.id === id) : null;
    for (const d of document.querySelectorAll('dialog[open]')) { d.returnValue = ''; d.close(); }
    clearTimeout(this.doneTimer);
    this.doneTimer = null;
    this.disarmReset();
    this.level = level || null;
    // Each level has its own ids (the same on every run of it).
    this.pg = Playground.forLevel(this.level ? this.level.id : 'sandbox');
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
    $('hints').classList.remove('folded');
    this.renderLesson();
    const state = JSON.parse(this.pg.state());
    this.last = null;
    this.views.wire.reset();
    this.views.vms.reset(state, this.invite(), this.level && this.level.picture);
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

  /**
   * The Sandbox button. Pressed in the sandbox it keeps the learner's work
   * (it used to start the sandbox afresh, silently, with no undo): it says
   * so and hands the terminal the focus; Reset is the way to start over.
   */
  sandboxButton() {
    if (!this.level && this.pg) {
      this.note('You are already in the sandbox: your containers, images and files stay as they are. Reset starts it afresh.');
      this.focusTerminal();
      return;
    }
    this.start(null, [], true);
  }

  /**
   * Reset: the level (or the sandbox) afresh. A sandbox with work in it
   * asks first (Undo cannot go back across a reset): the first press says
   * what goes and arms the button, a second press resets; a command in
   * between disarms it.
   */
  reset() {
    const work = this.commands.length;
    if (!this.level && work && !this.resetArmed) {
      this.resetArmed = true;
      $('reset').textContent = 'Reset: sure?';
      this.note(`Reset empties the sandbox: what your ${plural(work, 'command')} made goes, and Undo cannot bring it back. Press Reset again to start afresh.`);
      this.focusTerminal();
      return;
    }
    this.start(this.level ? this.level.id : null, []);
    this.focusTerminal();
  }

  disarmReset() {
    if (!this.resetArmed) return;
    this.resetArmed = false;
    $('reset').textContent = 'Reset';
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
      // The level's other demands on the last command (which port it
      // fetched through) stay.
      const last = { ...(g.expect.last || {}), stdout: { $contains: text || '\u0000(empty file)' }, exit_code: 0 };
      return { text: g.text, expect: { ...g.expect, last } };
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
    // The sandbox belongs to no track: the track menu says so, not the
    // last level's track (the eighth walk), with a placeholder of its own.
    const noTrack = $('track').querySelector('option[value=""]');
    if (!l && !noTrack) $('track').prepend(el('option', { value: '', disabled: true }, '(sandbox: no track)'));
    if (l && noTrack) noTrack.remove();
    if (!l) $('track').value = '';
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
    // A level's buttons: not shown (greyed clutter) in the sandbox.
    for (const b of ['hint', 'solution', 'next']) { $(b).disabled = !l; $(b).hidden = !l; }
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

  check() {
    if (!this.level) { $('app').dataset.complete = '0'; $('pane-goal').textContent = ''; return; }
    const met = JSON.parse(this.pg.check(this.goal()));
    // A met check stays met (until Reset or Undo), but one about the state
    // that no longer holds says so, muted, rather than a plain green tick.
    const now = JSON.parse(this.pg.holdsNow());
    const items = $('goal').querySelectorAll('li');
    met.forEach((ok, i) => {
      if (!items[i]) return;
      const stale = ok && now[i] === false && Object.keys(this.level.goal[i].expect || {}).every((k) => k === 'state');
      items[i].classList.toggle('met', ok && !stale);
      items[i].classList.toggle('stale', stale);
      items[i].querySelector('.tick').textContent = ok ? '✓' : '○';
      const since = items[i].querySelector('.since');
      if (stale && !since) items[i].append(el('span', { class: 'since' }, ' · met earlier; not true any more'));
      else if (!stale && since) since.remove();
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

  /**
   * Folds the hints and a shown solution to one line (a button that
   * unfolds them) when the completion card opens in the lesson column:
   * with two hints open the Project files editor shrank to a sliver, Save
   * file on top of it (walk7 finding 10). A new hint unfolds them.
   */
  foldHints() {
    const box = $('hints');
    const shown = [...box.children].filter((c) => !c.classList.contains('hints-fold')).length;
    if (!shown) return;
    let fold = box.querySelector('.hints-fold');
    if (!fold) {
      fold = el('button', { type: 'button', class: 'hints-fold' });
      fold.addEventListener('click', () => this.unfoldHints(!box.classList.contains('folded')));
      box.prepend(fold);
    }
    this.unfoldHints(true, shown);
  }

  /** Folds (`folded`) or unfolds the hints; the button says which. */
  unfoldHints(folded, shown) {
    const box = $('hints');
    const fold = box.querySelector('.hints-fold');
    box.classList.toggle('folded', folded);
    if (!fold) return;
    const n = shown ?? [...box.children].filter((c) => c !== fold).length;
    fold.setAttribute('aria-expanded', String(!folded));
    fold.textContent = folded ? `▸ Show the ${n === 1 ? 'hint' : `${n} hints`} (folded)` : '▾ Fold the hints';
  }

  hint() {
    if ($('hints').classList.contains('folded')) this.unfoldHints(false);
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
    if ($('hints').classList.contains('folded')) this.unfoldHints(false);
    $('hints').append(box);
  }

  /**
   * What the empty VMs view asks for: the first level names its command;
   * a later level asks for its own containers (not level 1's hello-world).
   */
  invite() {
    const l = this.level;
    if (!l) return 'Run a container (docker run hello-world)';
    if (l.id === 'vms-1') return 'Run your first container (docker run hello-world)';
    return `Start this level's containers (goal: ${l.goal[0].text.replace(/[.!]$/, '').replace(/^./, (c) => c.toLowerCase())})`;
  }

  next() {
    if (!this.level) return;
    const i = this.levels.indexOf(this.level);
    if (i + 1 >= this.levels.length) { this.start(null, [], true); return; }
    this.start(this.levels[i + 1].id, [], true);
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
}
