// The playground page: loads the WebAssembly engine, runs the terminal and
// the lessons, and feeds every command's outcome to the views.
// No framework, no build step: ES modules served as they are.
// The App's methods live by concern in dialogs.js (welcome, level and
// completion dialogs, par), lesson.js (levels, goal, hints, progress),
// files.js (project files, editor) and terminal.js (input and output).

import init from './pkg/dockhand_playground_web.js';
import { el, fill } from './dom.js';
import { Architecture, Wire, StateMachine, ProcessLens, VmsVsContainers } from './diagrams.js';
import { ImagesView } from './images.js';
import { Dialogs } from './dialogs.js';
import { Lesson } from './lesson.js';
import { Files } from './files.js';
import { Terminal, fitTables } from './terminal.js';

const $ = (id) => document.getElementById(id);

// What the browser test reads: readiness, per-command timings, errors.
const probe = (window.__dockhand = { readyMs: null, timings: [], engine: [], lines: [], errors: [] });
window.addEventListener('error', (e) => probe.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => probe.errors.push(String(e.reason)));

const VIEW_TABS = ['tab-arch', 'tab-wire', 'tab-states', 'tab-procs', 'tab-vms', 'tab-images'];

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
    $('out').addEventListener('scroll', () => this.cueAbove(), { passive: true });
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
    $('sandbox').addEventListener('click', () => this.sandboxButton());
    $('share').addEventListener('click', () => this.share());
    $('hint').addEventListener('click', () => this.hint());
    $('solution').addEventListener('click', () => this.solution());
    $('undo').addEventListener('click', () => this.undoLast());
    $('reset').addEventListener('click', () => this.reset());
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
    this.scrollCues();
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
    // The terminal's tables fit its width again whenever it changes (a
    // window turned from phone to desktop width, the terminal pane shown).
    let width = 0;
    new ResizeObserver(() => {
      const w = $('out').clientWidth;
      if (w && w !== width) { width = w; requestAnimationFrame(fitTables); }
    }).observe($('out'));
  }

  /**
   * A view taller than its pane says so: a slim "more below" bar under the
   * pane (it scrolls down) until the end is in view. The panes scrolled
   * with no visible cue, so an explanation under a picture looked cut off
   * (the Images view's note on the push level); the bar sits outside the
   * pane's content area, so it never covers a figure or a caption (a pill
   * pinned inside the pane covered the hypervisor's "300 MB" and the Wire
   * view's Response).
   */
  scrollCues() {
    for (const panel of document.querySelectorAll('.views [role=tabpanel]')) {
      const cue = el('button', { type: 'button', class: 'more-below', tabindex: '-1', 'aria-hidden': 'true', hidden: '' }, '↓ more below');
      cue.addEventListener('click', () => panel.scrollBy({ top: panel.clientHeight * 0.8, behavior: 'smooth' }));
      panel.after(cue);
      let frame = 0;
      const update = () => {
        if (frame) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (panel.hidden) return;
          cue.hidden = panel.scrollHeight - panel.scrollTop - panel.clientHeight <= 2;
        });
      };
      panel.addEventListener('scroll', update, { passive: true });
      const watch = new ResizeObserver(update);
      watch.observe(panel);
      for (const child of panel.children) watch.observe(child);
    }
  }

  pane(name) {
    $('app').dataset.pane = name;
    for (const b of document.querySelectorAll('#panes button')) b.setAttribute('aria-pressed', String(b.dataset.pane === name));
    if (name === 'views') $('pane-dot').hidden = true;
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

}


// The App is one object; its methods come from the modules above.
for (const part of [Dialogs, Lesson, Files, Terminal]) {
  for (const name of Object.getOwnPropertyNames(part.prototype)) {
    if (name !== 'constructor') Object.defineProperty(App.prototype, name, Object.getOwnPropertyDescriptor(part.prototype, name));
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
