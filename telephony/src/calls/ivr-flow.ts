import { readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { bookCallback, callQueuePlace, endCall, identifyCallerByCode, leaveVoicemail, queueInboundCall, tenantPromptFiles, type StartedCall } from "@yixian/server/domain";
import { askMenu, askVerificationCode, createCallerLine, createPromptSet, recordVoicemail, waitInQueue, type CallerLine, type PromptSet } from "./ivr/index.ts";
import { CALLER, type Call } from "./call.ts";
import { finishCall } from "./finish.ts";
import { spokenText } from "../prompts/index.ts";
import { startMusic } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";

/** The longest voicemail a caller may leave. */
const VOICEMAIL_MAX_SECONDS = 120;
/** What a call remembers of what it played (a long wait repeats music and announcements). */
const HEARD_KEPT = 100;

/** The prompt set, remembering what each file it gives says (`said`: file → what). */
function tracedPrompts(prompts: PromptSet, said: Map<string, string>): PromptSet {
  const note = async (what: string, file: Promise<string>) => {
    const path = await file;
    said.set(path, what);
    return path;
  };
  return {
    language: prompts.language,
    file: (name) => note(name, prompts.file(name)),
    music: () => note("music", prompts.music()),
    beep: () => note("beep", prompts.beep()),
    queuePosition: (position) => note(`position ${position}`, prompts.queuePosition(position)),
    expectedWait: (seconds) => note("expected wait", prompts.expectedWait(seconds)),
    menu: (keys) => note("menu", prompts.menu(keys)),
    waitingOptions: async (voicemailKey, callbackKey) => {
      const file = await prompts.waitingOptions(voicemailKey, callbackKey);
      if (file) said.set(file, "waiting options");
      return file;
    },
  };
}

/** The caller's line, telling `heard` what each prompt or music it starts says. */
function tracedLine(line: CallerLine, said: Map<string, string>, heard: (what: string) => void): CallerLine {
  const starts = (file: string) => heard(said.get(file) ?? basename(file));
  return {
    callId: line.callId,
    callerTag: line.callerTag,
    hungUp: line.hungUp,
    play: (file, opts) => {
      starts(file);
      return line.play(file, opts);
    },
    loop: (file, signal) => {
      starts(file);
      return line.loop(file, signal);
    },
    nextKey: (opts) => line.nextKey(opts),
  };
}

function stamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
}

/** The IVR hangs up on the caller (after a voicemail or call-back) and the call is finished. */
async function hangUpCaller(rt: Runtime, call: Call): Promise<void> {
  // a call whose ACK never came is finished by the INVITE's side
  const gone = new Promise<void>((resolve) => call.hungUp.signal.addEventListener("abort", () => resolve(), { once: true }));
  if (!call.hungUp.signal.aborted) await Promise.race([call.answered, gone]);
  if (call.dialog && call.dialog.state !== "terminated") await rt.ua.bye(call.dialog).catch(() => undefined);
  await finishCall(rt, call);
}

/** The caller leaves the queue: no agent is rung from now on, the ones ringing stop. */
function leave(rt: Runtime, call: Call, why: "voicemail" | "callback"): void {
  call.leaving = why;
  for (const leg of call.legs.values()) if (leg.state === "ringing") leg.outgoing.cancel();
  rt.changed(call);
}

/**
 * "Please leave your message after the tone" (or, closed: "we are closed now, please leave a
 * message after the tone") → kept on the call's ticket as voicemail work; "saved", goodbye.
 */
async function takeVoicemail(rt: Runtime, call: Call, started: StartedCall, line: CallerLine, prompts: PromptSet, prompt: "voicemail" | "closed" = "voicemail"): Promise<void> {
  leave(rt, call, "voicemail");
  const message = await recordVoicemail(line, prompts, rt.media, { maxSeconds: VOICEMAIL_MAX_SECONDS, recordingDir: join(rt.deps.config.dataDir, "voicemail"), address: rt.listenAddress, prompt });
  const gone = () => call.hungUp.signal.aborted;
  if (message) {
    try {
      const kept = await leaveVoicemail(rt.deps, {
        tenantId: call.tenantId,
        conversationId: started.conversationId,
        callRecordId: started.callRecordId,
        wav: readFileSync(message.wav),
        durationMs: Math.round(message.seconds * 1000),
        filename: `voicemail-${stamp(rt.deps.clock.now())}-${(started.from ?? "").replace(/\D/g, "") || "anonymous"}.wav`,
      });
      call.recordingId = kept.attachmentId;
    } finally {
      rmSync(message.wav, { force: true });
    }
    if (!gone()) await line.play(await prompts.file("voicemail-saved"));
  } else {
    if (!gone()) await line.play(await prompts.file("voicemail-empty"));
    await endCall(rt.deps, { tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId, side: gone() ? "caller" : "system", cause: "no voicemail" });
  }
}

/** The call-back is booked (call-back work keeping the caller's place), then "booked", goodbye. */
async function takeCallback(rt: Runtime, call: Call, started: StartedCall, line: CallerLine, prompts: PromptSet): Promise<void> {
  leave(rt, call, "callback");
  await bookCallback(rt.deps, { tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId });
  if (!call.hungUp.signal.aborted) await line.play(await prompts.file("callback-booked"));
}

/**
 * A caller who cannot wait (`StartedCall.leaveMessage`): closed hours, a holiday or a closed
 * queue → "we are closed, please leave a message after the tone"; a full queue overflowing to
 * voicemail → "please leave your message". A navigation rule that answers with a message has its
 * own words said instead of "we are closed" (`spoken`; without espeak-ng, "we are closed"). A
 * number that takes no voicemail (no voicemail key) says the rule's message, or sorry, call again
 * later, and hangs up.
 */
async function cannotWait(rt: Runtime, call: Call, started: StartedCall, line: CallerLine, prompts: PromptSet, spoken: (text: string) => Promise<string | null>): Promise<void> {
  const message = started.message ? await spoken(started.message) : null;
  if (message && !call.hungUp.signal.aborted) await line.play(message);
  if (call.number.ivr.voicemailKey !== null) {
    await takeVoicemail(rt, call, started, line, prompts, started.leaveMessage === "closed" && !message ? "closed" : "voicemail");
    return;
  }
  if (!message) await line.play(await prompts.file("sorry"));
  await endCall(rt.deps, { tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId, side: call.hungUp.signal.aborted ? "caller" : "system", cause: started.leaveMessage ?? "closed" });
  await hangUpCaller(rt, call);
}

/**
 * The IVR's part of an answered trunk call (decision 0018): welcome; for a caller the number asks
 * (`StartedCall.ask`) the verification code, identifying them as the company that holds it, and
 * the menu, whose key is the navigation rules' menu choice — then the call is queued; then the
 * wait: music, position and expected wait from the live queue every N s, and the voicemail and
 * call-back keys. The wait ends when an agent answers (`call.waiting`) or the caller hangs up.
 * A caller routing says cannot wait (closed, or full to voicemail) leaves a message instead.
 * A voicemail or call-back ends the call here. Never rejects.
 */
export async function answerWithIvr(rt: Runtime, call: Call, started: StartedCall): Promise<void> {
  const ivr = call.number.ivr;
  const said = new Map<string, string>();
  const prompts = tracedPrompts(createPromptSet(rt.prompts, ivr.language, tenantPromptFiles(rt.deps, call.tenantId)), said);
  const line = tracedLine(createCallerLine(rt.media, rt.dtmf, call.sipCallId, CALLER, call.hungUp.signal), said, (what) => {
    if (call.heard.length >= HEARD_KEPT) call.heard.shift();
    call.heard.push(what);
    rt.changed(call);
  });
  // a navigation rule's message, spoken (made when the rule was saved, or now)
  const spoken = async (text: string) => {
    const file = await rt.speech.file(text, ivr.language);
    if (file) said.set(file, `message: ${spokenText(text)}`);
    return file;
  };
  const waiting = call.waiting.signal;
  const ids = { tenantId: call.tenantId, conversationId: started.conversationId };
  const asks = started.ask.verification || started.ask.menu;
  let queued = !asks;
  const queue = async (menuChoice: string | null) => {
    queued = true;
    const { queueId, leaveMessage, message } = await queueInboundCall(rt.deps, { ...ids, callRecordId: started.callRecordId, entryPoint: call.number.number, menuChoice, language: ivr.language });
    started.queueId = queueId;
    started.leaveMessage = leaveMessage;
    started.message = message;
    rt.changed(call);
  };
  try {
    if (ivr.welcome) await line.play(await prompts.file("welcome"), { signal: waiting });
    if (started.ask.verification) {
      await askVerificationCode(line, prompts, async (code) => (await identifyCallerByCode(rt.deps, { ...ids, code })) !== null);
    }
    const choice = started.ask.menu ? await askMenu(line, prompts, ivr.menu.map((entry) => entry.key)) : null;
    if (call.hungUp.signal.aborted) return;
    if (asks) await queue(choice);
    if (started.leaveMessage) {
      await cannotWait(rt, call, started, line, prompts, spoken);
    } else {
      const outcome = await waitInQueue(line, prompts, {
        announceEverySeconds: ivr.announceEverySeconds,
        place: () => callQueuePlace(rt.deps, call.tenantId, started.conversationId),
        voicemailKey: ivr.voicemailKey,
        callbackKey: ivr.callbackKey,
        signal: waiting,
      });
      if (outcome === "voicemail") await takeVoicemail(rt, call, started, line, prompts);
      else if (outcome === "callback") await takeCallback(rt, call, started, line, prompts);
    }
  } catch (err) {
    if (call.leaving) {
      rt.log.error({ err, callId: call.sipCallId }, "the caller's voicemail or call-back could not be stored");
      await endCall(rt.deps, { ...ids, callRecordId: started.callRecordId, side: "system", cause: `${call.leaving} not stored`, disposition: "failed" }).catch(() => undefined);
    } else if (!call.hungUp.signal.aborted && !waiting.aborted) {
      // the caller is not left in silence, nor unqueued
      rt.log.error({ err, callId: call.sipCallId }, "the IVR failed; the caller waits with music");
      if (!queued) await queue(null).catch((e: unknown) => rt.log.error({ err: e, callId: call.sipCallId }, "queueing the call failed"));
      await startMusic(rt, call).catch(() => undefined);
    }
  }
  if (call.leaving) await hangUpCaller(rt, call);
}
