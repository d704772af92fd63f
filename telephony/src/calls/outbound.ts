import { OUTBOUND_REFUSAL_HEADER, ZId, type CallDisposition, type ErrorCode } from "@yixian/contracts";
import { DomainError, endCall, placeOutboundCall, recordCallAnswered, recordCallEvent, systemCtx, type PlacedCall } from "@yixian/server/domain";
import { MediaServerError } from "../media/index.ts";
import { getHeader, newCallId, sipUri, tagOf, unescapeUri, type Dialog, type IncomingInvite, type InviteResult, type SipResponse } from "../sip/index.ts";
import { dialledNumber } from "./admit.ts";
import { keepPcapRecording } from "./finish.ts";
import { OutboundCall } from "./outbound-call.ts";
import type { Runtime } from "./runtime.ts";
import { audioPort } from "./sdp.ts";

const SDP = "application/sdp";
/** An agent's SIP user: `<tenant slug>.<extension>` (a slug has a letter; a number never does). */
const AGENT_USER = /^(?=[^.]*[a-z])[a-z0-9-]+\.\d+$/i;

/**
 * Whether a new INVITE comes from an agent's phone rather than a trunk: over WebSocket (only the
 * console's softphone connects so), or from an agent's SIP user. Either way it must then pass
 * digest; a trunk that forged an agent's From gets a challenge it cannot answer.
 */
export function fromAgentPhone(invite: IncomingInvite): boolean {
  if (invite.flow.transport === "ws") return true;
  const uri = invite.request.from.uri;
  return uri.kind === "sip" && uri.user !== undefined && AGENT_USER.test(unescapeUri(uri.user));
}

/** The SIP answer to each refusal of the domain; the code goes in X-Yixian-Refusal for the console. */
const REFUSAL_STATUS: Partial<Record<ErrorCode, number>> = { INVALID_PHONE: 484, NO_OUTBOUND_TRUNK: 503, NOT_FOUND: 404 };

function refuse(invite: IncomingInvite, status: number, code: ErrorCode, reason: string): void {
  invite.reject(status, { reason: reason.replace(/[\r\n]/g, " ").slice(0, 100), headers: [{ name: OUTBOUND_REFUSAL_HEADER, value: code }] });
}

/**
 * Digest of the phone's INVITE, as a proxy asks (407, RFC 3261 §22.3), against the same passwords
 * the registrar takes: the desk phone's, or a live session's softphone password. Wrong credentials
 * are refused (403), not asked for again. The From must be the user who answered.
 */
async function authenticate(rt: Runtime, invite: IncomingInvite): Promise<{ username: string; credential: string } | null> {
  const request = invite.request;
  const result = await rt.authenticator.verify(request, "Proxy-Authorization");
  if (!result.ok) {
    if (result.stale || getHeader(request, "Proxy-Authorization") === undefined) invite.reject(407, { headers: rt.authenticator.challenge(result.stale, "Proxy-Authenticate") });
    else refuse(invite, 403, "FORBIDDEN", "Wrong credentials");
    return null;
  }
  const from = request.from.uri;
  if (from.kind !== "sip" || unescapeUri(from.user ?? "") !== result.username) {
    refuse(invite, 403, "FORBIDDEN", "Not your address");
    return null;
  }
  return { username: result.username, credential: result.credential ?? "device" };
}

/** What a final failure of the trunk leg means: the CDR's disposition and cause, and what the phone is told. */
function farEndOutcome(response: SipResponse | undefined): { disposition: CallDisposition; cause: string; status: number } {
  if (!response) return { disposition: "failed", cause: "unreachable (no trunk host answered)", status: 503 };
  const status = response.status;
  const said = `${status} ${response.reason}`.trim();
  if (status === 486 || status === 600) return { disposition: "missed", cause: `busy (${said})`, status: 486 };
  if (status === 408 || status === 480) return { disposition: "missed", cause: `no answer (${said})`, status: 480 };
  if (status === 603) return { disposition: "missed", cause: `declined (${said})`, status: 603 };
  if (status === 404 || status === 484 || status === 604) return { disposition: "failed", cause: `not found (${said})`, status };
  // the trunk's own challenge we could not answer is not the phone's to answer
  if (status === 401 || status === 407) return { disposition: "failed", cause: `the trunk refused our credentials (${said})`, status: 503 };
  return { disposition: "failed", cause: `unreachable (${said})`, status: status >= 500 ? status : 503 };
}

/** Where a trunk host ("198.51.100.10:5060", "[2001:db8::1]", "sip.example.com") is. */
function hostPort(host: string): { host: string; port?: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  return m?.[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m?.[1] ?? host };
}

async function ended(rt: Runtime, call: OutboundCall, side: "caller" | "agent" | "system", end: { disposition?: CallDisposition; cause?: string } = {}): Promise<void> {
  const placed = call.placed;
  if (!placed || call.recordEnded) return;
  call.recordEnded = true;
  await endCall(rt.deps, { tenantId: placed.tenantId, conversationId: placed.conversationId, callRecordId: placed.callRecordId, side, agentId: placed.agentId, ...end }).catch((err: unknown) =>
    rt.log.error({ err, callId: call.sipCallId }, "the call's end could not be stored"),
  );
}

function bye(rt: Runtime, dialog: Dialog | null): void {
  if (dialog && dialog.state !== "terminated") void rt.ua.bye(dialog).catch(() => undefined);
}

/** The call is over on both legs: media deleted (which completes the recording), the recording kept, the node forgets it. */
async function finish(rt: Runtime, call: OutboundCall): Promise<void> {
  if (call.state === "ended") return;
  const talked = call.state === "bridged";
  call.state = "ended";
  rt.outbound.delete(call.sipCallId);
  rt.outboundChanged(call);
  const placed = call.placed;
  try {
    await rt.media.delete(call.sipCallId);
    if (talked && placed) {
      const legs = [
        { name: "customer", port: audioPort(call.trunkSdp) },
        { name: "agent", port: audioPort(call.deviceSdp) },
      ].flatMap((l) => (l.port ? [{ name: l.name, port: l.port }] : []));
      call.recordingId = await keepPcapRecording(rt, { sipCallId: call.sipCallId, tenantId: placed.tenantId, conversationId: placed.conversationId, callRecordId: placed.callRecordId, legs, number: placed.to });
    }
  } catch (err) {
    rt.log.error({ err, callId: call.sipCallId }, "the call's media or recording could not be finished");
  }
  call.done();
  rt.outboundChanged(call);
}

/** One side hung up a bridged call: the other side is let go, the record ends as that side's. */
async function hungUp(rt: Runtime, call: OutboundCall, side: "caller" | "agent"): Promise<void> {
  if (call.state === "ended") return;
  bye(rt, side === "agent" ? call.trunkDialog : call.deviceDialog);
  await ended(rt, call, side);
  await finish(rt, call);
}

/** The INVITE to the trunk: its hosts in order, the next one after a timeout or an unreachable host. */
async function inviteTrunk(rt: Runtime, call: OutboundCall, placed: PlacedCall): Promise<InviteResult | null> {
  let last: InviteResult | null = null;
  const transport: Record<string, string> = placed.trunk.transport === "udp" ? {} : { transport: placed.trunk.transport };
  for (const entry of placed.trunk.hosts) {
    if (call.cancelled) break;
    const { host, port } = hostPort(entry);
    const uri = sipUri(host, { user: placed.to, ...(port ? { port } : {}), params: transport });
    const identity = placed.from ? `<sip:${placed.from}@${host}>` : null;
    try {
      const outgoing = await rt.ua.invite({
        uri,
        callId: call.sipCallId,
        from: placed.from ? { uri: sipUri(host, { user: placed.from }), params: new Map() } : { uri: sipUri("anonymous.invalid", { user: "anonymous" }), params: new Map(), displayName: "Anonymous" },
        to: { uri, params: new Map() },
        body: { body: Buffer.from(call.trunkSdp), contentType: SDP },
        headers: identity ? [{ name: "P-Asserted-Identity", value: identity }] : [{ name: "Privacy", value: "id" }],
        ...(placed.trunk.credentials ? { credentials: placed.trunk.credentials } : {}),
      });
      call.trunk = outgoing;
      outgoing.onProvisional = (response) => void farEndRinging(rt, call, response);
      if (call.cancelled) outgoing.cancel();
      last = await outgoing.result;
    } catch (err) {
      rt.log.warn({ err, callId: call.sipCallId, host: entry }, "the trunk host could not be reached");
      last = null;
    }
    const status = last?.response.status ?? 503;
    if (status !== 408 && status !== 503) break;
  }
  return last;
}

/**
 * The far end's early media (183 Session Progress with SDP): joined through rtpengine and passed
 * to the agent's phone in a 183 of ours, so the agent hears the carrier's ring-back tone or its
 * "the number you dialled is switched off" before any answer. Whether it was passed on.
 */
async function earlyMedia(rt: Runtime, call: OutboundCall, response: SipResponse): Promise<boolean> {
  const toTag = response.to.params.get("tag");
  if (response.status !== 183 || call.earlyMedia || !toTag || !response.body.toString("utf8").includes("m=audio")) return false;
  try {
    const sdp = await rt.media.answer({ callId: call.sipCallId, fromTag: call.deviceTag, toTag, sdp: response.body.toString("utf8"), to: call.deviceProfile });
    if (call.state !== "setup" && call.state !== "ringing") return false;
    call.deviceSdp = sdp;
    call.earlyMedia = true;
    call.device.progress(183, { body: { body: Buffer.from(sdp), contentType: SDP } });
    return true;
  } catch (err) {
    rt.log.warn({ err, callId: call.sipCallId }, "the far end's early media could not be joined to the agent's phone");
    return false;
  }
}

/** The far end rings (180, or 183 with early media): the agent's phone hears that it does, the CDR when. */
async function farEndRinging(rt: Runtime, call: OutboundCall, response: SipResponse): Promise<void> {
  if (response.status < 180 || (call.state !== "setup" && call.state !== "ringing") || !call.placed) return;
  const early = await earlyMedia(rt, call, response);
  if (call.state !== "setup") return;
  call.state = "ringing";
  if (!early) call.device.progress(180);
  rt.outboundChanged(call);
  await recordCallEvent(systemCtx(rt.deps, call.placed.tenantId), call.placed.callRecordId, { type: "ringing", agentId: call.placed.agentId }).catch((err: unknown) =>
    rt.log.warn({ err, callId: call.sipCallId }, "the call's ringing could not be stored"),
  );
}

/** The far end answered: its media joined to the agent's, the agent's phone answered, the CDR answered. */
async function farEndAnswered(rt: Runtime, call: OutboundCall, placed: PlacedCall, result: InviteResult): Promise<void> {
  const dialog = result.dialog!;
  call.trunkDialog = dialog;
  dialog.onTerminated = (by) => {
    if (by === "remote") void hungUp(rt, call, "caller");
  };
  if (call.cancelled || call.state === "ended") {
    // the agent gave up as the far end answered: the trunk leg has been (or is) hung up
    bye(rt, dialog);
    await ended(rt, call, "agent", { cause: "cancelled by the agent" });
    await finish(rt, call);
    return;
  }
  try {
    call.deviceSdp = await rt.media.answer({ callId: call.sipCallId, fromTag: call.deviceTag, toTag: dialog.id.remoteTag, sdp: result.response.body.toString("utf8"), to: call.deviceProfile });
  } catch (err) {
    rt.log.error({ err, callId: call.sipCallId }, "the far end's media could not be joined to the agent's");
    bye(rt, dialog);
    call.device.reject(err instanceof MediaServerError && err.kind === "refused" ? 488 : 503);
    await ended(rt, call, "system", { disposition: "failed", cause: "media failed" });
    await finish(rt, call);
    return;
  }
  const accepted = call.device.accept({ body: Buffer.from(call.deviceSdp), contentType: SDP });
  call.state = "bridged";
  rt.outboundChanged(call);
  await recordCallAnswered(systemCtx(rt.deps, placed.tenantId), placed.callRecordId, placed.agentId).catch((err: unknown) =>
    rt.log.error({ err, callId: call.sipCallId }, "the call's answer could not be stored"),
  );
  let acked: Awaited<typeof accepted>;
  try {
    acked = await accepted;
  } catch {
    bye(rt, dialog);
    await ended(rt, call, "system", { cause: "no ACK from the agent's phone" });
    await finish(rt, call);
    return;
  }
  call.deviceDialog = acked.dialog;
  if (call.state !== "bridged" || !acked.ack || acked.dialog.state === "terminated") {
    // the customer left before the agent's ACK (hang up the phone), or the agent did (hang up the customer)
    if (call.state === "bridged") await hungUp(rt, call, "agent");
    else bye(rt, acked.dialog);
    return;
  }
  acked.dialog.onTerminated = (by) => {
    if (by === "remote") void hungUp(rt, call, "agent");
  };
}

/**
 * An agent's phone dials a number (issue 11, step 9): digest as a proxy asks it, then the domain
 * says whether this agent may call that number and stores the conversation and CDR; the phone's
 * offer goes through rtpengine (recorded) to the tenant's trunk with its caller-ID and, when the
 * trunk has them, credentials for the provider's challenge. The far end's answer is bridged to
 * the phone; its refusal (busy, not found, unreachable) is the CDR's disposition and is passed on
 * to the phone, which shows why. A refusal of ours carries X-Yixian-Refusal with the error code.
 */
export async function placeAgentCall(rt: Runtime, invite: IncomingInvite): Promise<void> {
  const request = invite.request;
  const caller = await authenticate(rt, invite);
  if (!caller) return;
  const offer = request.body.toString("utf8");
  if (!/^application\/sdp/i.test(getHeader(request, "Content-Type") ?? "") || !offer.includes("m=audio")) {
    invite.reject(488);
    return;
  }
  const dialled = dialledNumber(request);
  if (!dialled) {
    refuse(invite, 484, "INVALID_PHONE", "No number");
    return;
  }
  const ticket = ZId.safeParse(getHeader(request, "X-Yixian-Ticket")?.trim());
  const transport = invite.flow.transport;
  const call = new OutboundCall(newCallId(), invite, tagOf(request.from) ?? "", transport === "ws" ? "webrtc" : "rtp");
  invite.onCancel = () => {
    call.cancelled = true;
    call.trunk?.cancel();
  };
  let placed: PlacedCall;
  try {
    placed = await placeOutboundCall(rt.deps, {
      ...caller,
      dialled,
      ticketId: ticket.success ? ticket.data : null,
      sipCallId: call.sipCallId,
      deviceCallId: request.callId,
      nodeId: rt.nodeId,
    });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    rt.log.info({ callId: request.callId, user: caller.username, code: err.code, reason: err.message }, "refused an agent's call");
    refuse(invite, REFUSAL_STATUS[err.code] ?? 403, err.code, err.message);
    return;
  }
  call.placed = placed;
  rt.outbound.set(call.sipCallId, call);
  rt.outboundChanged(call);
  const log = rt.log.child({ tenantId: placed.tenantId, callId: call.sipCallId, agentId: placed.agentId });
  if (call.cancelled) {
    await ended(rt, call, "agent", { cause: "cancelled by the agent" });
    await finish(rt, call);
    return;
  }
  try {
    call.trunkSdp = await rt.media.offer({ callId: call.sipCallId, fromTag: call.deviceTag, sdp: offer, to: "rtp", record: true, label: placed.to });
  } catch (err) {
    const refused = err instanceof MediaServerError && err.kind === "refused";
    log.warn({ err }, refused ? "the media server refused the phone's SDP" : "the media server did not answer");
    invite.reject(refused ? 488 : 503);
    await ended(rt, call, "system", { disposition: "failed", cause: refused ? "the phone's media was refused" : "media server unavailable" });
    await finish(rt, call);
    return;
  }
  const result = await inviteTrunk(rt, call, placed);
  const response = result?.response;
  if (result && response && response.status >= 200 && response.status < 300 && result.dialog) {
    await farEndAnswered(rt, call, placed, result);
    return;
  }
  if (call.cancelled) {
    // the phone's CANCEL was answered 487 by the stack; the trunk leg was cancelled with it
    await ended(rt, call, "agent", { cause: "cancelled by the agent" });
  } else {
    const outcome = farEndOutcome(response);
    log.info({ status: response?.status }, "the far end did not answer the agent's call");
    invite.reject(outcome.status, response ? { reason: response.reason } : {});
    await ended(rt, call, "system", { disposition: outcome.disposition, cause: outcome.cause });
  }
  await finish(rt, call);
}

/** Ends every outbound call on this node (media lost, or the node stopping): both legs let go, the records end failed. */
export async function failOutboundCalls(rt: Runtime, cause: string): Promise<void> {
  await Promise.all(
    [...rt.outbound.values()].map(async (call) => {
      call.cancelled = true;
      call.trunk?.cancel();
      call.device.reject(503);
      bye(rt, call.trunkDialog);
      bye(rt, call.deviceDialog);
      await ended(rt, call, "system", { disposition: "failed", cause });
      await finish(rt, call);
    }),
  );
}
