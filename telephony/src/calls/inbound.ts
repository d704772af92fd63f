import { endCall, startInboundCall } from "@yixian/server/domain";
import { MediaServerError } from "../media/index.ts";
import { getHeader, NoAckError, type IncomingInvite } from "../sip/index.ts";
import { admitTrunkCall } from "./admit.ts";
import { Call, CALLER } from "./call.ts";
import { callerIdOf } from "./caller-id.ts";
import { finishCall } from "./finish.ts";
import { answerWithIvr } from "./ivr-flow.ts";
import type { Runtime } from "./runtime.ts";
import { ivrAnswer } from "./sdp.ts";
import { callerHungUp } from "./talking.ts";

const SDP = "application/sdp";
/** The IVR is rtpengine's far party until an agent answers. */
const IVR = "ivr";

/**
 * A new call from a trunk (decision 0018): admitted (number and source), 180, media through
 * rtpengine (recorded from the first packet), a conversation and call record, 200 — and the
 * caller waits with prompts and music for routing's offer. Media that fails answers 503
 * (rtpengine silent) or 488 (SDP it cannot use) before anything is stored; a failure after that
 * ends what was stored, so nothing is left half-open.
 */
export async function takeTrunkCall(rt: Runtime, invite: IncomingInvite): Promise<void> {
  const request = invite.request;
  const source = invite.flow.remote.address;
  const admission = await admitTrunkCall(rt.deps, request, source, rt.trunkDigest);
  if (!admission.ok) {
    if (admission.status === 407) rt.log.debug({ source, callId: request.callId, reason: admission.reason }, "asked a trunk call for its digest");
    else rt.log.warn({ source, callId: request.callId, reason: admission.reason }, "refused a call");
    invite.reject(admission.status, admission.status === 407 ? { headers: admission.headers } : {});
    return;
  }
  const log = rt.log.child({ tenantId: admission.number.tenantId, callId: request.callId });
  if (rt.calls.get(request.callId)) {
    invite.reject(482);
    return;
  }
  const offer = request.body.toString("utf8");
  if (!/^application\/sdp/i.test(getHeader(request, "Content-Type") ?? "") || !offer.includes("m=audio")) {
    log.warn("refused a call without an audio offer");
    invite.reject(488);
    return;
  }
  invite.progress(180);
  const call = new Call(request.callId, invite, admission.number, offer, callerIdOf(request));
  rt.calls.add(call);
  let cancelled = false;
  invite.onCancel = () => {
    cancelled = true;
    call.hungUp.abort();
  };

  try {
    const toIvr = await rt.media.offer({ callId: call.sipCallId, fromTag: CALLER, sdp: offer, to: "rtp", record: true, label: call.number.number });
    call.callerAnswer = await rt.media.answer({ callId: call.sipCallId, fromTag: CALLER, toTag: IVR, sdp: ivrAnswer(toIvr), to: "rtp" });
  } catch (err) {
    rt.calls.remove(call);
    await rt.media.delete(call.sipCallId).catch(() => undefined);
    const refused = err instanceof MediaServerError && err.kind === "refused";
    log.warn({ err }, refused ? "the media server refused the call's SDP" : "the media server did not answer");
    invite.reject(refused ? 488 : 503);
    return;
  }

  try {
    call.started = await startInboundCall(rt.deps, {
      number: call.number,
      sipCallId: call.sipCallId,
      caller: call.caller.number,
      nodeId: rt.nodeId,
      onStart: (conversationId) => rt.calls.bindConversation(call, conversationId),
    });
    rt.calls.bindConversation(call, call.started.conversationId);
  } catch (err) {
    log.error({ err }, "the call could not be stored");
    rt.calls.remove(call);
    await rt.media.delete(call.sipCallId).catch(() => undefined);
    invite.reject(503);
    return;
  }

  if (cancelled) {
    await callerHungUp(rt, call);
    return;
  }
  const answered = invite.accept({ body: Buffer.from(call.callerAnswer), contentType: SDP });
  call.state = "waiting";
  rt.changed(call);
  call.ivr = answerWithIvr(rt, call, call.started);
  let acked: Awaited<typeof answered>;
  try {
    acked = await answered;
  } catch (err) {
    if (!(err instanceof NoAckError)) log.error({ err }, "answering the call failed");
    await endCall(rt.deps, { tenantId: call.tenantId, conversationId: call.started.conversationId, callRecordId: call.started.callRecordId, side: "system", cause: "no ACK" }).catch(() => undefined);
    await finishCall(rt, call);
    return;
  }
  call.dialog = acked.dialog;
  rt.calls.bindDialog(call, acked.dialog, null);
  if (!acked.ack || acked.dialog.state === "terminated") {
    await callerHungUp(rt, call);
    return;
  }
  acked.dialog.onTerminated = (by) => {
    if (by === "remote") void callerHungUp(rt, call);
  };
  call.markAnswered();
}
