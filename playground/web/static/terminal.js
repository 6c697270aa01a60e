// The terminal: keys, history, submitting a line to the engine (with
// here-documents), and printing its outcome.
// Methods of the page's App (app.js), kept here by concern.

import { el, fill } from './dom.js';
import { counts } from './dialogs.js';

const $ = (id) => document.getElementById(id);
const OUTPUT_ENTRIES = 200;

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

/** The App's terminal methods. */
export class Terminal {
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
    this.disarmReset();
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
    this.counted.push(counts(outcome, trimmed));
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
    window.__dockhand.engine.push(t2 - t1);
    window.__dockhand.lines.push(trimmed);
    window.__dockhand.timings.push(performance.now() - t0);
    this.later();
  }

  print(o, ps) {
    const out = $('out');
    const entry = el('div', { class: 'entry' });
    if (o.command) entry.append(el('div', { class: 'cmdline' }, el('span', { class: 'ps', 'aria-hidden': 'true' }, `${ps || '$'} `), o.command));
    // Tables (docker ps, images) keep their columns: they shrink a little
    // to fit the terminal, and wrap each row under itself past that (fitTable).
    // Both streams in the order the CLI printed them (the pull's progress on
    // stderr, then the container's output), each run of one stream a block.
    const runs = [];
    const pieces = o.printed && o.printed.length
      ? o.printed
      : [{ stderr: false, text: o.stdout || '' }, { stderr: true, text: o.stderr || '' }];
    for (const p of pieces) {
      if (!p.text) continue;
      const lastRun = runs[runs.length - 1];
      if (lastRun && lastRun.stderr === p.stderr && !lastRun.progress === !p.progress) lastRun.text += p.text;
      else runs.push({ stderr: p.stderr, progress: p.progress, text: p.text });
    }
    const tables = [];
    for (const run of runs) {
      // Columns keep their lines: a table, or BuildKit's log with each
      // step's time at the end of its line.
      const isTable = run.stderr ? /^\[\+\] Building/.test(run.text) : /\S {3,}\S/.test(run.text);
      // The CLI writes progress to stderr too: red only when the command
      // failed, and never the progress the engine marks (a pull's lines).
      const cls = run.stderr ? (o.exit_code && !run.progress ? 'stderr' : 'stderr ok') : 'stdout';
      const pre = el('pre', { class: isTable ? `${cls} table` : cls }, run.text);
      if (isTable) tables.push(pre);
      entry.append(pre);
    }
    if (o.explanation) entry.append(el('p', { class: 'explain' }, o.explanation));
    out.append(entry);
    while (out.children.length > OUTPUT_ENTRIES) out.firstChild.remove();
    out.scrollTop = out.scrollHeight;
    if (tables.length) {
      // Measured when the page next draws, not in the middle of the command.
      requestAnimationFrame(() => {
        for (const t of tables) fitTable(t);
        out.scrollTop = out.scrollHeight;
      });
    }
  }

  /**
   * The output's first lines scrolled off (a long build or docker version,
   * shown from its end so the teaching line and the prompt are in view):
   * the entry's command line stays pinned at the top of the terminal
   * (sticky, style.css) and says how many lines are above, a button that
   * scrolls back to them. Called on the terminal's scroll, once a frame.
   */
  cueAbove() {
    if (this.cueFrame) return;
    this.cueFrame = requestAnimationFrame(() => {
      this.cueFrame = 0;
      const out = $('out');
      const top = out.getBoundingClientRect().top;
      const line = parseFloat(getComputedStyle(out).lineHeight) || 16;
      for (const cue of out.querySelectorAll('.above')) cue.hidden = true;
      this.cueBelow(out, line);
      // The entry that crosses the top edge of the view.
      const entry = [...out.children].find((e) => { const r = e.getBoundingClientRect(); return r.top < top && r.bottom > top + line * 2; });
      const cmd = entry && entry.querySelector(':scope > .cmdline');
      if (!cmd) return;
      const first = cmd.nextElementSibling;
      if (!first) return;
      const hidden = Math.round((cmd.getBoundingClientRect().bottom - first.getBoundingClientRect().top) / line);
      if (hidden < 1) return;
      let cue = cmd.querySelector('.above');
      if (!cue) {
        // A pointer's shortcut: the log itself scrolls from the keyboard,
        // and a screen reader is not told of it at each scroll.
        cue = el('button', { type: 'button', class: 'above', title: 'Scroll up to the start of this output', tabindex: '-1', 'aria-hidden': 'true' });
        cue.addEventListener('click', () => { out.scrollTop += entry.getBoundingClientRect().top - top; });
        cmd.append(cue);
      }
      cue.textContent = `↑ ${hidden} ${hidden === 1 ? 'line' : 'lines'} above`;
      cue.hidden = false;
    });
  }

  /**
   * The last output shown from its start (a goal that points at it, see
   * showLastOutput) with its end below the terminal's edge: a "↓ N more
   * lines" button pinned at the terminal's bottom right scrolls to it.
   */
  cueBelow(out, line) {
    for (const cue of out.querySelectorAll('.below')) cue.hidden = true;
    const entry = out.lastElementChild;
    if (!entry) return;
    const bottom = out.getBoundingClientRect().bottom;
    let cue = entry.querySelector(':scope > .below');
    const rest = Math.round((entry.getBoundingClientRect().bottom - (cue && !cue.hidden ? cue.offsetHeight : 0) - bottom) / line);
    if (rest < 1) return;
    if (!cue) {
      cue = el('button', { type: 'button', class: 'below', title: 'Scroll down to the end of this output', tabindex: '-1', 'aria-hidden': 'true' });
      cue.addEventListener('click', () => { out.scrollTop = out.scrollHeight; });
      entry.append(cue);
    }
    cue.textContent = `↓ ${rest} more ${rest === 1 ? 'line' : 'lines'}`;
    cue.hidden = false;
  }

  note(text) {
    const entry = el('div', { class: 'entry' }, el('p', { class: 'explain' }, text));
    $('out').append(entry);
    $('out').scrollTop = $('out').scrollHeight;
  }
}

/**
 * Fits a table's font to the terminal's width (13 px down to 10 px). When
 * even 10 px is too wide (a phone), a table of columns (docker ps) wraps
 * each row's overflow onto indented lines under it: every column, the
 * STATUS a goal cites included, is on screen without scrolling sideways;
 * BuildKit's log (stderr) wraps the same way (it scrolled sideways while
 * docker ps wrapped: two behaviours on one screen), its time column two
 * spaces after the step rather than padded to the right edge. A cue under
 * it says so. Measured again whenever the
 * terminal changes width (fitTables), so a table wrapped on a phone gets
 * its columns back on a desktop.
 */
export function fitTable(table) {
  if (!table.dataset.columns) table.dataset.columns = Math.max(...table.textContent.split('\n').map((l) => l.length));
  const columns = Number(table.dataset.columns);
  table.classList.remove('wide', 'wrap');
  const room = table.clientWidth;
  if (!room) return;
  // A monospace character is about 0.6 em wide.
  const size = Math.min(13, room / (columns * 0.61));
  table.style.fontSize = size < 13 ? `${Math.max(10, size).toFixed(1)}px` : '';
  const wide = table.scrollWidth > table.clientWidth + 1;
  const wrap = wide;
  if (wrap && !table.querySelector('.row')) {
    // One block per line (its newline kept, so copying gives the table).
    const lines = table.textContent.split('\n');
    const last = lines.pop();
    const log = !table.classList.contains('stdout');
    const row = (l, end) => {
      // A build step's time: the padding before it hides while rows wrap.
      const m = log && /^(.*\S)( {3,})(\d+(?:\.\d+)?s)$/.exec(l);
      return el('span', { class: 'row' }, m ? [m[1], el('span', { class: 'pad' }, '  ', el('span', { class: 'padx' }, m[2].slice(2))), m[3]] : l, end);
    };
    fill(table, lines.map((l) => row(l, '\n')), last ? row(last, '') : []);
  }
  table.classList.toggle('wide', wide);
  table.classList.toggle('wrap', wrap);
  const cue = table.nextElementSibling && table.nextElementSibling.classList.contains('wide-cue') ? table.nextElementSibling : null;
  if (cue) cue.remove();
  if (wide) table.after(el('p', { class: 'wide-cue' }, '⤶ wider than the terminal: each row goes on, indented, under itself'));
}

/** Fits every table of the terminal again (the window changed width). */
export function fitTables() {
  for (const t of document.querySelectorAll('#out pre.table')) fitTable(t);
}
