// Dot-voting at the meeting: pick who is voting (a signed-in attendee; the
// vote's voter is the attendance id), tap the priorities they put a dot on —
// at most one dot per priority and N dots per voter (meeting.dots_per_attendee),
// enforced here — and enter the paper tallies from the flip chart.
// A vote's id is derived from meeting + priority + voter, so the same dot
// recorded on two tablets is one vote.
import { CoreError } from '../../core.js';
import { enumLabel, t, tCount } from '../../i18n.js';
import { fill, h } from '../dom.js';
import { DEFAULT_DOTS } from './meeting-form.js';
import { byName, intValue, keepFocus, recordConflicts } from '../ui.js';

export function dotsPerAttendee(meeting) {
  const n = meeting.fields.dots_per_attendee;
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_DOTS;
}

export class VotingSection {
  constructor(sync, meeting, app) {
    this.sync = sync;
    this.meeting = meeting;
    this.app = app;
    this.voter = null;
  }

  mount(container) {
    this.dotsLine = h('div', { class: 'dots-setting' });
    this.voters = h('ul', { class: 'voter-list', 'aria-labelledby': 'voters-heading' });
    this.ballot = h('div', { class: 'ballot', 'aria-live': 'polite' });
    this.kioskLine = h('p', { class: 'muted', 'data-testid': 'kiosk-ballots' });
    this.tallies = h('div', { class: 'tally-rows' });
    this.tallyMessage = h('p', { class: 'form-message', role: 'status' });
    const tallyForm = h('form', { class: 'card tally-form', 'aria-labelledby': 'tally-heading' },
      h('h2', { id: 'tally-heading' }, t('voting.talliesHeading')),
      h('p', { class: 'muted' }, t('voting.talliesHelp')),
      this.tallies,
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'button button-primary' }, t('voting.saveTallies')), this.tallyMessage));
    tallyForm.addEventListener('submit', (event) => { event.preventDefault(); this.saveTallies(); });
    container.replaceChildren(h('fieldset', { class: 'capture' },
      h('section', { class: 'card' }, h('h2', {}, t('voting.heading')), this.dotsLine, this.kioskLine,
        h('div', { class: 'voting-layout' },
          h('div', { class: 'voters' }, h('h3', { id: 'voters-heading' }, t('voting.who')), this.voters),
          this.ballot)),
      tallyForm));
    this.update(this.meeting);
  }

  unmount() {}

  attendees() {
    return this.sync.list('attendance', 'meeting', this.meeting.id).sort((a, b) => byName(a.fields.name, b.fields.name));
  }

  votes() { return this.sync.list('vote', 'meeting', this.meeting.id); }

  // The open priorities voted on at this meeting, by title.
  priorities() {
    return this.sync.meetingRanking(this.meeting.id).sort((a, b) => byName(a.title, b.title) || (a.priority < b.priority ? -1 : 1));
  }

  update(meeting) {
    this.meeting = meeting;
    const n = dotsPerAttendee(meeting);
    const votes = this.votes();
    const attendees = this.attendees();
    const used = new Map();
    for (const v of votes) used.set(v.fields.voter, (used.get(v.fields.voter) ?? 0) + 1);
    if (this.voter && !attendees.some((a) => a.id === this.voter)) this.voter = null;

    keepFocus(this.dotsLine, () => this.dotsLine.replaceChildren(
      h('span', { id: 'dots-label' }, t('voting.dotsEach')),
      h('button', { type: 'button', class: 'button button-secondary icon-button', 'data-focus': 'dots-minus', disabled: n <= 1,
        'aria-label': t('voting.fewerDots'), onclick: () => this.setDots(n - 1) }, '−'),
      h('strong', { class: 'dots-value', 'data-testid': 'dots-per-attendee', 'aria-describedby': 'dots-label' }, String(n)),
      h('button', { type: 'button', class: 'button button-secondary icon-button', 'data-focus': 'dots-plus', disabled: n >= 20,
        'aria-label': t('voting.moreDots'), onclick: () => this.setDots(n + 1) }, '+')));

    const kioskVoters = new Set(votes.filter((v) => String(v.fields.voter).startsWith('kiosk-')).map((v) => v.fields.voter));
    const kioskDots = votes.filter((v) => String(v.fields.voter).startsWith('kiosk-')).length;
    this.kioskLine.textContent = kioskDots ? t('voting.kioskBallots', { dots: tCount('voting.kioskDots', kioskDots), residents: tCount('voting.kioskResidents', kioskVoters.size) }) : '';

    keepFocus(this.voters, () => this.voters.replaceChildren(...(attendees.length ? attendees.map((a) => {
      const count = used.get(a.id) ?? 0;
      return h('li', {}, h('button', {
        type: 'button', class: `voter${a.id === this.voter ? ' is-selected' : ''}${count > n ? ' is-over' : ''}`,
        'aria-pressed': a.id === this.voter ? 'true' : 'false', 'data-focus': `voter-${a.id}`,
        onclick: () => { this.voter = a.id; this.update(this.meeting); this.ballot.querySelector('button')?.focus(); },
      }, h('span', { class: 'voter-name' }, a.fields.name), h('span', { class: 'voter-dots', 'aria-label': t('voting.usedOf', { used: count, n }) },
        dotsText(count, n))));
    }) : [h('li', { class: 'muted empty-row' }, t('voting.noAttendees'))])));

    keepFocus(this.ballot, () => this.renderBallot(attendees, votes, n));
    this.renderTallies();
  }

  renderBallot(attendees, votes, n) {
    const voter = attendees.find((a) => a.id === this.voter);
    if (!voter) {
      this.ballot.replaceChildren(h('p', { class: 'muted ballot-empty' }, attendees.length ? t('voting.pickVoter') : ''));
      return;
    }
    const mine = new Set(votes.filter((v) => v.fields.voter === voter.id).map((v) => v.fields.priority));
    const priorities = this.priorities();
    const full = mine.size >= n;
    const next = attendees[(attendees.indexOf(voter) + 1) % attendees.length];
    fill(this.ballot,
      h('h3', { class: 'ballot-heading', 'data-testid': 'ballot-heading' }, t('voting.ballotHeading', { name: voter.fields.name, used: mine.size, n })),
      mine.size > n ? h('p', { class: 'notice notice-error' }, t('voting.over', { name: voter.fields.name, used: mine.size, n })) : null,
      priorities.length === 0 ? h('p', { class: 'muted' }, t('voting.noPriorities')) : h('ul', { class: 'ballot-list' },
        priorities.map((p) => {
          const on = mine.has(p.priority);
          return h('li', {}, h('button', {
            type: 'button', class: `dot-toggle${on ? ' is-on' : ''}`, 'aria-pressed': on ? 'true' : 'false',
            disabled: !on && full, 'data-focus': `dot-${p.priority}`,
            onclick: () => this.toggle(voter, p.priority, on),
          }, h('span', { class: 'dot-mark', 'aria-hidden': 'true' }, on ? '●' : '○'),
          h('span', { class: 'dot-text' }, h('span', { class: 'dot-title' }, p.title),
            h('span', { class: 'dot-category muted' }, enumLabel('category', p.category)))));
        })),
      h('div', { class: 'form-actions-inline' },
        full ? h('span', { class: 'muted' }, t('voting.allUsed')) : null,
        next && next !== voter ? h('button', { type: 'button', class: 'button button-secondary', 'data-focus': 'next-voter',
          onclick: () => { this.voter = next.id; this.update(this.meeting); } }, t('voting.next', { name: next.fields.name })) : null));
  }

  async toggle(voter, priorityId, on) {
    try {
      if (on) {
        await this.sync.remove('vote', this.sync.core.voteId(this.meeting.id, priorityId, voter.id));
      } else {
        const n = dotsPerAttendee(this.meeting);
        const used = this.votes().filter((v) => v.fields.voter === voter.id).length;
        if (used >= n) return;
        await this.sync.create('vote', { meeting: this.meeting.id, priority: priorityId, voter: voter.id });
      }
    } catch (error) {
      if (error instanceof CoreError && error.code === 'unchanged') return;
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }

  async setDots(n) {
    try {
      await this.sync.setFields('meeting', this.meeting.id, { dots_per_attendee: n });
    } catch (error) {
      this.app.error(t('error.notSaved', { message: error.message }));
    }
  }

  tally(priorityId) { return this.sync.live('tally', this.sync.core.tallyId(this.meeting.id, priorityId)); }

  // One number per open priority; typing is kept across live updates.
  renderTallies() {
    const priorities = this.priorities();
    const existing = new Map([...this.tallies.querySelectorAll('input')].map((input) => [input.dataset.priority, input]));
    const rows = priorities.map((p) => {
      const tally = this.tally(p.priority);
      const stored = tally?.fields?.count;
      let input = existing.get(p.priority);
      if (!input) {
        input = h('input', { id: `tally-${p.priority}`, type: 'number', min: '0', max: '100000', inputmode: 'numeric', dataset: { priority: p.priority } });
        input.dataset.original = '';
      }
      const untouched = input.value === input.dataset.original;
      if (untouched && document.activeElement !== input) {
        input.value = stored ?? '';
        input.dataset.original = input.value;
      }
      return h('div', { class: 'tally-row' },
        h('label', { for: input.id }, p.title),
        input,
        tally ? h('div', { class: 'tally-conflicts' }, ...recordConflicts(this.sync, tally, this.app.error)) : null);
    });
    this.tallies.replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted' }, t('voting.noPriorities'))]));
  }

  async saveTallies() {
    let saved = 0;
    try {
      for (const input of this.tallies.querySelectorAll('input')) {
        if (input.value === input.dataset.original) continue;
        const count = intValue(input);
        if (Number.isNaN(count) || count > 100000) {
          this.tallyMessage.textContent = t('voting.tallyInvalid');
          input.focus();
          return;
        }
        const priority = input.dataset.priority;
        const existing = this.tally(priority);
        if (count === null) {
          if (existing) await this.sync.remove('tally', existing.id);
        } else {
          try {
            await this.sync.create('tally', { meeting: this.meeting.id, priority, count });
          } catch (error) {
            if (!(error instanceof CoreError) || error.code !== 'unchanged') throw error;
          }
        }
        input.dataset.original = input.value;
        saved += 1;
      }
    } catch (error) {
      this.tallyMessage.textContent = t('error.notSaved', { message: error.message });
      return;
    }
    this.tallyMessage.textContent = saved ? `✓ ${t('voting.talliesSaved', { n: saved })}` : t('form.nothingChanged');
  }
}

function dotsText(used, n) {
  return '●'.repeat(Math.min(used, n)) + '○'.repeat(Math.max(0, n - used)) + (used > n ? ` +${used - n}` : '');
}
