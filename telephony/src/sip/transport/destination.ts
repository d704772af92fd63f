/** Where a request goes (RFC 3261 §8.1.2, RFC 3263 without SRV/NAPTR) and where a response goes (§18.2.2, RFC 3581). */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { SipRequest, SipResponse } from "../message.ts";
import { getHeaders } from "../message.ts";
import { parseNameAddr } from "../parser/name-addr.ts";
import type { Uri } from "../parser/uri.ts";
import type { Destination, Flow, TransportName } from "./types.ts";

const TRANSPORTS: Record<string, TransportName> = { udp: "udp", tcp: "tcp", tls: "tls", ws: "ws", wss: "ws" };

/** The URI the request is sent to: the first Route if there is one (loose routing), else the Request-URI. */
export function nextHopUri(request: SipRequest): Uri {
  const route = getHeaders(request, "Route")[0];
  return route === undefined ? request.uri : parseNameAddr(route, "Route").uri;
}

/**
 * Resolves a SIP URI's host (A/AAAA lookup; no SRV) and picks the transport from `transport=`; a
 * `sips:` URI goes over TLS (RFC 3261 §26.2.2). Over TLS a host name is what the certificate is
 * checked against.
 */
export async function uriDestination(uri: Uri, fallback: TransportName = "udp"): Promise<Destination> {
  if (uri.kind !== "sip") throw new Error(`cannot send to a ${uri.scheme}: URI`);
  const param = uri.params.get("transport");
  const named = param ? TRANSPORTS[param.toLowerCase()] : undefined;
  const transport = uri.scheme === "sips" && named !== "ws" ? "tls" : (named ?? fallback);
  const host = uri.host.startsWith("[") ? uri.host.slice(1, -1) : uri.host;
  const address = isIP(host) ? host : (await lookup(host)).address;
  const port = uri.port ?? (uri.scheme === "sips" || transport === "tls" ? 5061 : 5060);
  return { transport, address, port, ...(transport === "tls" && !isIP(host) ? { serverName: host } : {}) };
}

/**
 * A response goes back on the request's connection when it came on one; over UDP to the address it came
 * from (`received`) and the port in `rport`, else the Via's sent-by port.
 */
export function responseDestination(response: SipResponse, flow: Flow): Destination {
  if (flow.transport !== "udp") return { transport: flow.transport, address: flow.remote.address, port: flow.remote.port, connectionId: flow.connectionId };
  const top = response.via[0];
  if (!top) return { transport: "udp", ...flow.remote };
  const rport = top.params.get("rport");
  const port = rport ? Number(rport) : (top.port ?? 5060);
  return { transport: "udp", address: top.params.get("received") ?? top.host, port };
}
