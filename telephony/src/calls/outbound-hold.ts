import { recordCallEvent, systemCtx } from "@yixian/server/domain";
import type { Dialog, IncomingInvite } from "../sip/index.ts";
import type { Runtime } from "./runtime.ts";
import { holds, reanswer } from "./sdp.ts";

const SDP = "application/sdp";

/** Music on hold plays this many times over (stopped when the agent resumes). */
const MUSIC_REPEATS = 10_000;

/**
 * A re-INVITE on the agent's leg of an outbound call: answered with the media we gave the phone,
 * in the direction that answers theirs and keeping our DTLS role; the agent's hold gives the
 * customer music with the agent's audio blocked, resume takes both back. False when the dialog
 * is no outbound call's agent leg.
 */
export function outboundReInvited(rt: Runtime, dialog: Dialog, invite: IncomingInvite): boolean {
  const call = [...rt.outbound.values()].find((c) => c.deviceDialog === dialog);
  if (!call) return false;
  const offer = invite.request.body.toString("utf8");
  const current = dialog.localBody?.body.toString("utf8") ?? call.deviceSdp;
  if (!offer.includes("m=audio")) {
    invite.accept({ body: Buffer.from(current), contentType: SDP }).catch(() => undefined);
    return true;
  }
  // reanswer keeps the role opposite the phone's first answer: ours is the answer here, so give it ours flipped
  const ours = /^a=setup:(\w+)/m.exec(call.deviceSdp)?.[1];
  const answer = reanswer(current, ours ? `a=setup:${ours === "active" ? "passive" : "active"}` : "", offer);
  invite.accept({ body: Buffer.from(answer), contentType: SDP }).catch(() => undefined);
  const hold = holds(offer);
  const customer = call.trunkDialog?.id.remoteTag;
  if (call.state !== "bridged" || hold === call.held || !customer || !call.placed) return true;
  call.held = hold;
  const ctx = systemCtx(rt.deps, call.placed.tenantId);
  const callRecordId = call.placed.callRecordId;
  const moved = hold
    ? rt.media
        .block(call.sipCallId, call.deviceTag)
        .then(() => rt.media.play(call.sipCallId, customer, rt.prompts.holdMusic, MUSIC_REPEATS))
        .then(() => recordCallEvent(ctx, callRecordId, { type: "held" }))
    : rt.media
        .stopPlaying(call.sipCallId, customer)
        .then(() => rt.media.unblock(call.sipCallId, call.deviceTag))
        .then(() => recordCallEvent(ctx, callRecordId, { type: "resumed" }));
  void moved
    .catch((err: unknown) => rt.log.error({ err, callId: call.sipCallId }, hold ? "putting the customer on hold failed" : "taking the customer off hold failed"))
    .finally(() => rt.outboundChanged(call));
  return true;
}
