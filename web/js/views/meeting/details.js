// The meeting's own fields, editable (see meeting-form.js).
import { t } from '../../i18n.js';
import { MeetingForm } from './meeting-form.js';

export class DetailsSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
  }

  mount(container) {
    this.container = container;
    this.build();
  }

  build() {
    const neighborhood = this.sync.record('neighborhood', this.meeting.fields.neighborhood);
    this.form = new MeetingForm(this.sync, {
      neighborhood, meeting: this.meeting,
      onSaved: () => this.app.toast(t('form.saved')),
      onError: (text) => this.app.error(text),
    });
    this.container.replaceChildren(this.form.build());
  }

  // Untouched, the form follows the record; being edited, it keeps what was typed.
  update(meeting) {
    this.meeting = meeting;
    const values = this.form.values();
    const pristine = Object.keys(values).every((k) => values[k] === this.form.original[k]);
    if (pristine && !this.container.contains(document.activeElement)) this.build();
    else this.form.refresh(meeting);
  }

  unmount() {}
}
