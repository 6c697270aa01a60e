// The VMs view's layers: the classic stacked drawing, for the apps that
// run. On the left each app as a VM (hardware → host OS and kernel →
// hypervisor → per VM a guest kernel, a guest OS with its libraries, the
// app); on the right as containers (hardware → the one host kernel →
// the container runtime → per container only the app and its
// libraries). One column per running app, each block named with its
// typical memory (the bars of the other panel are the same figures to
// scale).

import { el, plural } from './dom.js';

/** At most this many app columns are drawn; the rest are counted in one. */
const COLUMNS = 5;

/**
 * The two stacks for `apps` ({ name, fresh }), with the sizes `MB`.
 * `fresh` columns build up as they boot: a VM's from its kernel up,
 * slowly; a container's at once.
 */
export function layers(apps, MB, motion) {
  const shown = apps.slice(0, apps.length > COLUMNS ? COLUMNS - 1 : COLUMNS);
  const rest = apps.length - shown.length;
  const block = (cls, name, mb, at) => {
    const b = el('div', { class: 'blk ' + cls, title: mb ? `${name}: about ${mb} MB` : name },
      el('span', { class: 'blk-name' }, name), mb ? el('span', { class: 'blk-mb' }, `${mb} MB`) : null);
    if (at !== undefined && motion) b.style.setProperty('--at', `${at}s`); else b.classList.add('still');
    return b;
  };
  // A VM's column: kernel, then its OS, then the app (about 19 s played
  // in about 3 s); a container's app block lands at once.
  const vmCol = (a) => el('div', { class: 'col' + (a.fresh ? ' fresh' : '') },
    block('app', a.name, MB.app, a.fresh ? 2.6 : undefined),
    block('os', 'guest OS + libraries', MB.guestOs, a.fresh ? 1.2 : undefined),
    block('kern', 'guest kernel', MB.guestKernel, a.fresh ? 0.4 : undefined));
  const ctCol = (a) => el('div', { class: 'col' + (a.fresh ? ' fresh' : '') },
    block('app', a.name, MB.app, a.fresh ? 0.15 : undefined),
    block('libs', 'its libraries (image)', 0, a.fresh ? 0.1 : undefined));
  const more = (cls) => el('div', { class: 'col more' }, el('div', { class: 'blk ' + cls + ' still' },
    el('span', { class: 'blk-name' }, `+ ${rest} more`), el('span', { class: 'blk-mb' }, 'the same')));
  const none = el('div', { class: 'col none' }, el('div', { class: 'blk still' }, el('span', { class: 'blk-name' }, 'no app running')));
  const cols = (make, cls) => el('div', { class: 'cols' }, apps.length ? [...shown.map(make), rest ? more(cls) : null] : none);
  const n = apps.length;
  const vmMb = MB.hostKernel + MB.hypervisor + n * (MB.guestKernel + MB.guestOs + MB.app);
  const ctMb = MB.hostKernel + MB.runtime + n * MB.app;
  const wide = (cls, name, mb) => block('base ' + cls, name, mb);
  // Each stack's total sits in its caption, at the top: a short pane
  // (1280x720) shows it without scrolling.
  const total = (mb) => el('span', { class: 'stack-total' }, `${(mb / 1000).toFixed(1)} GB in all`);
  return el('div', { class: 'stacks' },
    el('figure', { class: 'stack vm-stack' },
      el('figcaption', null, el('span', null, `As ${plural(n, 'VM')}: each brings its own OS`), total(vmMb)),
      cols(vmCol, 'os'),
      wide('hv', 'hypervisor', MB.hypervisor),
      wide('kernel', 'host OS + kernel', MB.hostKernel),
      wide('hw', 'hardware: CPU, memory, disk', 0)),
    el('figure', { class: 'stack ct-stack' },
      el('figcaption', null, el('span', null, `As ${plural(n, 'container')}: one shared kernel`), total(ctMb)),
      cols(ctCol, 'app'),
      wide('runtime', 'container runtime', MB.runtime),
      wide('kernel', 'host kernel (shared)', MB.hostKernel),
      wide('hw', 'hardware: CPU, memory, disk', 0)));
}
