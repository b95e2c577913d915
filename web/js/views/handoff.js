// The offline hand-off screen (#/handoff): export this device's unsynced
// changes to a file, import a file another device exported, and what the
// server answered for each imported file. The work is in handoffs.js.
import { deviceLabel } from '../device-names.js';
import { formatTime, t, tCount } from '../i18n.js';
import { h } from './dom.js';

export class HandoffView {
  constructor(sync) {
    this.sync = sync;
    this.exportMessage = null;  // {kind, text} after the last export here
    this.importMessage = null;  // {kind, text} after the last import here
    this.imported = null;       // {id, summary} of the file imported last here: the server's answer is added
    this.onHandoff = (event) => {
      const answer = event.detail.answered.find((f) => f.id === this.imported?.id);
      if (answer?.state === 'refused') this.importMessage = { kind: 'error', text: handoffState(answer) };
      else if (answer) this.importMessage = { kind: 'success', text: `${this.imported.summary} ${handoffState(answer)}.` };
      this.render();
    };
  }

  mount(container) {
    this.container = container;
    this.sync.addEventListener('handoff', this.onHandoff);
    this.render();
  }

  unmount() { this.sync.removeEventListener('handoff', this.onHandoff); }

  // The outbox count changes with every save and ack.
  update() { this.render(); }

  async render() {
    const session = this.sync.session;
    const [mine, total, last] = await Promise.all([
      this.sync.storage.outboxChanges(Number.MAX_SAFE_INTEGER, session?.account ?? '').then((c) => c.length),
      this.sync.storage.outboxCount(),
      this.sync.storage.getMeta('last_handoff_export'),
    ]);
    const focused = document.activeElement?.dataset?.focus;
    this.container.replaceChildren(h('div', { class: 'handoff-screen' },
      h('div', { class: 'form-header' },
        h('h1', {}, t('handoff.title')),
        h('p', { class: 'muted' }, t('handoff.intro'))),
      h('div', { class: 'handoff-grid' },
        this.exportCard(session, mine, total - mine, last),
        this.importCard()),
      this.listCard()));
    if (focused) this.container.querySelector(`[data-focus="${focused}"]`)?.focus();
  }

  exportCard(session, mine, others, last) {
    const button = h('button', {
      type: 'button', class: 'button button-primary', 'data-focus': 'export', disabled: mine === 0,
      onclick: () => this.export(),
    }, t('handoff.export.button'));
    return h('section', { class: 'card', 'aria-labelledby': 'handoff-export' },
      h('h2', { id: 'handoff-export' }, t('handoff.export.title')),
      h('p', { 'data-testid': 'handoff-waiting' }, tCount('handoff.export.waiting', mine, { account: session?.account ?? '' })),
      others > 0 ? h('p', { class: 'muted' }, tCount('handoff.export.others', others)) : null,
      h('p', { class: 'muted' }, t('handoff.export.keep')),
      h('p', { class: 'muted' }, t('handoff.export.signedIn')),
      h('div', { class: 'form-actions-inline' }, button),
      message(this.exportMessage, 'handoff-export-result'),
      last ? h('p', { class: 'muted' }, t('handoff.export.last', { time: formatTime(last.at), n: last.count })) : null);
  }

  async export() {
    try {
      const { count, text, name } = await this.sync.exportHandoff();
      if (count === 0) {
        this.exportMessage = { kind: 'info', text: t('handoff.export.nothing') };
      } else {
        download(name, text);
        this.exportMessage = { kind: 'success', text: tCount('handoff.export.done', count, { name }) };
      }
    } catch (error) {
      this.exportMessage = { kind: 'error', text: t('handoff.export.failed', { message: error.message }) };
    }
    this.render();
  }

  importCard() {
    const input = h('input', {
      type: 'file', id: 'handoff-file', accept: '.json,application/json', 'data-focus': 'import',
      onchange: () => { if (input.files[0]) this.import(input.files[0]); },
    });
    return h('section', { class: 'card', 'aria-labelledby': 'handoff-import' },
      h('h2', { id: 'handoff-import' }, t('handoff.import.title')),
      h('p', {}, t('handoff.import.body')),
      h('div', { class: 'form-row' }, h('label', { for: 'handoff-file' }, t('handoff.import.file')), input),
      message(this.importMessage, 'handoff-import-result'));
  }

  async import(file) {
    this.importMessage = { kind: 'info', text: t('handoff.import.reading') };
    this.render();
    try {
      const { handoff, again } = await this.sync.importHandoff(await file.text());
      const summary = [
        tCount('handoff.import.done', handoff.count, { device: deviceLabel(handoff.device), account: handoff.account }),
        handoff.known ? t('handoff.import.known', { known: handoff.known }) : '',
      ].filter(Boolean).join(' ');
      this.imported = { id: handoff.id, summary };
      this.importMessage = again
        ? { kind: 'info', text: t('handoff.import.again', { time: formatTime(handoff.imported_at) }) }
        : { kind: 'success', text: `${summary} ${t(this.sync.status.connection === 'online' ? 'handoff.import.uploading' : 'handoff.import.upload')}` };
      // Online, the server may have answered already: then say what it said.
      const now = this.sync.handoffs.list.find((f) => f.id === handoff.id);
      if (!again && now && now.state !== 'pending') this.onHandoff({ detail: { answered: [now] } });
    } catch (error) {
      const key = `handoff.import.${error.code}`;
      this.importMessage = { kind: 'error', text: t(key) !== key ? t(key) : t('handoff.import.failed', { message: error.message }) };
    }
    this.render();
  }

  listCard() {
    const files = this.sync.handoffs.list;
    return h('section', { class: 'card', 'aria-labelledby': 'handoff-list' },
      h('h2', { id: 'handoff-list' }, t('handoff.list.title')),
      files.length === 0 ? h('p', { class: 'muted' }, t('handoff.list.empty'))
        : h('ul', { class: 'handoff-list', 'data-testid': 'handoff-list' }, files.map((f) => h('li', { class: `handoff-${f.state}` },
          h('div', {}, h('strong', {}, t('handoff.list.from', {
            device: deviceLabel(f.device), account: f.account, time: f.created_at ? formatTime(f.created_at) : '?',
          })), ` · ${tCount('handoff.list.count', f.count)}`),
          h('div', { class: 'handoff-state' }, handoffState(f)),
          f.result?.rejected.length ? rejectedList(f.result.rejected) : null))));
  }
}

// What happened to a kept file, in words.
export function handoffState(f) {
  if (f.state === 'pending') return t('handoff.state.pending');
  if (f.state === 'refused') return t('handoff.state.refused', { message: refusalText(f.refusal) });
  return t('handoff.state.uploaded', { fresh: f.result.accepted - f.result.already, already: f.result.already });
}

export function refusalText(refusal) {
  const key = `handoff.refused.${refusal?.code}`;
  return t(key) !== key ? t(key) : refusal?.message ?? '';
}

function rejectedList(rejected) {
  const reasons = new Map();
  for (const r of rejected) reasons.set(`${r.message} (${r.code})`, (reasons.get(`${r.message} (${r.code})`) ?? 0) + 1);
  return h('div', { class: 'handoff-rejected' },
    tCount('handoff.state.rejectedSome', rejected.length),
    h('ul', {}, [...reasons].map(([reason, n]) => h('li', {}, n > 1 ? `${reason} ×${n}` : reason))));
}

function message(m, testId) {
  return m ? h('p', { class: `notice notice-${m.kind}`, role: m.kind === 'error' ? 'alert' : 'status', 'data-testid': testId }, m.text) : null;
}

// Hands the text to the browser as a file download.
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
