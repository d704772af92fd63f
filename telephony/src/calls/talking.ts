import { answerCall, DomainError, endCall, rateCall, recordCallEvent, systemCtx } from "@yixian/server/domain";
import type { Dialog, IncomingInvite, InviteResult } from "../sip/index.ts";
import { CALLER, type AgentLeg, type Call } from "./call.ts";
import { finishCall } from "./finish.ts";
import { askRating, playToCaller, promptFile, startMusic, stopPlaying } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";
import { holds, reanswer } from "./sdp.ts";

const SDP = "application/sdp";

function ended(rt: Runtime, call: Call, side: "caller" | "agent" | "system", agentId?: string, cause?: string): Promise<void> {
  const started = call.started;
  if (!started) return Promise.resolve();
  return endCall(rt.deps, { tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId, side, agentId, cause }).catch((err: unknown) =>
    rt.log.error({ err, callId: call.sipCallId }, "the call's end could not be stored"),
  );
}

const isOver = (call: Call): boolean => call.state === "ended";

function bye(rt: Runtime, dialog: Dialog | null | undefined): void {
  if (dialog && dialog.state !== "terminated") void rt.ua.bye(dialog).catch(() => undefined);
}

/** The caller hung up (or cancelled): whoever is ringing or talking is let go, the call ends as the caller's. */
export async function callerHungUp(rt: Runtime, call: Call): Promise<void> {
  if (call.state === "ended") return;
  const was = call.state;
  call.hungUp.abort();
  call.waiting.abort();
  // leaving a voicemail or booking a call-back: the IVR keeps what was left and ends the call
  if (call.leaving && call.ivr) return;
  for (const leg of call.legs.values()) {
    if (leg.state === "ringing") leg.outgoing.cancel();
    else if (leg.state !== "ended") {
      leg.state = "ended";
      bye(rt, leg.dialog);
    }
  }
  // after the agent hung up the call record has ended already (the rating is all that was left)
  if (was !== "after") await ended(rt, call, "caller");
  await finishCall(rt, call);
}

/** The agent hung up: the caller rates the call (when the number asks), then the caller's line is closed. */
async function agentHungUp(rt: Runtime, call: Call, leg: AgentLeg): Promise<void> {
  if (call.state !== "bridged" || call.bridged !== leg) return;
  leg.state = "ended";
  call.state = "after";
  call.bridged = null;
  await rt.media.block(call.sipCallId, leg.dialog?.id.remoteTag ?? "").catch(() => undefined);
  await stopPlaying(rt, call);
  await ended(rt, call, "agent", leg.agentId);
  rt.changed(call);
  const started = call.started;
  if (call.number.ivr.rating && started && !call.hungUp.signal.aborted) {
    const score = await askRating(rt, call);
    if (score !== null) {
      const rated = await rateCall(rt.deps, { tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId, score }).catch((err: unknown) => {
        rt.log.error({ err, callId: call.sipCallId }, "the caller's rating could not be stored");
        return false;
      });
      if (rated && !call.hungUp.signal.aborted) await playToCaller(rt, call, promptFile(rt, call, "thanks"), call.hungUp.signal).catch(() => undefined);
    }
  }
  // the caller may have hung up during the rating: then their hang-up finished the call
  if (isOver(call)) return;
  bye(rt, call.dialog);
  await finishCall(rt, call);
}

/**
 * The call cannot go on (`cause`): it ends as the system's, the caller hears the "sorry" prompt
 * (unless they hang up first, which then finishes the call), and the caller's line is closed.
 */
async function apologise(rt: Runtime, call: Call, cause: string): Promise<void> {
  call.state = "after";
  call.bridged = null;
  call.waiting.abort();
  await ended(rt, call, "system", undefined, cause);
  rt.changed(call);
  await stopPlaying(rt, call);
  if (!call.hungUp.signal.aborted) await playToCaller(rt, call, promptFile(rt, call, "sorry"), call.hungUp.signal).catch(() => undefined);
  if (isOver(call)) return;
  bye(rt, call.dialog);
  await finishCall(rt, call);
}

/**
 * An agent leg answered. The first answer for a live offer takes the call: the agent's media is
 * joined to the caller's at once but kept from them (a browser starts DTLS as soon as it has
 * answered, and rtpengine must know that answer by then or the handshake fails), the offer is
 * accepted (too late — expired or withdrawn — and the agent's phone is hung up while the caller
 * keeps the music), then the music stops, the agent is heard, and the other legs stop ringing.
 * Any later answer is hung up.
 */
export async function legAnswered(rt: Runtime, call: Call, leg: AgentLeg, result: InviteResult): Promise<void> {
  const dialog = result.dialog!;
  leg.dialog = dialog;
  leg.answer = result.response.body.toString("utf8");
  rt.calls.bindDialog(call, dialog, leg);
  if (call.state !== "waiting" || call.bridged || call.leaving || !call.started) {
    leg.state = "ended";
    bye(rt, dialog);
    return;
  }
  leg.state = "answered";
  call.bridged = leg;
  for (const other of call.legs.values()) if (other !== leg && other.state === "ringing") other.outgoing.cancel();
  const agentTag = dialog.id.remoteTag;
  try {
    await rt.media.answer({ callId: call.sipCallId, fromTag: CALLER, toTag: agentTag, sdp: leg.answer, to: "rtp", branch: leg.id });
    await rt.media.block(call.sipCallId, agentTag);
  } catch (err) {
    rt.log.error({ err, callId: call.sipCallId }, "the agent's media could not be joined to the caller's");
    leg.state = "ended";
    bye(rt, dialog);
    await apologise(rt, call, "media failed");
    return;
  }
  try {
    await answerCall(rt.deps, { tenantId: call.tenantId, agentId: leg.agentId, offerId: leg.offerId, callRecordId: call.started.callRecordId });
  } catch (err) {
    if (!(err instanceof DomainError)) rt.log.error({ err, callId: call.sipCallId }, "accepting the call's offer failed");
    leg.state = "ended";
    call.bridged = null;
    bye(rt, dialog);
    return;
  }
  if (isOver(call)) {
    // the caller left while the offer was being accepted
    leg.state = "ended";
    bye(rt, dialog);
    return;
  }
  call.waiting.abort();
  await stopPlaying(rt, call);
  await rt.media.unblock(call.sipCallId, agentTag).catch((err: unknown) => rt.log.error({ err, callId: call.sipCallId }, "the agent could not be heard by the caller"));
  leg.state = "bridged";
  call.state = "bridged";
  dialog.onTerminated = (by) => {
    if (by === "remote") void agentHungUp(rt, call, leg);
  };
  rt.changed(call);
}

/**
 * A re-INVITE on a leg of ours. The agent's hold (sendonly or inactive) gives the caller music
 * and keeps the agent's audio from them; resume takes both back. Either is answered with the
 * media we gave that phone before, in the direction that answers theirs. A re-INVITE from the
 * trunk (a session refresh) is answered with what the trunk has.
 */
export async function reInvited(rt: Runtime, dialog: Dialog, invite: IncomingInvite): Promise<void> {
  const found = rt.calls.ofDialog(dialog);
  const leg = found?.leg;
  const call = found?.call;
  if (!call || !leg) {
    if (dialog.localBody) invite.accept(dialog.localBody).catch(() => undefined);
    else invite.reject(488);
    return;
  }
  const offer = invite.request.body.toString("utf8");
  const current = dialog.localBody?.body.toString("utf8") ?? leg.sdp;
  if (!offer.includes("m=audio")) {
    invite.accept({ body: Buffer.from(current), contentType: SDP }).catch(() => undefined);
    return;
  }
  const answer = reanswer(current, leg.answer ?? "", offer);
  invite.accept({ body: Buffer.from(answer), contentType: SDP }).catch(() => undefined);
  const hold = holds(offer);
  if (call.state !== "bridged" || hold === call.held || !call.started) return;
  call.held = hold;
  const ctx = systemCtx(rt.deps, call.tenantId);
  const agentTag = dialog.id.remoteTag;
  try {
    if (hold) {
      await rt.media.block(call.sipCallId, agentTag);
      await startMusic(rt, call);
      await recordCallEvent(ctx, call.started.callRecordId, { type: "held" });
    } else {
      await stopPlaying(rt, call);
      await rt.media.unblock(call.sipCallId, agentTag);
      await recordCallEvent(ctx, call.started.callRecordId, { type: "resumed" });
    }
  } catch (err) {
    rt.log.error({ err, callId: call.sipCallId }, hold ? "putting the caller on hold failed" : "taking the caller off hold failed");
  }
  rt.changed(call);
}
