// The project files and their editor (unsaved changes shown, saved into
// the engine's build context).
// Methods of the page's App (app.js), kept here by concern.

import { el } from './dom.js';

const $ = (id) => document.getElementById(id);

// The sandbox's project: enough for docker build to work at once.
export const SANDBOX_FILES = {
  Dockerfile: 'FROM busybox\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n',
  'hello.txt': 'Hello from my own image!\n',
};

/** The App's editor methods. */
export class Files {
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
}
