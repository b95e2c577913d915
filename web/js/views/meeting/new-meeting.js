// Starting a meeting for the neighborhood (see meeting-form.js).
import { CITYWIDE, meetingsHref } from '../../citywide.js';
import { t } from '../../i18n.js';
import { h } from '../dom.js';
import { MeetingForm } from './meeting-form.js';

export class NewMeetingView {
  constructor(sync, neighborhood, app) {
    this.sync = sync;
    this.neighborhood = neighborhood;
    this.app = app;
  }

  mount(container) {
    const slug = this.neighborhood.id;
    const name = this.neighborhood.fields.name ?? slug;
    this.form = new MeetingForm(this.sync, {
      neighborhood: this.neighborhood, meeting: null,
      onSaved: (id) => this.app.go(`#/m/${encodeURIComponent(id)}/signin`),
      onError: (text) => this.app.error(text),
    });
    container.replaceChildren(
      h('div', { class: 'form-header' },
        h('p', { class: 'breadcrumb' }, h('a', { href: meetingsHref(slug) },
          `← ${slug === CITYWIDE ? t('leaders.heading') : t('meetings.heading', { name })}`)),
        h('h1', {}, slug === CITYWIDE ? t('leaders.newHeading') : t('meeting.newHeading', { name }))),
      this.form.build());
    this.form.inputs.title.focus();
  }

  update() {}
  unmount() {}
}
