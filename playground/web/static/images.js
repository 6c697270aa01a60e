// The images view, the workflow track's picture: the last build's
// Dockerfile steps beside the layers they made (taken from the cache or
// run), the images with the layers they share, and this machine's tags
// against the registry's, with the push or pull that moved them. It draws
// from the state document (each image's history: instruction, size, layer)
// and from the last build's and push's answers on the wire.

import { el, fill, reducedMotion, plural } from './dom.js';

const $ = (id) => document.getElementById(id);

/** The most image stacks drawn side by side. */
const STACKS = 6;

/** A size as docker prints it (powers of 1000): "539 B", "1.02 GB". */
export function size(n) {
  if (n < 1000) return `${n} B`;
  let v = n;
  let u = -1;
  while (v >= 1000 && u < 2) { v /= 1000; u++; }
  return `${Number(v.toPrecision(3))} ${['kB', 'MB', 'GB'][u]}`;
}

/** A history entry as the Dockerfile wrote it: "/bin/sh -c #(nop) COPY app.py ." is "COPY app.py .". */
export function instruction(by) {
  const t = by.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/\s*# buildkit$/, '').replace(/^RUN \/bin\/sh -c /, 'RUN ').trim();
  if (t.startsWith('/bin/sh -c ')) return 'RUN ' + t.slice(11);
  if (t.startsWith('#')) return 'base OS files';
  return t;
}

/** Characters of a layer block's line (13 px mono in the narrowest column). */
const BLOCK_LINE = 8;

/**
 * A layer block's label on at most two lines, cut only between words (the
 * whole instruction is the block's title): "RUN set -eux;" and "apt-get…"
 * rather than "RUN set -e…". A word longer than a line ends in "…".
 */
export function blockLabel(text) {
  const lines = [''];
  const words = text.split(/\s+/).filter(Boolean);
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i];
    const cur = lines[lines.length - 1];
    if (!cur) lines[lines.length - 1] = w;
    else if (cur.length + 1 + w.length <= BLOCK_LINE) lines[lines.length - 1] = `${cur} ${w}`;
    else if (lines.length < 2) lines.push(w);
    else break;
  }
  const out = lines.map((l) => (l.length > BLOCK_LINE ? l.slice(0, BLOCK_LINE - 1) + '…' : l));
  if (i < words.length && !out[out.length - 1].endsWith('…')) {
    const last = out[out.length - 1];
    out[out.length - 1] = last.length < BLOCK_LINE ? last + '…' : last.replace(/\s*\S+$/, '') + ' …';
  }
  return out;
}

/**
 * A layer block's words for a newcomer: the instruction itself when it fits
 * whole ("COPY app.py ."), else its keyword and what it did in plain words
 * ("RUN" + "installs nginx", "COPY" + "copies a file"), never a cut
 * "RUN set -eux;…" (the block's title keeps the whole instruction). A base
 * image's root filesystem (an archive added at /) is "base OS files".
 */
export function blockWords(text) {
  const whole = blockLabel(text);
  if (text === 'base OS files') return { ins: [], plain: text };
  if (!whole.some((l) => l.includes('…'))) return { ins: whole, plain: '' };
  const [word, ...rest] = text.split(/\s+/);
  const key = word.toUpperCase();
  const args = rest.filter((w) => !w.startsWith('--'));
  if (key === 'ADD' && (/^file:/.test(args[0] || '') || (/\.tar(\.\w+)?$/.test(args[0] || '') && args[1] === '/'))) return { ins: [], plain: 'base OS files' };
  let plain = 'a step';
  if (key === 'RUN') {
    const m = /\binstall\s+(?:-\S+\s+)*([\w.+-]+)/.exec(text);
    plain = m ? `installs ${m[1]}` : 'setup commands';
  } else if (key === 'COPY' || key === 'ADD') {
    const sources = args.slice(0, -1);
    const name = sources.length === 1 ? sources[0].split('/').filter(Boolean).pop() || sources[0] : '';
    plain = name && name.length <= 12 ? `copies ${name}` : sources.length > 1 ? 'copies files' : 'copies a file';
  } else plain = `a ${key} step`;
  return { ins: [key], plain };
}

/** A tag on one line (its whole name is its title when the column cuts it). */
function tagParts(t) {
  return [t];
}

/**
 * The steps of a build, from the daemon's answer to POST /build (its JSON
 * stream: "Step 2/4 : WORKDIR /app", then " ---> Using cache" for a step
 * taken from the cache): [{ text, how: base | cached | ran | failed }], the
 * image it made and the error that stopped it.
 */
export function buildSteps(body) {
  let text = '';
  let id = '';
  let error = '';
  for (const line of String(body || '').split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const m = JSON.parse(line);
      if (typeof m.stream === 'string') text += m.stream;
      if (m.aux && m.aux.ID) id = m.aux.ID;
      if (m.error) error = String(m.error);
    } catch { /* a piece of a line cut at the record limit */ }
  }
  const steps = [];
  for (const line of text.split('\n')) {
    const m = /^Step \d+\/\d+ : (.*)$/.exec(line);
    if (m) steps.push({ text: m[1].trim(), how: /^FROM\s/i.test(m[1].trim()) ? 'base' : 'ran' });
    else if (steps.length && /^ ---> Using cache/.test(line)) steps[steps.length - 1].how = 'cached';
  }
  if (error && steps.length) steps[steps.length - 1].how = 'failed';
  return { steps, id, error };
}

/** A Dockerfile's instructions (continuation lines joined, comments and blank lines left out). */
export function dockerfileSteps(text) {
  return String(text || '').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/**
 * What the next build would redo, from the project files changed since the
 * last one: the first COPY or ADD of a changed file (or of the whole
 * directory) and every step after it; a changed Dockerfile, from its first
 * changed instruction. `from` is that step's index (-1: nothing changed).
 */
export function nextBuild(build, files) {
  const was = build.files || {};
  const now = files || {};
  const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((f) => was[f] !== now[f]).sort();
  if (!changed.length || !Object.keys(was).length) return { from: -1, note: '' };
  if (changed.includes('Dockerfile')) {
    const old = dockerfileSteps(was.Dockerfile);
    const cur = dockerfileSteps(now.Dockerfile);
    let from = 0;
    while (from < old.length && old[from] === cur[from]) from++;
    return { from: from < build.steps.length ? from : -1, note: 'You changed the Dockerfile since this build: its first changed instruction and every one after it will run again; the ones before come from the cache.' };
  }
  const from = build.steps.findIndex((s) => {
    const m = /^(COPY|ADD)\s+(.*)$/i.exec(s.text);
    if (!m) return false;
    const sources = m[2].split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1);
    return sources.some((src) => src === '.' || src === './' || changed.some((f) => f === src.replace(/^\.\//, '') || f.startsWith(src.replace(/^\.\//, '').replace(/\/?$/, '/'))));
  });
  const names = changed.join(', ');
  if (from < 0) return { from: -1, note: `You changed ${names} since this build, but no step copies it: the next build takes every step from the cache.` };
  return { from, note: `You changed ${names} since this build: ${build.steps[from].text} copies it, so the next build runs it and every step after it again; the steps before come from the cache.` };
}

/** What a push sent: the layers pushed and those the registry already had. */
function pushed(body) {
  return { sent: (body.match(/"status":"Pushed"/g) || []).length, had: (body.match(/"status":"Layer already exists"/g) || []).length };
}

/**
 * A colour per layer, the same wherever the layer appears: the n-th layer
 * the page meets takes the n-th hue of the golden-angle sequence, so two
 * different layers never share a colour (a hash of the id gave the two
 * COPY layers of app:latest and app:v2 one olive, walk7 finding 14; the
 * legend says same colour = shared layer).
 */
const HUES = new Map();
function hue(layer) {
  if (!HUES.has(layer)) HUES.set(layer, Math.round((HUES.size * 137.508) % 360));
  return HUES.get(layer);
}

export class ImagesView {
  constructor() {
    this.root = $('images');
    this.live = $('img-live');
    this.reset();
  }

  /** A new level: no build and no transfer yet. */
  reset() {
    this.build = null; // { command, steps, id, error, fresh }
    this.move = null; // { dir: push | pull, what, command, note, fresh }
    this.known = null; // the layers drawn last time (new ones pop in)
    this.knownTags = null; // the tags drawn last time (a new one pops in)
    this.seen = null;
    if (this.live) this.live.textContent = '';
  }

  /**
   * Remembers what a command did to images: a build's steps (with the
   * project files it was built from), a push or a pull (drawn when visible).
   */
  add(outcome, files) {
    if (!outcome || this.seen === outcome) return;
    this.seen = outcome;
    for (const e of outcome.exchanges || []) {
      const path = e.path.replace(/^\/v\d+\.\d+/, '');
      if (path.startsWith('/build')) {
        this.build = { command: outcome.command, ...buildSteps(e.response_body), files: { ...(files || {}) }, fresh: true };
      } else if (/^\/images\/.+\/push/.test(path) && e.status < 400) {
        const raw = path.split('/push')[0].slice(8);
        let name = raw;
        try { name = decodeURIComponent(raw); } catch { /* shown as sent */ }
        const tag = new URLSearchParams(path.split('?')[1] || '').get('tag');
        this.move = { dir: 'push', what: tag ? `${name}:${tag}` : name, command: outcome.command, ...pushed(e.response_body || ''), fresh: true };
      } else if (path.startsWith('/images/create') && e.status < 400 && e.daemon !== 'remote') {
        const q = new URLSearchParams(path.split('?')[1] || '');
        const what = `${q.get('fromImage') || ''}${q.get('tag') ? ':' + q.get('tag') : ''}`;
        if (what) this.move = { dir: 'pull', what, command: outcome.command, fresh: true };
      }
    }
  }

  /** Draws the three parts from the engine's state (and the project's Dockerfile before a build). */
  update(state, files) {
    const motion = !reducedMotion();
    const words = [];
    // Once a tag is named for a registry (or one moved), the registry is the lesson: it comes first on a smaller screen.
    const registry = !!this.move || state.images.some((i) => i.tags.some((t) => t.includes('/')));
    fill(this.root, el('div', { class: registry ? 'iv registry-first' : 'iv' },
      this.drawBuild(state, words, motion, files || {}),
      this.drawImages(state, words, motion),
      this.drawRegistry(state, words, motion)));
    if (this.build) this.build.fresh = false;
    if (this.move) this.move.fresh = false;
    this.live.textContent = words.join(' ');
  }

  /** The last build: each Dockerfile instruction, an arrow, its layer, and where it came from. */
  drawBuild(state, words, motion, files) {
    const b = this.build;
    const box = el('section', { class: 'iv-part iv-build', 'aria-labelledby': 'iv-build-h' });
    if (!b || !b.steps.length) {
      const todo = dockerfileSteps(files.Dockerfile);
      box.append(el('h3', { id: 'iv-build-h' }, todo.length ? 'Your Dockerfile → layers' : 'Dockerfile → layers'));
      if (todo.length) {
        box.append(el('ol', { class: 'iv-steps' }, todo.map((t) => el('li', { class: 'iv-step todo' },
          el('code', { class: 'iv-ins', title: t }, t), el('span', { class: 'iv-arrow', 'aria-hidden': 'true' }, '→'),
          el('span', { class: 'iv-layer' }, /^FROM\s/i.test(t) ? 'the base image\'s layers' : 'a layer, or settings only'),
          el('span', { class: 'iv-how' }, 'not built')))));
      }
      box.append(el('p', { class: 'iv-empty' }, 'No build yet. Run docker build -t NAME . and each instruction appears beside the layer it made, with its size, and whether it ran or came from the cache.'));
      words.push(`No build yet${todo.length ? `: the Dockerfile has ${plural(todo.length, 'instruction')}` : ''}.`);
      return box;
    }
    box.append(el('h3', { id: 'iv-build-h' }, 'Last build: ', el('code', null, b.command)));
    const image = state.images.find((i) => i.id === b.id);
    // The steps after the last FROM made the last entries of the image's history.
    const from = b.steps.map((s) => s.how).lastIndexOf('base');
    const own = b.steps.slice(from + 1);
    const history = image ? image.history : [];
    const base = history.slice(0, Math.max(0, history.length - own.length));
    const ol = el('ol', { class: 'iv-steps' });
    const LABEL = { base: 'base image', cached: 'CACHED', ran: 'RAN', failed: 'FAILED' };
    const next = nextBuild(b, files);
    b.steps.forEach((s, i) => {
      let layer;
      if (s.how === 'base') {
        const layers = base.filter((h) => h.layer);
        layer = i === from && image ? `${plural(layers.length, 'layer')}, ${size(layers.reduce((a, h) => a + h.size, 0))}` : 'an earlier stage';
      } else {
        const h = image ? history[history.length - own.length + (i - from - 1)] : null;
        layer = !h ? (s.how === 'failed' ? 'no layer: the step failed' : '') : h.layer ? `${size(h.size)}, layer ${h.layer}` : 'no layer: settings only';
      }
      if (next.from >= 0 && i >= next.from) layer += ' · will run again';
      const li = el('li', { class: `iv-step ${s.how}${b.fresh && motion ? ' fresh' : ''}${next.from >= 0 && i >= next.from ? ' stale' : ''}` },
        el('code', { class: 'iv-ins', title: s.text }, s.text),
        el('span', { class: 'iv-arrow', 'aria-hidden': 'true' }, '→'),
        el('span', { class: 'iv-layer' }, layer),
        el('span', { class: 'iv-how' }, LABEL[s.how]));
      li.style.setProperty('--i', String(i));
      ol.append(li);
    });
    box.append(ol);
    const cached = own.filter((s) => s.how === 'cached');
    const first = own.find((s) => s.how !== 'cached');
    let summary;
    if (b.error) summary = `The build stopped: ${b.error}`;
    else if (!first) summary = 'Nothing changed: every step came from the cache, so the image is the one built before.';
    else if (!cached.length) summary = 'Every step ran: nothing like it was in the cache yet. Build again without a change and each one comes from the cache.';
    else summary = `${plural(cached.length, 'step')} came from the cache. ${first.text} changed, so it ran again, and so did every step after it: order a Dockerfile from what changes least to what changes most.`;
    box.append(el('p', { class: 'iv-note' }, summary));
    if (next.note) box.append(el('p', { class: 'iv-note iv-next' }, next.note));
    words.push(`${b.command}: ${b.steps.map((s) => `${s.text} ${LABEL[s.how]}`).join('; ')}. ${summary} ${next.note}`);
    return box;
  }

  /** The tagged images as stacks of layers; a layer in more than one image is shared (stored once). */
  drawImages(state, words, motion) {
    const box = el('section', { class: 'iv-part iv-images', 'aria-labelledby': 'iv-images-h' },
      el('h3', { id: 'iv-images-h' }, 'Images and their layers'));
    const built = (i) => i.history.some((h) => h.by.startsWith('/bin/sh -c'));
    const tagged = state.images.filter((i) => i.tags.length)
      .sort((a, b) => Number(built(a)) - Number(built(b)) || a.tags[0].localeCompare(b.tags[0]));
    if (!tagged.length) {
      box.append(el('p', { class: 'iv-empty' }, 'No image on this machine yet: pull one or build one.'));
      return box;
    }
    const shown = tagged.slice(-STACKS);
    const count = {};
    for (const i of shown) for (const h of i.history) if (h.layer) count[h.layer] = (count[h.layer] || 0) + 1;
    const known = this.known;
    this.known = new Set(Object.keys(count));
    const knownTags = this.knownTags;
    this.knownTags = new Set(tagged.flatMap((i) => i.tags));
    const row = el('div', { class: 'iv-stacks' });
    for (const i of shown) {
      const stack = el('ol', { class: 'iv-stack', 'aria-label': `${i.tags.join(', ')}: its layers, top first` });
      for (const h of i.history.filter((x) => x.layer).reverse()) {
        const shared = count[h.layer] > 1;
        const fresh = motion && known && !known.has(h.layer);
        const label = blockWords(instruction(h.by));
        const block = el('li', { class: `iv-block${shared ? ' shared' : ''}${fresh ? ' fresh' : ''}`, title: `${instruction(h.by)} (layer ${h.layer})` },
          label.ins.map((line) => el('span', { class: 'iv-block-ins' }, line)),
          label.plain ? el('span', { class: 'iv-block-plain' }, label.plain) : null,
          el('span', { class: 'iv-block-size' }, `${shared ? '⇆ ' : ''}${size(h.size)}`));
        block.style.setProperty('--h', String(hue(h.layer)));
        stack.append(block);
      }
      row.append(el('div', { class: 'iv-image' + (this.build && this.build.id === i.id ? ' last' : '') },
        stack, el('p', { class: 'iv-tags' }, i.tags.map((t) => el('code', { class: motion && knownTags && !knownTags.has(t) ? 'fresh' : null, title: t }, tagParts(t)))), el('p', { class: 'iv-size' }, size(i.size))));
    }
    box.append(row);
    const all = shown.reduce((a, i) => a + i.history.filter((h) => h.layer).length, 0);
    const distinct = Object.keys(count).length;
    const last = shown.find((i) => this.build && this.build.id === i.id);
    let note = `${plural(shown.length, 'image')}, ${plural(all, 'layer')} in their stacks, ${distinct} stored: a layer in more than one image (⇆, same colour) is stored once.`;
    if (last) {
      const mine = new Set(last.history.map((h) => h.layer).filter(Boolean));
      let best = null;
      for (const o of shown) {
        if (o === last) continue;
        const n = o.history.filter((h) => h.layer && mine.has(h.layer)).length;
        // On a tie, an image built here (the same project's earlier build) over the base image.
        if (n && (!best || n > best.n || (n === best.n && built(o) && !built(best.o)))) best = { o, n };
      }
      if (best) note = `${last.tags[0]} shares ${plural(best.n, 'layer')} with ${best.o.tags[0]}; ${plural(mine.size - best.n, 'layer')} ${mine.size - best.n === 1 ? 'is' : 'are'} its own. ${note}`;
    }
    if (tagged.length > shown.length) note += ` ${tagged.length - shown.length} more not drawn.`;
    box.append(el('p', { class: 'iv-note' }, note));
    words.push(note);
    return box;
  }

  /** This machine's tags against the registry's, and the push or pull that moved one. */
  drawRegistry(state, words, motion) {
    const box = el('section', { class: 'iv-part iv-registry', 'aria-labelledby': 'iv-reg-h' },
      el('h3', { id: 'iv-reg-h' }, 'This machine ⇄ registry'));
    const local = state.images.flatMap((i) => i.tags);
    const remote = new Set(state.registry.flatMap((i) => i.tags));
    // The registry's official images (nginx, python, ...) are there to pull; a namespaced repository is a user's.
    const yours = [...remote].filter((t) => t.includes('/')).sort();
    const official = [...new Set([...remote].filter((t) => !t.includes('/')).map((t) => t.split(':')[0]))].sort();
    const m = this.move;
    const here = el('ul', { class: 'iv-tag-list' }, local.length ? local.sort().map((t) => el('li', { class: remote.has(t) || !t.includes('/') ? '' : 'only' },
      el('code', null, t), ' ', el('span', { class: 'iv-where' }, remote.has(t) ? '✓ in the registry' : t.includes('/') ? 'only here: not pushed' : ''))) : el('li', null, 'no image'));
    const there = el('ul', { class: 'iv-tag-list' }, yours.map((t) => el('li', { class: m && m.dir === 'push' && m.what === t ? 'moved' : '' },
      el('code', null, t), ' ', el('span', { class: 'iv-where' }, local.includes(t) ? '✓ also here' : ''))));
    if (!yours.length) there.append(el('li', { class: 'iv-dim' }, 'nothing of yours yet: docker push NAME puts a tag here'));
    there.append(el('li', { class: 'iv-dim' }, `official images to pull: ${official.join(', ')}`));
    let label = 'docker push sends a tag\'s layers up; docker pull (or run) brings them down';
    if (m) {
      label = m.dir === 'push'
        ? `pushed ${m.what}: ${plural(m.sent, 'layer')} sent, ${m.had} already there`
        : `pulled ${m.what}`;
    }
    const arrow = el('div', { class: `iv-wire${m ? ' ' + m.dir : ''}${m && m.fresh && motion ? ' fresh' : ''}` },
      el('span', { class: 'iv-wire-line', 'aria-hidden': 'true' }, el('span', { class: 'iv-dot' })),
      el('span', { class: 'iv-wire-label' }, label));
    box.append(el('div', { class: 'iv-reg' },
      el('div', { class: 'iv-side' }, el('h4', null, 'This machine'), here),
      arrow,
      el('div', { class: 'iv-side' }, el('h4', null, 'Registry'), there)));
    const far = state.remote_images.flatMap((i) => i.tags);
    if (far.length) box.append(el('p', { class: 'iv-note' }, `The remote daemon has: ${far.join(', ')} (pulled from the registry).`));
    words.push(m ? `${m.command}: ${label}.` : `The registry holds ${yours.length ? yours.join(', ') : 'none of your images'}.`);
    return box;
  }
}
