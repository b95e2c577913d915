// Kiosk mode's lock: the organizer's PIN, kept only as a salted PBKDF2-SHA-256
// hash (WebCrypto), and the device setting that keeps the tablet in kiosk
// mode across reloads.
//
// The setting (IndexedDB meta "kiosk", see Sync.setPref):
//   {neighborhood, meeting, lang, pin: {salt, hash, iterations},
//    raised: [priority ids added at this kiosk], failures, lockedUntil, since}
// Wrong PINs are counted in the stored setting, so reloading does not reset
// them: after MAX_FAILURES the exit is locked for LOCKOUT_MS.
export const PIN_PATTERN = /^\d{4,8}$/;
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 60 * 1000;
const ITERATIONS = 150000;

// The resident session's idle reset: 60 s unless the device sets
// localStorage "psc.kioskIdleSeconds" (tests use a few seconds).
export function idleTimeoutMs() {
  const configured = Number(globalThis.localStorage?.getItem('psc.kioskIdleSeconds'));
  return Number.isFinite(configured) && configured > 0 ? configured * 1000 : 60 * 1000;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (text) => new Uint8Array(text.match(/../g).map((h) => parseInt(h, 16)));

async function derive(pin, salt, iterations) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return hex(new Uint8Array(bits));
}

export async function hashPin(pin) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt: hex(salt), hash: await derive(pin, salt, ITERATIONS), iterations: ITERATIONS };
}

export async function checkPin(pin, stored) {
  if (!stored?.salt || !stored?.hash) return false;
  const candidate = await derive(pin, unhex(stored.salt), stored.iterations || ITERATIONS);
  // Same length by construction; compare every character.
  let diff = candidate.length ^ stored.hash.length;
  for (let i = 0; i < candidate.length; i += 1) diff |= candidate.charCodeAt(i) ^ stored.hash.charCodeAt(i);
  return diff === 0;
}

// A fresh ballot id for one resident's session: the vote's voter.
export function newBallotId() {
  return `kiosk-${hex(crypto.getRandomValues(new Uint8Array(8)))}`;
}
