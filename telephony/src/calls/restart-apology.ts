import { CALLER, type Call } from "./call.ts";
import { pause, playToCaller, promptFile } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";
import { ivrAnswer } from "./sdp.ts";

const SDP = "application/sdp";
/** Our side of the caller's new media: the IVR, as when the call was answered. */
const IVR = "ivr";
/** How long the caller's phone may take to answer the re-INVITE before we just hang up. */
const REINVITE_MS = 4000;
/** How long the IVR may take to notice that the wait is over. */
const IVR_STOP_MS = 2000;

/**
 * The media server restarted under a call that was up: its media is gone, but the caller should
 * not just hear silence and a click. A new media session is made for the caller alone (our offer
 * in a re-INVITE, their answer joined through the restarted rtpengine), and the "sorry" prompt
 * plays on it. Resolves once played, or at once when the caller's phone does not take the new
 * offer in time or hangs up; never rejects. The caller is hung up by whoever calls this.
 */
export async function apologiseOnNewMedia(rt: Runtime, call: Call): Promise<void> {
  const dialog = call.dialog;
  if (!dialog || dialog.state === "terminated" || !call.callerAnswer || call.hungUp.signal.aborted) return;
  // the IVR (its wait was aborted) must be done first, or its music could replace the prompt
  if (call.ivr) await Promise.race([call.ivr, pause(IVR_STOP_MS, call.hungUp.signal)]);
  try {
    const offer = await rt.media.offer({ callId: call.sipCallId, fromTag: IVR, sdp: ivrAnswer(call.callerAnswer), to: "rtp" });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), REINVITE_MS)));
    const response = await Promise.race([rt.ua.reInvite(dialog, { body: Buffer.from(offer), contentType: SDP }), timeout]).finally(() => clearTimeout(timer));
    if (!response || response.status < 200 || response.status >= 300) return;
    await rt.media.answer({ callId: call.sipCallId, fromTag: IVR, toTag: CALLER, sdp: response.body.toString("utf8"), to: "rtp" });
    await playToCaller(rt, call, promptFile(rt, call, "sorry"), call.hungUp.signal);
  } catch (err) {
    rt.log.warn({ err, callId: call.sipCallId }, "the caller could not be told that the call failed");
  }
}
