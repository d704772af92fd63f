/** One Via value (RFC 3261 §20.42, RFC 3581 rport). */
import { fail } from "./errors.ts";
import { clip, formatParams, parseParams, type Params } from "./grammar.ts";
import { parsePort } from "./uri.ts";

export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-case: UDP, TCP, TLS, WS, WSS, SCTP, … */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

export const MAGIC_COOKIE = "z9hG4bK";

const SENT_PROTOCOL = /^([A-Za-z0-9\-.!%*_+`'~]+)\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9\-_.]*[A-Za-z0-9.])?|\[[0-9A-Fa-f:.]+\])$/;

export function parseVia(text: string): Via {
  const s = text.trim();
  const m = SENT_PROTOCOL.exec(s);
  if (!m) return fail("BAD_HEADER", `bad sent-protocol: ${clip(s)}`, "Via");
  const [, name = "", version = "", transport = ""] = m;
  if (name.toUpperCase() !== "SIP" || version !== "2.0") fail("BAD_HEADER", `unsupported protocol ${clip(name)}/${clip(version)}`, "Via");
  const rest = s.slice(m[0].length);
  const semi = rest.indexOf(";");
  const sentBy = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  const via: Via = { protocol: "SIP/2.0", transport: transport.toUpperCase(), host: "", params: parseParams(semi < 0 ? "" : rest.slice(semi), "Via") };
  let host = sentBy;
  let port: string | undefined;
  const close = sentBy.lastIndexOf("]");
  const colon = sentBy.indexOf(":", close + 1);
  if (colon >= 0) {
    host = sentBy.slice(0, colon).trim();
    port = sentBy.slice(colon + 1).trim();
  }
  if (!HOST.test(host)) fail("BAD_HEADER", `bad sent-by host: ${clip(host)}`, "Via");
  via.host = host.toLowerCase();
  if (port !== undefined) via.port = parsePort(port, "Via");
  const branch = via.params.get("branch");
  if (branch === null) fail("BAD_HEADER", "branch without a value", "Via");
  return via;
}

export function formatVia(via: Via): string {
  return `${via.protocol}/${via.transport} ${via.host}${via.port === undefined ? "" : `:${via.port}`}${formatParams(via.params)}`;
}

export function branchOf(via: Via): string | undefined {
  return via.params.get("branch") ?? undefined;
}

/** `host:port` as written by the sender (the port defaulting per transport): part of a transaction's key. */
export function sentByOf(via: Via): string {
  return `${via.host}:${via.port ?? defaultPort(via.transport)}`;
}

export function defaultPort(transport: string): number {
  return transport === "TLS" || transport === "WSS" ? 5061 : 5060;
}
