import type { Deps } from "../context.ts";
import { callToWork, type CallWork, type LeavingCall } from "./call-to-work.ts";
import { storeCallRecording } from "./store-call-recording.ts";

export interface Voicemail extends LeavingCall {
  /** The caller's message, 8 kHz 16-bit mono WAV. */
  wav: Buffer;
  durationMs: number;
  filename: string;
}

/**
 * A waiting caller left a voicemail: the call becomes voicemail work on its ticket (keeping the
 * caller's place in the queue, `callToWork`), the call record ends `voicemail`, and the message
 * is kept as the ticket's attachment and the call's recording — the call's entry on the ticket's
 * timeline plays it. Answers the work and the attachment.
 */
export async function leaveVoicemail(deps: Deps, voicemail: Voicemail): Promise<CallWork & { attachmentId: string }> {
  const work = await callToWork(deps, voicemail, "voicemail");
  const attachmentId = await storeCallRecording(deps, voicemail);
  return { ...work, attachmentId };
}

/**
 * A waiting caller asked to be called back: the call becomes call-back work on its ticket,
 * keeping their place in the queue (`callToWork`); the call record ends `callback`.
 */
export async function bookCallback(deps: Deps, call: LeavingCall): Promise<CallWork> {
  return callToWork(deps, call, "callback");
}
