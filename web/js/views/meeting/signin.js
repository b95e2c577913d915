// Signing people in, fast: a name (with the neighborhood's recent names
// suggested), the group they speak for (or a new group, added on the spot),
// and their role; Enter signs in and the form is ready for the next person.
// The same person signed in twice — here or on another tablet, whatever the
// case or spacing of the name — is one attendance (its id is derived from
// the meeting and the name). Plus the headcount, for people who don't sign in.
// At the city-wide leaders' meeting each person also says whom they speak
// for: a neighborhood (its groups are then offered) or a department.
import { CITYWIDE } from '../../citywide.js';
import { CoreError } from '../../core.js';
import { enumLabel, t } from '../../i18n.js';
import { fill, h } from '../dom.js';
import { offeredValues } from '../../reference-lists.js';
import { byName, choiceGroup, enumOptions, intValue, keepFocus, recordConflicts, row } from '../ui.js';

const NEW_GROUP = '__new__';
const SUGGESTIONS = 8;

// As the core compares names (derived_id.hpp): case and spacing ignored.
export function normalizeName(name) { return String(name ?? '').trim().replace(/\s+/g, ' ').toLowerCase(); }

export class SignInSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
  }

  get slug() { return this.meeting.fields.neighborhood; }
  get city() { return this.slug === CITYWIDE; }

  // The neighborhood whose groups are offered: the meeting's, or at the
  // leaders' meeting the one the person speaks for ('' for none).
  groupNeighborhood() {
    if (!this.city) return this.slug;
    const value = this.speaksFor?.value ?? '';
    return value.startsWith('n:') ? value.slice(2) : '';
  }

  // The leaders' meeting's "Speaks for": every neighborhood, then every department.
  buildSpeaksFor() {
    const neighborhoods = this.sync.list('neighborhood').sort((a, b) => byName(a.fields.name, b.fields.name));
    const departments = offeredValues(this.sync, 'attendance', 'department');
    this.speaksFor = h('select', { id: 'signin-speaks-for' },
      h('option', { value: '' }, t('leaders.nobody')),
      h('optgroup', { label: t('leaders.neighborhoods') }, neighborhoods.map((n) => h('option', { value: `n:${n.id}` }, n.fields.name ?? n.id))),
      h('optgroup', { label: t('leaders.departments') }, departments.map((d) => h('option', { value: `d:${d}` }, enumLabel('department', d)))));
    this.speaksFor.addEventListener('change', () => this.fillGroups());
    return row('signin-speaks-for', t('leaders.speaksFor'), this.speaksFor, { hint: t('leaders.speaksForHint') });
  }

  mount(container) {
    const roles = this.sync.core.allowed('attendance', 'role');
    const orgKinds = this.sync.core.allowed('organization', 'kind');
    this.name = h('input', { id: 'signin-name', type: 'text', maxlength: '200', autocomplete: 'off', autocapitalize: 'words', enterkeyhint: 'done' });
    this.name.addEventListener('input', () => { this.renderSuggestions(); this.message.textContent = ''; });
    this.group = h('select', { id: 'signin-group' });
    this.group.addEventListener('change', () => {
      this.newGroup.hidden = this.group.value !== NEW_GROUP;
      if (!this.newGroup.hidden) this.newGroupName.focus();
    });
    this.newGroupName = h('input', { id: 'signin-new-group', type: 'text', maxlength: '200', autocomplete: 'off' });
    this.newGroupKind = h('select', { id: 'signin-new-group-kind', value: 'block_group' }, enumOptions('kind', orgKinds));
    this.newGroup = h('div', { class: 'new-group', hidden: true },
      row('signin-new-group', t('signin.newGroupName'), this.newGroupName, { required: true }),
      row('signin-new-group-kind', t('signin.newGroupKind'), this.newGroupKind));
    this.role = choiceGroup('signin-role', t('signin.role'), roles, 'resident', (v) => enumLabel('role', v));
    this.suggestions = h('div', { class: 'suggestions', role: 'group', 'aria-label': t('signin.recent') });
    this.message = h('p', { class: 'form-message', role: 'status', 'aria-live': 'polite' });
    this.submit = h('button', { type: 'submit', class: 'button button-primary button-large' }, t('signin.record'));

    const form = h('form', { class: 'card signin-form', 'aria-labelledby': 'signin-heading' },
      h('h2', { id: 'signin-heading' }, t('signin.heading')),
      h('div', { class: 'signin-grid' },
        h('div', { class: 'signin-name' }, row('signin-name', t('signin.name'), this.name, { required: true })),
        this.city ? h('div', {}, this.buildSpeaksFor()) : null,
        h('div', {}, row('signin-group', t('signin.group'), this.group, { hint: t('signin.groupHint') }), this.newGroup),
        h('div', { class: 'span-2' }, this.suggestions)),
      this.role.element,
      h('div', { class: 'form-actions-inline' }, this.submit, this.message));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.signIn(); });

    this.headcount = h('input', { id: 'headcount', type: 'number', min: '0', max: '100000', inputmode: 'numeric' });
    this.headcountStats = h('p', { class: 'muted', 'data-testid': 'headcount-stats' });
    this.headcountConflict = h('div', { class: 'conflict-slot' });
    const headcountForm = h('form', { class: 'card headcount-form' },
      this.headcountConflict,
      row('headcount', t('signin.headcount'), this.headcount, { hint: t('signin.headcountHint') }),
      h('button', { type: 'submit', class: 'button button-secondary' }, t('signin.saveHeadcount')),
      this.headcountStats);
    headcountForm.addEventListener('submit', (event) => { event.preventDefault(); this.saveHeadcount(); });

    this.listHeading = h('h2', { id: 'attendees-heading' });
    this.list = h('ul', { class: 'attendee-list', 'aria-labelledby': 'attendees-heading' });
    this.undo = h('div', { class: 'undo-slot', 'aria-live': 'polite' });

    container.replaceChildren(h('fieldset', { class: 'capture' },
      h('div', { class: 'signin-layout' },
        form,
        headcountForm),
      h('section', { class: 'card attendees' }, this.listHeading, this.undo, this.list)));
    this.update(this.meeting);
    this.name.focus();
  }

  unmount() {}

  attendees() {
    return this.sync.list('attendance', 'meeting', this.meeting.id).sort((a, b) => byName(a.fields.name, b.fields.name));
  }

  orgs() {
    const neighborhood = this.groupNeighborhood();
    if (!neighborhood) return [];
    return this.sync.list('organization', 'neighborhood', neighborhood).sort((a, b) => byName(a.fields.name, b.fields.name));
  }

  update(meeting) {
    this.meeting = meeting;
    this.fillGroups();
    if (document.activeElement !== this.headcount) this.headcount.value = meeting.fields.headcount ?? '';
    const attendees = this.attendees();
    const signedIn = attendees.length;
    const headcount = meeting.fields.headcount ?? 0;
    this.headcountStats.textContent = t('signin.stats', { signedIn, headcount, total: Math.max(signedIn, headcount) });
    this.headcountConflict.replaceChildren(...recordConflicts(this.sync, meeting, this.app.error, ['headcount'], { withField: true }));
    this.listHeading.textContent = `${t('signin.listHeading')} (${signedIn})`;
    keepFocus(this.list, () => this.renderList(attendees));
    this.renderSuggestions(attendees);
  }

  fillGroups() {
    const current = this.group.value;
    fill(this.group,
      h('option', { value: '' }, t('signin.noGroup')),
      ...this.orgs().map((o) => h('option', { value: o.id }, o.fields.name)),
      // A new group belongs to a neighborhood: none to add it to, no option.
      this.groupNeighborhood() ? h('option', { value: NEW_GROUP }, `+ ${t('signin.newGroup')}`) : null);
    this.group.value = [...this.group.options].some((o) => o.value === current) ? current : '';
    this.newGroup.hidden = this.group.value !== NEW_GROUP;
  }

  renderList(attendees) {
    const orgName = (id) => (id ? this.sync.live('organization', id)?.fields?.name : '') || '';
    if (attendees.length === 0) {
      this.list.replaceChildren(h('li', { class: 'muted empty-row' }, t('signin.empty')));
      return;
    }
    this.list.replaceChildren(...attendees.map((a) => {
      const f = a.fields;
      const group = orgName(f.organization);
      const speaksFor = f.neighborhood ? (this.sync.record('neighborhood', f.neighborhood)?.fields?.name ?? f.neighborhood)
        : f.department ? enumLabel('department', f.department) : '';
      return h('li', { class: `attendee${Object.keys(a.conflicts ?? {}).length ? ' has-conflict' : ''}`, 'data-id': a.id },
        h('div', { class: 'attendee-main' },
          h('span', { class: 'attendee-name' }, f.name),
          h('span', { class: 'attendee-meta muted' }, [speaksFor, group || (speaksFor ? '' : t('signin.noGroupShort')), enumLabel('role', f.role)].filter(Boolean).join(' · ')),
          ...recordConflicts(this.sync, a, this.app.error)),
        h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'button button-quiet', 'data-focus': `edit-${a.id}`,
            'aria-label': `${t('signin.edit')}: ${f.name}`, onclick: () => this.edit(a) }, t('signin.edit')),
          h('button', { type: 'button', class: 'button button-quiet button-danger-text', 'data-focus': `remove-${a.id}`,
            'aria-label': `${t('signin.remove')}: ${f.name}`, onclick: () => this.remove(a) }, t('signin.remove'))));
    }));
  }

  // People signed in at this neighborhood's other meetings, most recent
  // first, matching what is typed, not yet signed in here.
  renderSuggestions(attendees = this.attendees()) {
    const here = new Set(attendees.map((a) => normalizeName(a.fields.name)));
    const starts = new Map(this.sync.list('meeting', 'neighborhood', this.slug)
      .filter((m) => m.id !== this.meeting.id).map((m) => [m.id, m.fields.start ?? '']));
    const people = new Map();
    for (const a of this.sync.list('attendance')) {
      if (!starts.has(a.fields.meeting) || !a.fields.name) continue;
      const key = normalizeName(a.fields.name);
      const start = starts.get(a.fields.meeting);
      if (here.has(key) || (people.has(key) && people.get(key).start >= start)) continue;
      people.set(key, { key, start, name: a.fields.name, organization: a.fields.organization, role: a.fields.role,
                        neighborhood: a.fields.neighborhood, department: a.fields.department });
    }
    const typed = normalizeName(this.name.value);
    const matches = [...people.values()]
      .filter((p) => !typed || p.key.startsWith(typed) || p.key.includes(` ${typed}`))
      .sort((a, b) => b.start.localeCompare(a.start) || byName(a.name, b.name))
      .slice(0, SUGGESTIONS);
    this.suggestions.replaceChildren(...(matches.length ? [h('span', { class: 'suggestions-label muted' }, t('signin.recent'))] : []),
      ...matches.map((p) => h('button', {
        type: 'button', class: 'chip-button', onclick: () => this.fill(p),
      }, p.name)));
  }

  fill(person) {
    this.name.value = person.name;
    if (this.speaksFor) {
      this.speaksFor.value = person.neighborhood ? `n:${person.neighborhood}` : person.department ? `d:${person.department}` : '';
      if (this.speaksFor.selectedIndex < 0) this.speaksFor.value = '';
      this.fillGroups();
    }
    this.group.value = person.organization && this.sync.live('organization', person.organization) ? person.organization : '';
    this.newGroup.hidden = true;
    this.role.set(person.role || 'resident');
    this.renderSuggestions();
    this.submit.focus();
  }

  edit(attendance) {
    const f = attendance.fields;
    this.fill({ name: f.name, organization: f.organization, role: f.role, neighborhood: f.neighborhood, department: f.department });
    this.name.scrollIntoView({ block: 'center' });
  }

  async signIn() {
    const typed = this.name.value.trim().replace(/\s+/g, ' ');
    if (!typed) {
      this.message.textContent = t('signin.nameRequired');
      this.name.focus();
      return;
    }
    let organization = this.group.value;
    try {
      if (organization === NEW_GROUP) {
        organization = await this.ensureGroup();
        if (!organization) return;
      }
      const id = this.sync.core.attendanceId(this.meeting.id, typed);
      const existing = this.sync.live('attendance', id);
      // Keep the spelling already recorded; the id is the same either way.
      const fields = { meeting: this.meeting.id, name: existing?.fields?.name ?? typed, role: this.role.value() || 'resident' };
      if (organization) fields.organization = organization;
      else if (existing?.fields?.organization) fields.organization = null;
      if (this.city) {
        const [kind, slug] = (this.speaksFor.value || ':').split(':');
        for (const [field, value] of [['neighborhood', kind === 'n' ? slug : ''], ['department', kind === 'd' ? slug : '']]) {
          if (value) fields[field] = value;
          else if (existing?.fields?.[field]) fields[field] = null;
        }
      }
      let text;
      try {
        await this.sync.create('attendance', fields);
        text = existing ? t('signin.updated', { name: fields.name }) : t('signin.done', { name: fields.name });
      } catch (error) {
        if (!(error instanceof CoreError) || error.code !== 'unchanged') throw error;
        text = t('signin.already', { name: fields.name });
      }
      this.reset();
      this.message.textContent = `✓ ${text}`;
    } catch (error) {
      this.message.textContent = t('error.notSaved', { message: error.message });
    }
  }

  // The new group typed in the form (or the neighborhood's group of that name).
  async ensureGroup() {
    const name = this.newGroupName.value.trim().replace(/\s+/g, ' ');
    if (!name) {
      this.message.textContent = t('signin.groupNameRequired');
      this.newGroupName.focus();
      return '';
    }
    const same = this.orgs().find((o) => normalizeName(o.fields.name) === normalizeName(name));
    if (same) return same.id;
    const id = await this.sync.create('organization', { name, kind: this.newGroupKind.value, neighborhood: this.groupNeighborhood() });
    this.fillGroups();
    return id;
  }

  reset() {
    this.name.value = '';
    if (this.speaksFor) {
      this.speaksFor.value = '';
      this.fillGroups();
    }
    this.group.value = '';
    this.newGroupName.value = '';
    this.newGroup.hidden = true;
    this.role.set('resident');
    this.renderSuggestions();
    this.name.focus();
  }

  async remove(attendance) {
    try {
      await this.sync.remove('attendance', attendance.id);
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
      return;
    }
    const fields = { ...attendance.fields };
    this.undo.replaceChildren(h('div', { class: 'notice notice-success undo' },
      h('span', {}, t('signin.removed', { name: fields.name })),
      h('button', { type: 'button', class: 'button button-quiet', onclick: async () => {
        this.undo.replaceChildren();
        try { await this.sync.create('attendance', fields); } catch (error) {
          if (error.code !== 'unchanged') this.app.error(t('error.notSaved', { message: error.message }));
        }
      } }, t('signin.undo'))));
  }

  async saveHeadcount() {
    const n = intValue(this.headcount);
    if (Number.isNaN(n) || (n !== null && n > 100000)) {
      this.headcountStats.textContent = t('signin.headcountInvalid');
      return;
    }
    try {
      await this.sync.setFields('meeting', this.meeting.id, { headcount: n });
      this.app.toast(t('signin.headcountSaved'));
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }
}
