// Links in the toolbar to the screens that are not a neighborhood's: the
// conflicts queue (with how many wait, so nobody has to open it to know)
// for those who resolve them, and the department's work list for a liaison.
import { seesConflictQueue } from '../access.js';
import { t } from '../i18n.js';
import { afterPaint, h } from './dom.js';

const LINK = 'button button-secondary button-small nav-link';  // like the device tools next to them

export class NavLinks {
  constructor(sync) {
    this.sync = sync;
    this.badge = h('span', { class: 'nav-badge', 'data-testid': 'conflict-count', hidden: true });
    const session = sync.session;
    const links = [];
    if (session?.role === 'liaison') {
      links.push(h('a', { class: LINK, href: '#/department', 'data-testid': 'nav-department' }, t('nav.department')));
    }
    if (seesConflictQueue(session)) {
      // Read as "Conflicts 3": its visible words are the link's whole name
      // (an aria-label unlike them fails speech control, WCAG 2.5.3).
      this.conflicts = h('a', { class: LINK, href: '#/conflicts', 'data-testid': 'nav-conflicts' }, t('nav.conflicts'), ' ', this.badge);
      links.push(this.conflicts);
    }
    this.element = links.length ? h('nav', { class: 'toolbar-nav toolbar-screens', 'aria-label': t('nav.more') }, links) : null;
    // Counting the conflicts goes over every record of the city: done once
    // the screen is drawn, not before it.
    if (this.conflicts) afterPaint(() => this.update());
  }

  // The badge follows the replica (called on every data refresh).
  update() {
    if (!this.conflicts) return;
    const n = this.sync.replica.conflictCount();
    this.badge.hidden = n === 0;
    this.badge.textContent = String(n);
    this.conflicts.classList.toggle('has-conflicts', n > 0);
  }
}
