// Small DOM helpers. Every piece of text goes in through textContent (or a
// text node), never through innerHTML: container names, command output and
// HTTP bodies are learner data and must stay text.

const SVG = 'http://www.w3.org/2000/svg';

/** Creates an HTML element: el('p', {class: 'x'}, 'text', child, ...). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Creates an SVG element the same way. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) throw new Error('use addEventListener, not ' + k);
    node.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Removes every child of node and appends the given children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** Whether the learner asked for less motion. */
export function reducedMotion() {
  return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Pretty-prints a body when it is JSON, else returns it unchanged. */
export function pretty(body) {
  if (!body) return '';
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try { return JSON.stringify(JSON.parse(t), null, 2); } catch { /* streamed JSON lines */ }
    const lines = t.split('\n');
    try { return lines.map((l) => JSON.stringify(JSON.parse(l))).join('\n'); } catch { /* not JSON */ }
  }
  return body;
}

/** Strips the API version prefix and the query from a path: /containers/json. */
export function shortPath(path) {
  return path.replace(/^\/v\d+\.\d+/, '').split('?')[0];
}

/** "1 container", "2 containers". */
export function plural(n, word, many) {
  return `${n} ${n === 1 ? word : many || word + 's'}`;
}
