/** name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route (RFC 3261 §20.10). */
import { fail } from "./errors.ts";
import { clip, endOfQuoted, formatParams, isToken, parseParams, quote, unquote, type Params } from "./grammar.ts";
import { formatUri, parseUri, type Uri } from "./uri.ts";

export interface NameAddr {
  /** Unquoted display name, if any. */
  displayName?: string;
  uri: Uri;
  /** Header parameters (tag, expires, q, lr on Route is a URI parameter). */
  params: Params;
}

export interface ParseNameAddrOptions {
  /** Route and Record-Route: the URI must be in angle brackets. */
  requireBrackets?: boolean;
}

export function parseNameAddr(text: string, header?: string, options: ParseNameAddrOptions = {}): NameAddr {
  const s = text.trim();
  if (s === "") fail("BAD_HEADER", "empty value", header);
  let displayName: string | undefined;
  let rest: string;
  if (s.startsWith('"')) {
    const end = endOfQuoted(s, 0, header);
    displayName = unquote(s.slice(0, end));
    rest = s.slice(end).trimStart();
    if (!rest.startsWith("<")) fail("BAD_HEADER", "quoted display name without <URI>", header);
  } else {
    const lt = s.indexOf("<");
    if (lt >= 0) {
      const name = s.slice(0, lt).trim();
      if (name !== "") {
        for (const word of name.split(/[ \t]+/)) if (!isToken(word)) fail("BAD_HEADER", `display name needs quotes: ${clip(name)}`, header);
        displayName = name;
      }
      rest = s.slice(lt);
    } else {
      rest = s;
    }
  }
  if (rest.startsWith("<")) {
    const gt = rest.indexOf(">");
    if (gt < 0) fail("BAD_HEADER", "missing >", header);
    const inner = rest.slice(1, gt);
    if (/\s/.test(inner)) fail("BAD_HEADER", `whitespace inside <>: ${clip(inner)}`, header);
    const nameAddr: NameAddr = { uri: parseUri(inner, header), params: parseParams(rest.slice(gt + 1), header) };
    if (displayName !== undefined) nameAddr.displayName = displayName;
    return nameAddr;
  }
  if (options.requireBrackets) fail("BAD_HEADER", "URI must be in <>", header);
  // addr-spec: the URI ends at the first ';' and may hold no ',' '?' or whitespace (those need <>)
  const semi = rest.indexOf(";");
  const spec = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  if (/[\s,?]/.test(spec)) fail("BAD_HEADER", `URI with , ? or spaces must be in <>: ${clip(spec)}`, header);
  return { uri: parseUri(spec, header), params: parseParams(semi < 0 ? "" : rest.slice(semi), header) };
}

export function formatNameAddr(value: NameAddr): string {
  const name = value.displayName !== undefined && value.displayName !== "" ? `${quote(value.displayName)} ` : "";
  return `${name}<${formatUri(value.uri)}>${formatParams(value.params)}`;
}

/** A Contact value: a name-addr, or `*` (REGISTER removing every binding). */
export type ContactValue = NameAddr | "*";

export function parseContact(text: string, header = "Contact"): ContactValue {
  return text.trim() === "*" ? "*" : parseNameAddr(text, header);
}

export function tagOf(value: NameAddr): string | undefined {
  return value.params.get("tag") ?? undefined;
}
