import { randomBytes, randomInt } from "node:crypto";

let lastMs = -1;
let counter = 0;

/**
 * UUIDv7: time-ordered, so new rows land at the right edge of every primary-key index instead
 * of scattering over it (it matters at millions of tickets and messages). Within one
 * millisecond the 12-bit rand_a field is a counter (RFC 9562 §6.2, method 1), so ids made in the
 * same process sort in the order they were made.
 */
export function newId(now = Date.now()): string {
  if (now === lastMs && counter < 0xfff) {
    counter += 1;
  } else {
    lastMs = now;
    counter = randomInt(0, 0x400);
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
