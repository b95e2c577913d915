// Kiosk mode's lock: the organizer's PIN, kept only as a salted PBKDF2-SHA-256
// hash (WebCrypto), and the device setting that keeps the tablet in kiosk
// mode across reloads.
//
// The setting (IndexedDB meta "kiosk", see Sync.setPref):
//   {neighborhood, meeting, lang, pin: {salt, hash, iterations},
//    raised: [priority ids added at this kiosk], failures, lockedUntil, since}
// Wrong PINs are counted in the stored setting, so reloading does not reset
// them: after MAX_FAILURES the PIN is refused for LOCKOUT_MS.
//
// A lock-out any resident can cause must not lock the organizer out of
// their own tablet: kiosk setup also shows a 12-digit recovery code
// (setting "recovery": its hash, like the PIN's), which leaves kiosk mode
// even during a lock-out. 10^12 codes at one PBKDF2 check each cannot be
// tried in a meeting, so it needs no lock-out of its own.
export const PIN_PATTERN = /^\d{4,8}$/;
export const RECOVERY_PATTERN = /^\d{12}$/;
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

// A new recovery code: 12 random digits, shown as "4827 1930 5561".
export function newRecoveryCode() {
  const digits = [];
  while (digits.length < 12) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 250 && digits.length < 12) digits.push(byte % 10);  // no modulo bias
    }
  }
  return digits.join('');
}
export const showRecoveryCode = (code) => code.replace(/(\d{4})(?=\d)/g, '$1 ');
// What a person typed, as a code: digits only (spaces and dashes dropped).
export const typedCode = (text) => String(text ?? '').replace(/[\s-]/g, '');

// A fresh ballot id for one resident's session: the vote's voter.
export function newBallotId() {
  return `kiosk-${hex(crypto.getRandomValues(new Uint8Array(8)))}`;
}
