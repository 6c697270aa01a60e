// The dialogs: the welcome, a level's dialog (story, goal, a picture of the
// target) and the completion card with the learner's commands against par.
// Methods of the page's App (app.js), kept here by concern.

import { Playground } from './pkg/dockhand_playground_web.js';
import { el, fill, plural, reducedMotion } from './dom.js';

const $ = (id) => document.getElementById(id);
const WELCOMED_KEY = 'dockhand.playground.welcomed';

/** A sentence ends with one mark: "Who answers?" stays, "PID 1" gets a period. */
export function sentence(text) {
  const t = String(text || '').trim();
  return /[.!?…:]$/.test(t) ? t : t + '.';
}

/** A track's title without its number: "VMs vs containers". */
const trackName = (t) => t.title.replace(/^\d+\.\s*/, '');

/** The commands of a level's solution (file edits are not commands): its par. */
export function par(level) {
  return level.solution.filter((c) => !c.startsWith('#file ')).length;
}

/** What the shell or the docker client says of a line it did not understand or refused. */
const NOT_UNDERSTOOD = /unknown command|unknown flag|unknown shorthand flag|is not a docker command|unterminated quoted string|syntax error|flag needs an argument|requires (at least |exactly |at most )?\d+( and at most \d+)? argument|accepts (no|at most \d+|\d+) arg|invalid reference format|invalid argument ".*" for ".*" flag|\nUsage: {2}docker |this terminal writes only the project's files/;

/** What a docker client says when it tried a daemon and found none: a real move. */
const NO_DAEMON = /Cannot connect to the Docker daemon|error during connect|connection refused|no such host/;

/**
 * Whether a command counts against par: it reached the engine and ran. A
 * line the shell or the docker client refused before sending anything (a
 * typo, an unknown command or flag, a quote left open, a usage error such
 * as a missing argument, a redirection this terminal does not run) does
 * not, nor does a misspelled image name the daemon refused (the engine
 * marks it: the note asks "Did you mean ...?"); a command that ran and
 * failed otherwise does (the daemon refused it, or a curl found nothing
 * listening: a real move), and so does a command that only looks (docker ps).
 */
export function counts(outcome, line = '') {
  if (outcome.misspelled) return false;
  if (outcome.exit_code === 0 || outcome.exchanges.length > 0) return true;
  const err = outcome.stderr || '';
  if (outcome.exit_code === 127 || NOT_UNDERSTOOD.test(err)) return false;
  // A docker line that failed without one request: the client refused it
  // (a usage error in its own words), unless it looked for a daemon.
  return !(/^(\w+=\S*\s+)*docker\b/.test(line.trim()) && !NO_DAEMON.test(err));
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
    // A swarm: the node's role, then each service with its replicas or its port.
    const swarm = st.swarm && typeof st.swarm === 'object' ? st.swarm : null;
    for (const n of (swarm && Array.isArray(swarm.nodes) ? swarm.nodes : [])) {
      if (n.role) card('the swarm', 'your daemon', `a swarm ${n.role}`, 'running');
    }
    for (const v of (swarm && Array.isArray(swarm.services) ? swarm.services : [])) {
      const port = Array.isArray(v.ports) && v.ports.find((p) => p.published);
      const st2 = v.desired ? `${v.desired} replicas running` : port ? `port ${port.published} on the routing mesh` : 'a service';
      card('the swarm', `service ${v.name || ''}`.trim(), st2, 'running');
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

/** The App's dialog methods. */
export class Dialogs {
  dialogs() {
    $('welcome').addEventListener('close', () => {
      this.endPreview();
      try { localStorage.setItem(WELCOMED_KEY, '1'); } catch { /* private mode */ }
      if ($('welcome').returnValue === 'sandbox') this.start(null, [], true);
      else if (this.level) this.intro(); else this.focusTerminal();
    });
    $('level-dlg').addEventListener('close', () => this.focusTerminal());
    $('done-dlg').addEventListener('close', () => {
      document.body.classList.remove('done-open', 'card-mini', 'card-fold');
      const why = $('done-dlg').returnValue;
      if (why === 'next') this.start(this.doneNext || null, [], true);
      else if (why === 'sandbox') this.start(null, [], true);
      else this.focusTerminal();
    });
    // The completion card is not modal (the picture stays in view), so
    // Escape is handled here: it stays on the level.
    // A window turned from desktop to phone width (or back) moves the card.
    window.matchMedia('(max-width: 900px)').addEventListener('change', () => { if ($('done-dlg').open) this.placeCard(); });
    $('done-picture').addEventListener('click', () => this.cardPicture());
    // A desktop card folds to its title and buttons while the learner works
    // in the project files editor under it (the editor gets the room), and
    // unfolds on a click on it.
    $('files-box').addEventListener('focusin', () => {
      if ($('done-dlg').open && !this.placeCard()) document.body.classList.add('card-fold');
    });
    $('done-dlg').addEventListener('click', (e) => {
      if (document.body.classList.contains('card-fold') && !e.target.closest('button')) document.body.classList.remove('card-fold');
    });
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
    this.preview();
  }

  /**
   * The first screen's picture: while the welcome is open the Architecture
   * view plays `docker run hello-world` (the client's requests to the
   * daemon, the pull from the registry, the container created and
   * started), again every few seconds. It runs on a scratch engine: the
   * learner's engine is not touched. On a phone the welcome sits over the
   * Picture pane. Stopped by endPreview when the welcome closes.
   */
  preview() {
    const arch = this.views.arch;
    const tab = document.querySelector('[role=tab][aria-selected=true]');
    this.previewing = { tab: tab ? tab.id : 'tab-arch', timer: 0 };
    this.selectTab('tab-arch');
    if (window.matchMedia('(max-width: 900px)').matches) {
      // A phone: the Picture pane, scrolled to the picture's boxes (the
      // sheet covers the page's lower part).
      this.pane('views');
      document.body.classList.add('previewing');
      const top = $('arch').getBoundingClientRect().top + window.scrollY - $('panes').offsetHeight;
      window.scrollTo(0, Math.max(0, top));
    }
    const play = () => {
      if (!this.previewing || !$('welcome').open) return;
      const scratch = Playground.forLevel('welcome');
      arch.reset();
      arch.update(JSON.parse(scratch.state()));
      const outcome = JSON.parse(scratch.run('docker run hello-world'));
      scratch.free();
      arch.show(outcome, outcome.state);
      const gen = arch.generation;
      arch.queue.then(() => {
        if (!this.previewing || gen !== arch.generation) return;
        arch.update(outcome.state);
        this.previewing.timer = setTimeout(play, reducedMotion() ? 60000 : 3000);
      });
    };
    // After the page is interactive, not in its way.
    this.previewing.timer = setTimeout(play, 400);
  }

  /** Stops the welcome's preview and gives the picture back the learner's engine. */
  endPreview() {
    const p = this.previewing;
    if (!p) return;
    this.previewing = null;
    clearTimeout(p.timer);
    if (document.body.classList.contains('previewing')) { document.body.classList.remove('previewing'); window.scrollTo(0, 0); }
    const arch = this.views.arch;
    arch.reset();
    arch.update(JSON.parse(this.pg.state()));
    this.selectTab(p.tab);
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
    // It opens at its top (where, title, story), Let's go focused without
    // scrolling to it: a phone's dialog is taller than the screen.
    $('level-go').focus({ preventScroll: true });
    $('level-dlg').scrollTop = 0;
  }

  where(l) {
    const t = l.track;
    const i = t.levels.findIndex((x) => x.id === l.id);
    return `${trackName(t)} · level ${i + 1} of ${t.levels.length}`;
  }

  /**
   * The completion card: the success text, moves against par, Next. It is
   * not modal and covers neither the picture nor the terminal (placeCard),
   * so the learner sees what the last command did while reading it.
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
    // The counting rule is long and the same on every card: behind a
    // closed disclosure, so the card reads as Learn Git Branching's does
    // (the score, then Next); the eighth walk found it open on the first.
    $('done-dlg-counts').open = false;
    $('done-dlg-rule').textContent = `Counted: every command that ran, even a failed one or a look around (docker ps); not ${typos ? `your ${plural(typos, 'line')}` : 'a line'} that the shell or docker did not understand: a typo in a command, an option or an image's name (the note asks “Did you mean …?”), a container name docker refuses, or a usage error. Par is the solution's count.`;
    const i = this.levels.indexOf(l);
    const last = i + 1 === this.levels.length;
    // The last level of a track says so, and Next offers the next track
    // with an open level: its first open level (the course's first open
    // level if no later track has one; "Next track" named a track already
    // all ✓ while the course's last card said "the first open level").
    const ending = !last && this.levels[i + 1].track !== l.track;
    const open = (x) => !this.progress[x.id];
    const nextTrack = ending ? this.levels.slice(i + 1).find(open) || this.levels.find(open) || this.levels[i + 1] : null;
    const trackDone = last || ending;
    $('done-dlg-track').hidden = !trackDone;
    $('done-dlg-track').textContent = trackDone ? `Track complete: ${trackName(l.track)}` : '';
    // The end of the course says so, and what is left: Next is the first
    // open level (the sandbox second), or the sandbox when all are done.
    const finished = this.levels.filter((x) => this.progress[x.id]).length;
    const left = this.levels.filter((x) => !this.progress[x.id]);
    this.doneNext = last ? (left[0] ? left[0].id : null) : this.levels[i + 1].id;
    if (nextTrack) this.doneNext = nextTrack.id;
    // The next track's first level, or an open level further in (or back).
    const first = nextTrack && nextTrack.track.levels[0].id === nextTrack.id && nextTrack.track !== l.track;
    const nextName = nextTrack ? `“${nextTrack.title}”, the ${first ? 'first' : 'first open'} level of ${trackName(nextTrack.track)}` : !last ? 'the next level' : left[0] ? `“${left[0].title}”, the first open level` : 'the sandbox';
    $('done-next').textContent = nextTrack ? `${first ? 'Next track' : 'Next'}: ${nextTrack.title}` : !last ? 'Next level' : left[0] ? `Next: ${left[0].title}` : 'Next: the sandbox';
    $('done-sandbox').hidden = !(last && left[0]);
    $('done-dlg-enter').textContent = `Enter on the empty prompt: ${nextName}.`;
    $('done-dlg-course').hidden = !last;
    $('done-dlg-course').textContent = !last ? ''
      : left.length === 0 ? `The last level: you have finished all ${this.levels.length} levels. The sandbox is yours: a whole engine, a project, a swarm.`
        : `The last level: ${finished} of ${this.levels.length} finished. ${left.length <= 3 ? `Open: ${left.map((x) => x.title).join(', ')}.` : `${left.length} open (no ✓ in the Level menu).`}`;
    const phone = this.placeCard();
    $('done-dlg-title').textContent = phone ? `Level complete: ${l.title}` : 'Level complete';
    document.body.classList.remove('card-mini', 'card-fold');
    $('done-picture').textContent = 'See it in the picture';
    document.body.classList.add('done-open');
    if (!phone) this.foldHints();
    const had = document.activeElement;
    const column = document.querySelector('main > .lesson');
    const card = $('done-dlg');
    this.open('done-dlg', false);
    if (phone) {
      // A phone stays on the terminal: the card is a sheet under the
      // output the goal asked for (the Picture pane's dot says it moved),
      // and Next level has the focus.
      this.pane('term');
      document.body.style.setProperty('--card-h', `${Math.ceil($('done-dlg').getBoundingClientRect().height)}px`);
      this.showLastOutput(true);
      $('done-next').focus();
    } else {
      // On a desktop the card does not take the focus: what the learner
      // types still goes to the terminal, where Enter on an empty prompt
      // means Next. Nothing scrolls away: the lesson column shows its
      // title and goals above the card, and the terminal the start of the
      // output the goal asked for.
      if (had && had !== document.body) had.focus({ preventScroll: true });
      else $('done-next').focus({ preventScroll: true });
      // The level's place and title are pinned at the column's top and the
      // card's buttons and the editor's Save file at its bottom (style.css,
      // each while its box shows): the column scrolls as much of the card
      // and the editor's top into view as it can with the goals in view.
      column.scrollTop = 0;
      const head = document.querySelector('.lesson-head').getBoundingClientRect().bottom;
      const files = $('files-box');
      const end = Math.max(card.getBoundingClientRect().bottom, files.hidden ? 0 : files.getBoundingClientRect().top + 60);
      const below = end - column.getBoundingClientRect().bottom + 8;
      const goal = $('goal').getBoundingClientRect().top - head - 4;
      if (below > 0 && goal > 0) column.scrollTop = Math.min(below, goal);
      // A window too short for the card and the editor's top (1280x720):
      // the card opens folded to its title and buttons (a click unfolds it).
      if (!files.hidden && $('file-text').getBoundingClientRect().top + 100 > column.getBoundingClientRect().bottom) {
        document.body.classList.add('card-fold');
        column.scrollTop = 0;
      }
      this.showLastOutput();
    }
  }

  /**
   * See it in the picture (a phone): the Picture pane on the level's view,
   * the card folded to its title and buttons at the bottom; pressed again
   * (Show the card) it unfolds.
   */
  cardPicture() {
    const body = document.body;
    const mini = !body.classList.contains('card-mini');
    body.classList.toggle('card-mini', mini);
    $('done-picture').textContent = mini ? 'Show the card' : 'See it in the picture';
    if (mini) {
      this.selectTab('tab-' + ((this.level && this.level.view) || 'arch'));
      this.pane('views');
      window.scrollTo(0, 0);
    }
    body.style.setProperty('--card-h', `${Math.ceil($('done-dlg').getBoundingClientRect().height)}px`);
  }

  /**
   * Puts the completion card where it covers nothing the learner needs: on
   * a desktop in the lesson column, under the goal and its buttons, in
   * place of the done line (the editor moves down; the picture and the
   * terminal stay free); on a phone, a sheet at the bottom. Whether it is
   * a phone.
   */
  placeCard() {
    const card = $('done-dlg');
    const phone = window.matchMedia('(max-width: 900px)').matches;
    if (phone && card.parentElement !== document.body) document.body.append(card);
    const buttons = document.querySelector('.lesson .buttons');
    if (!phone && card.previousElementSibling !== buttons) buttons.after(card);
    return phone;
  }

  /**
   * Whether a goal of the level points at a command's output ("See its
   * greeting in the terminal", "See both the Client and the Server in the
   * output"): the completion then shows that output from its start, also
   * on a desktop (docker version's Server and hello-world's greeting were
   * scrolled off above, walk7 finding 6), with "↓ N more lines" below.
   */
  goalReadsOutput() {
    const goals = (this.level && this.level.goal) || [];
    return goals.some((g) => { const t = typeof g === 'string' ? g : g.text || ''; return /^See\b/.test(t) && /\b(output|terminal)\b/.test(t); });
  }

  /**
   * Scrolls the terminal for the completion card. On a desktop, to the end
   * of the last output: its teaching line (the orange explanation) and the
   * prompt are what the learner must see; when the output is longer than
   * the terminal, its command line stays pinned at the top with "↑ N lines
   * above" (cueAbove in terminal.js). On a phone, whose terminal ends above
   * the card, to the start of a long output: the output the goal asked for
   * (hello-world's greeting), as the walks found best there; on a desktop
   * too when a goal points at the output (goalReadsOutput).
   */
  showLastOutput(phone) {
    const out = $('out');
    const last = out.lastElementChild;
    if ((phone || this.goalReadsOutput()) && last && last.offsetHeight > out.clientHeight) {
      out.scrollTop = last.getBoundingClientRect().top - out.getBoundingClientRect().top + out.scrollTop;
    } else {
      out.scrollTop = out.scrollHeight;
    }
    this.cueAbove();
  }

  /**
   * Opens the completion dialog a moment after the command that completed
   * the level, so the learner first sees its output and the picture move;
   * another command in the meantime puts it off again.
   */
  completeSoon() {
    clearTimeout(this.doneTimer);
    const delay = window.__dockhand.dialogDelayMs ?? (reducedMotion() ? 300 : 1200);
    this.doneTimer = setTimeout(() => { this.doneTimer = null; if (this.lastComplete) this.complete(); }, delay);
  }
}
