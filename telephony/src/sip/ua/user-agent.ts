/**
 * The UA core (RFC 3261 §8, §12–§15) as a B2BUA needs it: incoming INVITEs handed over with their
 * transaction, outgoing INVITEs, BYE and re-INVITE in dialogs, CANCEL → 487, 481 for what matches no
 * dialog or transaction, OPTIONS answered (keep-alives), REGISTER to a registrar if one is given.
 */
import { createRequest, createResponse, newBranch, newCallId, newTag } from "../build.ts";
import { type Dialog, dialogKey, dialogKeyOfRequest } from "../dialog/dialog.ts";
import { getHeader, type SipHeader, type SipRequest, type SipResponse } from "../message.ts";
import { formatNameAddr, parseNameAddr, tagOf, type NameAddr } from "../parser/name-addr.ts";
import { isSips, sipUri, type Uri } from "../parser/uri.ts";
import type { ClientTransactionUser } from "../transaction/client-non-invite.ts";
import type { AnyServerTransaction, TransactionLayer, TransactionUser } from "../transaction/layer.ts";
import type { ServerInviteTransaction } from "../transaction/server-invite.ts";
import type { ServerNonInviteTransaction } from "../transaction/server-non-invite.ts";
import { nextHopUri, uriDestination } from "../transport/destination.ts";
import type { Destination, Flow, TransportName } from "../transport/types.ts";
import { bodyHeaders, madeUpResponse, type Body, type UaCore } from "./core.ts";
import { IncomingInvite } from "./incoming-invite.ts";
import { OutgoingInvite } from "./outgoing-invite.ts";

export const ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REGISTER";

/** Takes REGISTER requests (the registrar in ../registrar/). */
export interface RegisterHandler {
  register(request: SipRequest, transaction: ServerNonInviteTransaction): void;
}

export interface UserAgentOptions {
  /** The user part of our Contact and default From. */
  user?: string;
  /** Written in User-Agent and Server. */
  product?: string;
  /** A new call. Without a handler calls are refused with 480. */
  onInvite?: (invite: IncomingInvite) => void;
  /** A re-INVITE (hold, resume, a new offer). Without one it is answered with our last session description. */
  onReInvite?: (dialog: Dialog, invite: IncomingInvite) => void;
  /** Other requests in a dialog (INFO, UPDATE, MESSAGE, …) after BYE and re-INVITE are dealt with. Default: 200 for INFO, 501 otherwise. */
  onDialogRequest?: (dialog: Dialog, request: SipRequest, transaction: AnyServerTransaction) => void;
  registrar?: RegisterHandler;
}

export interface RequestOptions {
  uri: Uri;
  body?: Body;
  /** Default `<sip:{user}@{our host}>`; a tag is added. */
  from?: NameAddr;
  /** Default: the Request-URI. */
  to?: NameAddr;
  /** Default: ours for the transport. */
  contact?: NameAddr;
  callId?: string;
  seq?: number;
  headers?: SipHeader[];
  /** Default: from the Request-URI (or the first Route header given). */
  destination?: Destination;
  /** INVITE: answers one digest challenge (401/407) from a trunk with these. */
  credentials?: { username: string; password: string };
}

export class UserAgent implements TransactionUser, UaCore {
  private readonly dialogs = new Map<string, Dialog>();
  /** For CANCEL: an INVITE's transaction → its handle; weak, so both go once the layer forgets the transaction. */
  private readonly invites = new WeakMap<ServerInviteTransaction, IncomingInvite>();
  private readonly ackWaiters = new Map<string, (ack: SipRequest | undefined) => void>();

  constructor(
    readonly layer: TransactionLayer,
    private readonly options: UserAgentOptions = {},
  ) {
    layer.user = this;
  }

  // ——— addresses and dialogs (UaCore) ———

  viaFor(transport: TransportName) {
    const t = this.layer.transports.get(transport);
    return { protocol: "SIP/2.0", transport: transport.toUpperCase(), host: t.via.host, port: t.via.port };
  }

  contactFor(transport: TransportName, sips = false): NameAddr {
    const via = this.layer.transports.get(transport).via;
    const secure = sips && transport === "tls";
    const params: Record<string, string> = transport === "udp" || secure ? {} : { transport };
    return { uri: sipUri(via.host, { user: this.options.user ?? "yixian", port: via.port, params, ...(secure ? { scheme: "sips" as const } : {}) }), params: new Map() };
  }

  async destinationFor(request: SipRequest, dialog?: Dialog): Promise<Destination> {
    const flow = dialog?.flow;
    if (flow?.connectionId) return { transport: flow.transport, address: flow.remote.address, port: flow.remote.port, connectionId: flow.connectionId };
    // a target that names no transport is reached the way the dialog runs (a TLS trunk's Contact often names none)
    return uriDestination(nextHopUri(request), flow?.transport);
  }

  addDialog(dialog: Dialog): void {
    this.dialogs.set(dialog.key, dialog);
    dialog.release = () => this.dialogs.delete(dialog.key);
  }

  dialog(key: string): Dialog | undefined {
    return this.dialogs.get(key);
  }

  get dialogCount(): number {
    return this.dialogs.size;
  }

  awaitAck(dialog: Dialog, seq: number, arrived: (ack: SipRequest | undefined) => void): () => void {
    const key = `${dialog.key}|${seq}`;
    this.ackWaiters.set(key, arrived);
    return () => this.ackWaiters.delete(key);
  }

  requestInDialog(dialog: Dialog, method: string, options: { headers?: SipHeader[]; body?: Buffer } = {}): Promise<SipResponse> {
    const transport = dialog.flow?.transport ?? "udp";
    const request = dialog.createRequest(method, this.viaFor(transport), options);
    return this.send(request, dialog);
  }

  private async send(request: SipRequest, dialog?: Dialog, to?: Destination): Promise<SipResponse> {
    let destination: Destination;
    try {
      destination = to ?? (await this.destinationFor(request, dialog));
    } catch {
      return madeUpResponse(request, 503);
    }
    return new Promise<SipResponse>((resolve) => {
      const tu: ClientTransactionUser = {
        response: (response) => response.status >= 200 && resolve(response),
        timeout: () => resolve(madeUpResponse(request, 408)),
        transportError: (error) => resolve(madeUpResponse(request, 503, error)),
      };
      this.layer.sendRequest(request, destination, tu);
    });
  }

  // ——— what a B2BUA calls ———

  /** A request outside a dialog, ready to send, and where it goes. */
  async newRequest(method: string, options: RequestOptions): Promise<{ request: SipRequest; destination: Destination }> {
    const route = options.headers?.find((h) => h.name === "Route")?.value;
    const destination = options.destination ?? (await uriDestination(route === undefined ? options.uri : parseNameAddr(route, "Route").uri));
    const via = this.viaFor(destination.transport);
    const from = options.from ?? { uri: sipUri(via.host, { user: this.options.user ?? "yixian" }), params: new Map() };
    const contact = method === "INVITE" || method === "REGISTER" ? [{ name: "Contact", value: formatNameAddr(options.contact ?? this.contactFor(destination.transport, isSips(options.uri))) }] : [];
    const request = createRequest({
      method,
      uri: options.uri,
      via: { ...via, params: new Map<string, string | null>([["branch", newBranch()], ["rport", null]]) },
      from: { ...from, params: new Map([...from.params, ["tag", newTag()]]) },
      to: options.to ?? { uri: options.uri, params: new Map() },
      callId: options.callId ?? newCallId(),
      seq: options.seq ?? 1,
      headers: [...contact, ...(method === "INVITE" ? [{ name: "Allow", value: ALLOW }] : []), ...bodyHeaders(options.body), ...this.productHeader("User-Agent"), ...(options.headers ?? [])],
      body: options.body?.body,
    });
    return { request, destination };
  }

  /** A request outside a dialog (OPTIONS ping, REGISTER, MESSAGE); resolves with its final response. */
  async sendRequest(method: string, options: RequestOptions): Promise<SipResponse> {
    const { request, destination } = await this.newRequest(method, options);
    return this.send(request, undefined, destination);
  }

  /** Sends a new INVITE; watch `onProvisional`, await `result`, or `cancel()`. */
  async invite(options: RequestOptions): Promise<OutgoingInvite> {
    const { request, destination } = await this.newRequest("INVITE", options);
    const outgoing = new OutgoingInvite(this, request, destination, undefined, options.credentials);
    outgoing.start();
    return outgoing;
  }

  /** Sends a request built elsewhere (a REGISTER answering a challenge) in a new client transaction. */
  resend(request: SipRequest, destination: Destination): Promise<SipResponse> {
    return this.send(request, undefined, destination);
  }

  /** Ends a dialog with BYE; resolves with the BYE's final response. */
  async bye(dialog: Dialog, headers: SipHeader[] = []): Promise<SipResponse> {
    dialog.terminate("local");
    return this.requestInDialog(dialog, "BYE", { headers });
  }

  /** A re-INVITE in a dialog (hold, resume, a new offer): resolves with the final response, ACKed if 2xx. */
  async reInvite(dialog: Dialog, body: Body, headers: SipHeader[] = []): Promise<SipResponse> {
    const transport = dialog.flow?.transport ?? "udp";
    const request = dialog.createRequest("INVITE", this.viaFor(transport), {
      headers: [{ name: "Contact", value: formatNameAddr(this.contactFor(transport, isSips(dialog.remoteTarget))) }, ...bodyHeaders(body), ...headers],
      body: body.body,
    });
    dialog.localBody = body;
    const outgoing = new OutgoingInvite(this, request, await this.destinationFor(request, dialog), dialog);
    outgoing.start();
    return (await outgoing.result).response;
  }

  // ——— what the transaction layer hands up (TransactionUser) ———

  request(request: SipRequest, transaction: AnyServerTransaction): void {
    const reply = (status: number, headers: SipHeader[] = []) =>
      transaction.respond(createResponse(request, status, { toTag: tagOf(request.to) ?? newTag(), headers }));
    const require = getHeader(request, "Require");
    if (require !== undefined) {
      reply(420, [{ name: "Unsupported", value: require }]);
      return;
    }
    if (tagOf(request.to) !== undefined) {
      this.inDialog(request, transaction, reply);
      return;
    }
    switch (request.method) {
      case "INVITE": {
        const invite = new IncomingInvite(this, request, transaction as ServerInviteTransaction);
        this.track(invite);
        if (this.options.onInvite) this.options.onInvite(invite);
        else invite.reject(480);
        return;
      }
      case "OPTIONS":
        reply(200, [{ name: "Allow", value: ALLOW }, { name: "Accept", value: "application/sdp" }, ...this.productHeader("Server")]);
        return;
      case "REGISTER":
        if (this.options.registrar) this.options.registrar.register(request, transaction as ServerNonInviteTransaction);
        else reply(405, [{ name: "Allow", value: ALLOW }]);
        return;
      case "BYE":
        reply(481);
        return;
      default:
        reply(405, [{ name: "Allow", value: ALLOW }]);
    }
  }

  private inDialog(request: SipRequest, transaction: AnyServerTransaction, reply: (status: number, headers?: SipHeader[]) => void): void {
    const dialog = this.dialogs.get(dialogKeyOfRequest(request));
    if (!dialog) {
      reply(481);
      return;
    }
    if (!dialog.acceptRemote(request)) {
      reply(500, [{ name: "Retry-After", value: "1" }]);
      return;
    }
    if (request.method === "BYE") {
      reply(200);
      // a BYE before the ACK of our 2xx (the ACK was lost): stop sending the 2xx
      for (const [key, waiter] of this.ackWaiters) {
        if (!key.startsWith(`${dialog.key}|`)) continue;
        this.ackWaiters.delete(key);
        waiter(undefined);
      }
      dialog.terminate("remote", request);
      return;
    }
    if (request.method === "INVITE") {
      const invite = new IncomingInvite(this, request, transaction as ServerInviteTransaction, dialog);
      this.track(invite);
      if (this.options.onReInvite) this.options.onReInvite(dialog, invite);
      else if (dialog.localBody) invite.accept(dialog.localBody).catch(() => undefined);
      else invite.reject(488);
      return;
    }
    if (this.options.onDialogRequest) this.options.onDialogRequest(dialog, request, transaction);
    else reply(request.method === "INFO" || request.method === "OPTIONS" ? 200 : 501);
  }

  private track(invite: IncomingInvite): void {
    this.invites.set(invite.transaction, invite);
  }

  cancel(request: SipRequest, transaction: ServerNonInviteTransaction, inviteTransaction: ServerInviteTransaction | undefined): void {
    const invite = inviteTransaction && this.invites.get(inviteTransaction);
    if (!invite) {
      transaction.respond(createResponse(request, 481, { toTag: newTag() }));
      return;
    }
    transaction.respond(createResponse(request, 200, { toTag: tagOf(request.to) ?? newTag() }));
    invite.cancelled();
  }

  ack(request: SipRequest, _flow: Flow): void {
    const key = `${dialogKeyOfRequest(request)}|${request.cseq.seq}`;
    const waiter = this.ackWaiters.get(key);
    if (!waiter) return;
    this.ackWaiters.delete(key);
    waiter(request);
  }

  strayInviteSuccess(response: SipResponse, _flow: Flow): void {
    const dialog = this.dialogs.get(dialogKey({ callId: response.callId, localTag: tagOf(response.from) ?? "", remoteTag: tagOf(response.to) ?? "" }));
    const ack = dialog?.lastAck;
    if (ack && ack.seq === response.cseq.seq) this.layer.transports.send(ack.data, ack.destination).catch(() => undefined);
  }

  private productHeader(name: "User-Agent" | "Server"): SipHeader[] {
    return this.options.product ? [{ name, value: this.options.product }] : [];
  }
}
