// The offline hand-off file (server/handoff.hpp): a tablet's unsynced
// changes, signed so the server can tell the file is the tablet's own and
// unaltered:
//   {"format":"psc-handoff","version":1,"device":D,
//    "payload":"<JSON text {account, created_at, changes[]}>",
//    "mac":"<hex HMAC-SHA256 of the payload text>"}
// The HMAC key is the SHA-256 of the tablet's device token: the server keeps
// exactly that digest, so it can check the file without storing the token,
// and a device without the token can neither forge nor alter a file. Only
// the server can check the signature; readHandoffFile() checks the shape.
const FORMAT = 'psc-handoff';
const VERSION = 1;
const CHANGE_FIELDS = ['id', 'type', 'record', 'field', 'hlc', 'device', 'actor'];

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

// The file's text for `changes`, signed with `token` (the session's).
export async function writeHandoffFile({ device, account, token, changes, now = Date.now() }) {
  const payload = JSON.stringify({ account, created_at: now, changes });
  const keyBytes = await crypto.subtle.digest('SHA-256', encoder.encode(token));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
  return JSON.stringify({ format: FORMAT, version: VERSION, device, payload, mac });
}

// A file name that says what it is, from where and when.
export function handoffFileName(device, now = Date.now()) {
  const stamp = new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `psc-handoff-${device}-${stamp}.json`;
}

// Why a file cannot be imported; code: not_json | not_handoff | damaged.
export class HandoffFileError extends Error {
  constructor(code) {
    super(code);
    this.name = 'HandoffFileError';
    this.code = code;
  }
}

// Parses a file's text. Resolves with {id, file, device, account, createdAt,
// changes}; `id` (SHA-256 of payload and signature) names this exact file,
// so importing it twice is recognized and an altered copy is not mistaken
// for it. Throws HandoffFileError.
export async function readHandoffFile(text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    throw new HandoffFileError('not_json');
  }
  if (!file || typeof file !== 'object' || file.format !== FORMAT || file.version !== VERSION) {
    throw new HandoffFileError('not_handoff');
  }
  if (typeof file.device !== 'string' || !file.device || typeof file.payload !== 'string'
      || typeof file.mac !== 'string' || !/^[0-9a-f]{64}$/.test(file.mac)) {
    throw new HandoffFileError('damaged');
  }
  let payload;
  try {
    payload = JSON.parse(file.payload);
  } catch {
    throw new HandoffFileError('damaged');
  }
  const changes = payload?.changes;
  if (!Array.isArray(changes) || !changes.every((c) => c && CHANGE_FIELDS.every((f) => typeof c[f] === 'string'))) {
    throw new HandoffFileError('damaged');
  }
  return {
    id: await sha256Hex(`${file.payload}\n${file.mac}`),
    file,
    device: file.device,
    account: typeof payload.account === 'string' ? payload.account : '',
    createdAt: Number.isFinite(payload.created_at) ? payload.created_at : null,
    changes,
  };
}
