import { createHmac, timingSafeEqual } from 'node:crypto';

const ID_BYTES = 16;
const SLOT_BYTES = 4;
const MAC_BYTES = 16;

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The key a session's codes are signed with: the session's own random key, bound to the server's
 * key when the operator set one (CARNET_SECRET_KEY), so a copy of the database alone cannot mint
 * codes on such a deployment.
 */
function signingKey(sessionKey: Buffer, serverKey: Buffer | undefined): Buffer {
  return serverKey ? createHmac('sha256', serverKey).update('carnet:teaching-attendance:').update(sessionKey).digest() : sessionKey;
}

function mac(sessionId: string, slot: number, sessionKey: Buffer, serverKey: Buffer | undefined): Buffer {
  const slotBytes = Buffer.alloc(SLOT_BYTES);
  slotBytes.writeUInt32BE(slot);
  return createHmac('sha256', signingKey(sessionKey, serverKey)).update(uuidBytes(sessionId)).update(slotBytes).digest().subarray(0, MAC_BYTES);
}

/** The code of a session for a time slot: its id, the slot and their signature, in base64url (fits a URL path). */
export function mintAttendanceCode(sessionId: string, slot: number, sessionKey: Buffer, serverKey: Buffer | undefined): string {
  const slotBytes = Buffer.alloc(SLOT_BYTES);
  slotBytes.writeUInt32BE(slot);
  return Buffer.concat([uuidBytes(sessionId), slotBytes, mac(sessionId, slot, sessionKey, serverKey)]).toString('base64url');
}

/** The session and slot a code claims, before its signature is checked (null when it is not one of ours). */
export function readAttendanceCode(code: string): { sessionId: string; slot: number; signature: Buffer } | null {
  if (!/^[A-Za-z0-9_-]{48}$/.test(code)) return null;
  const bytes = Buffer.from(code, 'base64url');
  if (bytes.length !== ID_BYTES + SLOT_BYTES + MAC_BYTES) return null;
  return { sessionId: uuidOf(bytes.subarray(0, ID_BYTES)), slot: bytes.readUInt32BE(ID_BYTES), signature: bytes.subarray(ID_BYTES + SLOT_BYTES) };
}

export function attendanceCodeGenuine(claim: { sessionId: string; slot: number; signature: Buffer }, sessionKey: Buffer, serverKey: Buffer | undefined): boolean {
  return timingSafeEqual(claim.signature, mac(claim.sessionId, claim.slot, sessionKey, serverKey));
}
