// A tablet signed in with a kiosk code (role kiosk, no organizer behind it):
// an organizer picks the meeting residents add to and sets the PIN, then the
// tablet stays in kiosk mode. Leaving kiosk mode signs the kiosk out.
import { t } from '../i18n.js';
import { formatDatetime } from '../time.js';
import { KioskSetupSection } from './meeting/kiosk-setup.js';
import { h } from './dom.js';
import { row } from './ui.js';

export class KioskStartView {
  constructor(sync, app) {
    this.sync = sync;
    this.app = app;
    this.chosen = '';
  }

  get slug() { return this.sync.session?.neighborhood ?? ''; }

  meetings() {
    return this.sync.list('meeting', 'neighborhood', this.slug)
      .filter((m) => !m.deleted && m.fields.status !== 'closed')
      .sort((a, b) => String(b.fields.start ?? '').localeCompare(String(a.fields.start ?? '')));
  }

  mount(container) {
    this.container = container;
    this.render();
  }

  render() {
    const slug = this.slug;
    const name = this.sync.record('neighborhood', slug)?.fields?.name ?? slug;
    const meetings = this.meetings();
    if (!meetings.some((m) => m.id === this.chosen)) this.chosen = meetings[0]?.id ?? '';
    const signOut = h('button', { type: 'button', class: 'button button-quiet', onclick: () => this.sync.signOut() }, t('kioskStart.signOut'));
    this.setupSlot = h('div', { class: 'kiosk-start-setup' });
    let picker = null;
    if (meetings.length) {
      const select = h('select', { id: 'kiosk-start-meeting' },
        meetings.map((m) => h('option', { value: m.id }, [m.fields.title ?? m.id, formatDatetime(m.fields.start)].filter(Boolean).join(' · '))));
      select.value = this.chosen;
      select.addEventListener('change', () => { this.chosen = select.value; this.mountSetup(); });
      picker = row('kiosk-start-meeting', t('kioskStart.meeting'), select);
    }
    this.container.replaceChildren(h('div', { class: 'kiosk-start' },
      h('h1', {}, t('kioskStart.heading', { name })),
      h('p', {}, meetings.length ? t('kioskStart.help') : t('kioskStart.none', { name })),
      picker ? h('div', { class: 'card' }, picker) : null,
      this.setupSlot,
      h('div', {}, signOut)));
    this.mountSetup();
  }

  mountSetup() {
    this.section?.unmount();
    this.section = null;
    const meeting = this.sync.live('meeting', this.chosen);
    if (!meeting) { this.setupSlot.replaceChildren(); return; }
    this.section = new KioskSetupSection(this.sync, meeting, this.app);
    this.section.mount(this.setupSlot);
  }

  update() {
    // New meetings arriving: refresh the list unless a PIN is being typed.
    if (this.container.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
    this.render();
  }

  unmount() { this.section?.unmount(); }
}
