// The sync state in the header, always visible: connection, changes
// waiting, hand-off files waiting to be uploaded, last synced, and progress
// while catching up.
import { formatTime, t, tCount } from '../i18n.js';
import { h } from './dom.js';

const PILL = {
  starting: ['status.connecting', 'pill-pending'],
  connecting: ['status.connecting', 'pill-pending'],
  online: ['status.online', 'pill-online'],
  offline: ['status.offline', 'pill-offline'],
  waiting: ['status.unreachable', 'pill-offline'],
  'signed-out': ['status.signedOut', 'pill-offline'],
};

// Re-renders only when the wording changes, so screen readers hear changes
// (the box is a polite live region), not a once-a-second refresh.
export function renderStatus(container, status) {
  const [key, tone] = PILL[status.connection] ?? PILL.connecting;
  let label = t(key);
  if (status.connection === 'waiting' && status.retryAt) {
    const seconds = Math.max(0, Math.ceil((status.retryAt - Date.now()) / 1000));
    label += ` — ${t('status.retryIn', { s: seconds })}`;
  }
  const children = [
    h('span', { class: `pill ${tone}`, 'data-testid': 'connection' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), label),
    h('span', { class: `status-item${status.outbox > 0 ? ' status-waiting' : ''}`, 'data-testid': 'outbox' },
      status.outbox === 0 && !status.lastSync ? t('status.nothingWaiting') : tCount('status.waiting', status.outbox)),
    status.handoffs > 0
      ? h('a', { class: 'status-item status-waiting', href: '#/handoff', 'data-testid': 'handoffs-waiting' },
        tCount('status.handoffs', status.handoffs))
      : null,
    h('span', { class: 'status-item', 'data-testid': 'last-sync' },
      status.lastSync ? t('status.lastSync', { time: formatTime(status.lastSync) }) : t('status.neverSynced')),
  ].filter(Boolean);
  if (status.catchUp) {
    const { received, fraction } = status.catchUp;
    const text = fraction !== null && fraction !== undefined
      ? t('status.catchUpPct', { pct: Math.floor(fraction * 100), n: received.toLocaleString() })
      : t('status.catchUp', { n: received.toLocaleString() });
    children.push(h('span', { class: 'catch-up', 'data-testid': 'catch-up' },
      fraction !== null && fraction !== undefined ? h('progress', { max: '100', value: String(Math.floor(fraction * 100)) }) : h('progress'),
      text));
  }
  const signature = children.map((c) => c.textContent).join('|') + (status.catchUp?.fraction ?? '');
  if (container.dataset.signature === signature) return;
  container.dataset.signature = signature;
  container.replaceChildren(...children);
}
