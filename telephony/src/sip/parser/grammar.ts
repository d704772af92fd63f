/** RFC 3261 §25 lexical pieces shared by the header parsers. */
import { fail } from "./errors.ts";

/** Ordered parameters; names lower-cased, `null` for a parameter without a value. A Map, so `__proto__` is just a name. */
export type Params = Map<string, string | null>;

export const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
/** `word` (Call-ID): token characters plus ( ) < > : \ " / [ ] ? { } */
export const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;
const LWS = /[ \t]/;

export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

/** Index just past the quoted string starting at `start` (which holds `"`); throws when unterminated. */
export function endOfQuoted(s: string, start: number, header?: string): number {
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === '"') return i + 1;
  }
  return fail("BAD_HEADER", "unterminated quoted string", header);
}

/** The content of a quoted string with its quoted-pairs resolved. */
export function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\([\s\S])/g, "$1");
}

export function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, "\\$1")}"`;
}

/**
 * Splits at `sep` outside quoted strings and angle brackets (multi-value headers, parameter lists).
 * Pieces are trimmed; empty pieces are kept so callers can refuse them.
 */
export function splitTopLevel(s: string, sep: string, header?: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let angle = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = endOfQuoted(s, i, header) - 1;
    } else if (c === "<") {
      angle = true;
    } else if (c === ">") {
      angle = false;
    } else if (c === sep && !angle) {
      parts.push(s.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(s.slice(from).trim());
  return parts;
}

const PARAM_VALUE = /^(?:[A-Za-z0-9\-.!%*_+`'~:]+|\[[0-9A-Fa-f:.]+\])$/;

/**
 * Parses `*( SEMI name [ EQUAL value ] )` as it follows a header value: `;a=1 ; b ;c="x y"`.
 * `text` starts at the first `;` (or is empty). Values keep their quotes, so they serialise as received.
 */
export function parseParams(text: string, header?: string): Params {
  const params: Params = new Map();
  const trimmed = text.trim();
  if (trimmed === "") return params;
  if (!trimmed.startsWith(";")) fail("BAD_HEADER", `unexpected text before parameters: ${clip(trimmed)}`, header);
  const pieces = splitTopLevel(trimmed.slice(1), ";", header);
  for (const piece of pieces) {
    const eq = piece.indexOf("=");
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim();
    if (!isToken(name)) fail("BAD_HEADER", `bad parameter name "${clip(name)}"`, header);
    if (eq < 0) {
      params.set(name.toLowerCase(), null);
      continue;
    }
    const value = piece.slice(eq + 1).trim();
    if (value.startsWith('"')) {
      if (endOfQuoted(value, 0, header) !== value.length) fail("BAD_HEADER", `text after quoted value of ${name}`, header);
    } else if (!PARAM_VALUE.test(value)) {
      fail("BAD_HEADER", `bad value for parameter ${name}`, header);
    }
    params.set(name.toLowerCase(), value);
  }
  return params;
}

export function formatParams(params: Params): string {
  let out = "";
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** True when the string holds whitespace (LWS inside an element that allows none). */
export function hasLws(s: string): boolean {
  return LWS.test(s) || s.includes("\r") || s.includes("\n");
}

/** A short, log-safe excerpt of untrusted text. */
export function clip(s: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const printable = s.replace(/[\x00-\x1f\x7f]/g, "?");
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
