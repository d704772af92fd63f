/** A dialog (RFC 3261 §12): its ids, sequence numbers, remote target and route set, and the requests it makes. */
import { newBranch } from "../build.ts";
import { getHeader, getHeaders, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from "../message.ts";
import { formatNameAddr, parseContact, parseNameAddr, tagOf, type NameAddr } from "../parser/name-addr.ts";
import type { Uri } from "../parser/uri.ts";
import type { Via } from "../parser/via.ts";
import type { Destination, Flow } from "../transport/types.ts";

export type DialogState = "early" | "confirmed" | "terminated";

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export const dialogKey = (id: DialogId): string => `${id.callId}|${id.localTag}|${id.remoteTag}`;

/** The dialog an incoming in-dialog request belongs to: its To tag is ours. */
export const dialogKeyOfRequest = (request: SipRequest): string =>
  dialogKey({ callId: request.callId, localTag: tagOf(request.to) ?? "", remoteTag: tagOf(request.from) ?? "" });

/** Contact's URI of a message (the remote target), if it has exactly one usable one. */
export function contactUri(message: SipMessage): Uri | undefined {
  const value = getHeader(message, "Contact");
  if (value === undefined) return undefined;
  const contact = parseContact(value);
  return contact === "*" ? undefined : contact.uri;
}

export interface DialogInit {
  id: DialogId;
  local: NameAddr;
  remote: NameAddr;
  localSeq: number;
  remoteSeq: number | undefined;
  remoteTarget: Uri;
  /** Route values in the order requests carry them. */
  routeSet: string[];
  /** The remote's flow when it is a connection (TCP, TLS, WebSocket): in-dialog requests go back on it, or at least over its transport. */
  flow?: Flow;
  role: "uac" | "uas";
}

export class Dialog {
  readonly id: DialogId;
  readonly role: "uac" | "uas";
  readonly local: NameAddr;
  readonly remote: NameAddr;
  localSeq: number;
  remoteSeq: number | undefined;
  remoteTarget: Uri;
  readonly routeSet: string[];
  flow: Flow | undefined;
  state: DialogState = "confirmed";
  /** Our last session description (offer or answer) and its type: a re-INVITE without a new one repeats it. */
  localBody: { body: Buffer; contentType: string } | undefined;
  /** The ACK we sent for the last 2xx to our INVITE, to send again if that 2xx comes again (§13.2.2.4). */
  lastAck: { seq: number; data: Buffer; destination: Destination } | undefined;
  /** For the B2BUA: called once when the dialog ends, with who ended it (and the BYE, if it was the remote). */
  onTerminated: ((by: "local" | "remote", request?: SipRequest) => void) | undefined;
  /** For the UA core: forget the dialog when it ends. */
  release: (() => void) | undefined;

  constructor(init: DialogInit) {
    this.id = init.id;
    this.role = init.role;
    this.local = init.local;
    this.remote = init.remote;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.flow = init.flow;
  }

  get key(): string {
    return dialogKey(this.id);
  }

  /** UAS side (§12.1.1): from the request and our 2xx; the route set is Record-Route as received. */
  static asUas(request: SipRequest, response: SipResponse, flow: Flow): Dialog {
    return new Dialog({
      id: { callId: request.callId, localTag: tagOf(response.to) ?? "", remoteTag: tagOf(request.from) ?? "" },
      local: response.to,
      remote: request.from,
      localSeq: 0,
      remoteSeq: request.cseq.seq,
      remoteTarget: contactUri(request) ?? request.uri,
      routeSet: getHeaders(request, "Record-Route"),
      flow: flow.transport === "udp" ? undefined : flow,
      role: "uas",
    });
  }

  /** UAC side (§12.1.2): from our request and the 2xx; the route set is Record-Route reversed. */
  static asUac(request: SipRequest, response: SipResponse, flow: Flow | undefined): Dialog {
    return new Dialog({
      id: { callId: request.callId, localTag: tagOf(request.from) ?? "", remoteTag: tagOf(response.to) ?? "" },
      local: request.from,
      remote: response.to,
      localSeq: request.cseq.seq,
      remoteSeq: undefined,
      remoteTarget: contactUri(response) ?? request.uri,
      routeSet: getHeaders(response, "Record-Route").reverse(),
      flow: flow && flow.transport !== "udp" ? flow : undefined,
      role: "uac",
    });
  }

  /**
   * A new request in the dialog (§12.2.1.1): the next CSeq (or `seq`, for ACK and CANCEL), the remote
   * target as Request-URI, the route set as Route (loose routing; a strict first route goes to the URI).
   */
  createRequest(method: string, via: Omit<Via, "params">, options: { headers?: SipHeader[]; body?: Buffer; seq?: number } = {}): SipRequest {
    const seq = options.seq ?? ++this.localSeq;
    let uri = this.remoteTarget;
    let routes = this.routeSet;
    const first = routes[0];
    if (first !== undefined) {
      const firstUri = parseNameAddr(first, "Route").uri;
      if (firstUri.kind === "sip" && !firstUri.params.has("lr")) {
        uri = firstUri;
        routes = [...routes.slice(1), formatNameAddr({ uri: this.remoteTarget, params: new Map() })];
      }
    }
    return {
      kind: "request",
      method,
      uri,
      via: [{ ...via, params: new Map<string, string | null>([["branch", newBranch()], ["rport", null]]) }],
      from: this.local,
      to: this.remote,
      callId: this.id.callId,
      cseq: { seq, method },
      headers: [{ name: "Max-Forwards", value: "70" }, ...routes.map((value) => ({ name: "Route", value })), ...(options.headers ?? [])],
      body: options.body ?? Buffer.alloc(0),
    };
  }

  /**
   * Checks an incoming in-dialog request's CSeq (§12.2.2): false for one lower than the last (answer 500).
   * A target refresh (re-INVITE, UPDATE) with a Contact moves the remote target.
   */
  acceptRemote(request: SipRequest): boolean {
    if (this.remoteSeq !== undefined && request.cseq.seq < this.remoteSeq && request.method !== "ACK") return false;
    if (request.method !== "ACK" && request.method !== "CANCEL") this.remoteSeq = request.cseq.seq;
    if (request.method === "INVITE" || request.method === "UPDATE") this.refreshTarget(request);
    return true;
  }

  refreshTarget(message: SipMessage): void {
    const target = contactUri(message);
    if (target) this.remoteTarget = target;
  }

  terminate(by: "local" | "remote", request?: SipRequest): void {
    if (this.state === "terminated") return;
    this.state = "terminated";
    this.release?.();
    this.onTerminated?.(by, request);
  }
}
