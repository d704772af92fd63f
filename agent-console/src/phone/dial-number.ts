/**
 * What the dialpad accepts: a phone number as people write it (spaces, dashes, dots and
 * brackets are dropped), an optional leading +, then digits, * and #; 2 to 32 characters.
 * Returns the number to dial, or null when it is not one.
 */
export function dialableNumber(input: string): string | null {
  const compact = input.trim().replace(/[\s\-().]/g, "");
  return /^\+?[0-9*#]{2,32}$/.test(compact) && !/^\+[*#]/.test(compact) ? compact : null;
}

/** The Request-URI user part of a dialled number: `#` is escaped (RFC 3261 §19.1.2). */
export function dialTarget(number: string, realm: string): string {
  return `sip:${number.replace(/#/g, "%23")}@${realm}`;
}

/** Ids the server puts in X-Yixian-* headers (and the console sends in X-Yixian-Ticket): nothing that could break a header. */
export function headerId(value: string | undefined | null): string | null {
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}

/** A DTMF key of the keypad. */
export function isDtmfKey(key: string): boolean {
  return /^[0-9*#A-D]$/.test(key);
}

/** A call's length as m:ss, or h:mm:ss past an hour. */
export function callClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
