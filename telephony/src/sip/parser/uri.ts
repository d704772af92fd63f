/** SIP and SIPS URIs (RFC 3261 §19.1) and, opaquely, any other absolute URI (tel:, urn:, …). */
import { fail } from "./errors.ts";
import { clip, type Params } from "./grammar.ts";

export interface SipUri {
  kind: "sip";
  scheme: "sip" | "sips";
  /** As received: still %-escaped (compare with `unescapeUri`). */
  user?: string;
  password?: string;
  /** Lower-cased; an IPv6 reference keeps its brackets. */
  host: string;
  port?: number;
  params: Params;
  /** `?name=value&…` headers, still escaped. */
  headers: Params;
}

/** A URI of another scheme, kept as text. */
export interface OtherUri {
  kind: "other";
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | OtherUri;

const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const ESCAPED_OK = /^(?:[^%]|%[0-9A-Fa-f]{2})*$/;
const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;
const PASSWORD = /^[A-Za-z0-9\-_.!~*'()&=+$,%]*$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9\-_.]*[A-Za-z0-9.])?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
const PARAMCHARS = /^[A-Za-z0-9\-_.!~*'()[\]/:&+$%]+$/;
const HEADERCHARS = /^[A-Za-z0-9\-_.!~*'()[\]/?:+$%]*$/;
const OPAQUE = /^[^\s<>"]+$/;

export function parseUri(text: string, header?: string): Uri {
  const colon = text.indexOf(":");
  if (colon <= 0) return fail("BAD_HEADER", `not a URI: ${clip(text)}`, header);
  const scheme = text.slice(0, colon);
  if (!SCHEME.test(scheme)) fail("BAD_HEADER", `bad URI scheme: ${clip(scheme)}`, header);
  const lower = scheme.toLowerCase();
  const rest = text.slice(colon + 1);
  if (lower !== "sip" && lower !== "sips") {
    if (!OPAQUE.test(rest)) fail("BAD_HEADER", `bad ${lower} URI`, header);
    return { kind: "other", scheme: lower, opaque: rest };
  }
  return parseSipUri(lower, rest, header);
}

function parseSipUri(scheme: "sip" | "sips", rest: string, header?: string): SipUri {
  if (!ESCAPED_OK.test(rest)) fail("BAD_HEADER", "bad %-escape in URI", header);
  const uri: SipUri = { kind: "sip", scheme, host: "", params: new Map(), headers: new Map() };
  // userinfo may hold ; ? / (user-unreserved), so it is cut off first: '@' appears nowhere else unescaped
  const at = rest.indexOf("@");
  let hostPart = rest;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    hostPart = rest.slice(at + 1);
    const pw = userinfo.indexOf(":");
    const user = pw < 0 ? userinfo : userinfo.slice(0, pw);
    if (!USER.test(user)) fail("BAD_HEADER", `bad URI user: ${clip(user)}`, header);
    uri.user = user;
    if (pw >= 0) {
      const password = userinfo.slice(pw + 1);
      if (!PASSWORD.test(password)) fail("BAD_HEADER", "bad URI password", header);
      uri.password = password;
    }
  }
  const q = hostPart.indexOf("?");
  const beforeHeaders = q < 0 ? hostPart : hostPart.slice(0, q);
  if (q >= 0) uri.headers = parseUriHeaders(hostPart.slice(q + 1), header);
  const [hostport = "", ...params] = beforeHeaders.split(";");
  parseHostPort(hostport, uri, header);
  for (const param of params) {
    const eq = param.indexOf("=");
    const name = eq < 0 ? param : param.slice(0, eq);
    const value = eq < 0 ? null : param.slice(eq + 1);
    if (!PARAMCHARS.test(name) || (value !== null && !PARAMCHARS.test(value))) fail("BAD_HEADER", `bad URI parameter: ${clip(param)}`, header);
    uri.params.set(name.toLowerCase(), value);
  }
  return uri;
}

function parseHostPort(text: string, uri: SipUri, header?: string): void {
  let host = text;
  let port: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    host = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (close < 0 || (after !== "" && !after.startsWith(":"))) fail("BAD_HEADER", "bad IPv6 reference", header);
    if (after) port = after.slice(1);
    if (!IPV6.test(host)) fail("BAD_HEADER", "bad IPv6 reference", header);
  } else {
    const colon = text.indexOf(":");
    if (colon >= 0) {
      host = text.slice(0, colon);
      port = text.slice(colon + 1);
    }
    if (!HOSTNAME.test(host)) fail("BAD_HEADER", `bad host: ${clip(host)}`, header);
  }
  uri.host = host.toLowerCase();
  if (port !== undefined) uri.port = parsePort(port, header);
}

export function parsePort(text: string, header?: string): number {
  if (!/^\d{1,5}$/.test(text)) fail("BAD_HEADER", `bad port: ${clip(text)}`, header);
  const port = Number(text);
  if (port > 65535) fail("BAD_HEADER", `port out of range: ${port}`, header);
  return port;
}

function parseUriHeaders(text: string, header?: string): Params {
  const headers: Params = new Map();
  for (const pair of text.split("&")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) fail("BAD_HEADER", `bad URI header: ${clip(pair)}`, header);
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (!HEADERCHARS.test(name) || !HEADERCHARS.test(value)) fail("BAD_HEADER", `bad URI header: ${clip(pair)}`, header);
    headers.set(name, value);
  }
  return headers;
}

export function formatUri(uri: Uri): string {
  if (uri.kind === "other") return `${uri.scheme}:${uri.opaque}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) out += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
  out += uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  for (const [name, value] of uri.params) out += value === null ? `;${name}` : `;${name}=${value}`;
  let sep = "?";
  for (const [name, value] of uri.headers) {
    out += `${sep}${name}=${value ?? ""}`;
    sep = "&";
  }
  return out;
}

/** %HH → the character (as a byte string): how escaped and unescaped forms compare equal. */
export function unescapeUri(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Builds a `sip:` URI from parts (our own Contacts, test peers). */
/** A `sips:` URI: reached over TLS, and answered with a `sips:` Contact (RFC 3261 §8.1.1.8, §12.1.1). */
export function isSips(uri: Uri): boolean {
  return uri.kind === "sip" && uri.scheme === "sips";
}

export function sipUri(host: string, options: { user?: string; port?: number; scheme?: "sip" | "sips"; params?: Record<string, string | null> } = {}): SipUri {
  const uri: SipUri = { kind: "sip", scheme: options.scheme ?? "sip", host: host.toLowerCase(), params: new Map(Object.entries(options.params ?? {})), headers: new Map() };
  if (options.user !== undefined) uri.user = options.user;
  if (options.port !== undefined) uri.port = options.port;
  return uri;
}
