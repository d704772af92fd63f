import { setTimeout as sleep } from "node:timers/promises";
import type { PromptName } from "../prompts/index.ts";
import { CALLER, type Call } from "./call.ts";
import type { Runtime } from "./runtime.ts";

/** Music on hold plays this many times over (rtpengine stops it when told). */
const MUSIC_REPEATS = 10_000;

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export function promptFile(rt: Runtime, call: Call, name: PromptName): string {
  return rt.prompts.file(name, call.number.ivr.language);
}

/** Plays a prompt to the caller and resolves when it has played (or `signal` aborted). */
export async function playToCaller(rt: Runtime, call: Call, file: string, signal: AbortSignal): Promise<void> {
  const ms = await rt.media.play(call.sipCallId, CALLER, file);
  await pause(ms, signal);
}

export async function startMusic(rt: Runtime, call: Call): Promise<void> {
  await rt.media.play(call.sipCallId, CALLER, rt.prompts.holdMusic, MUSIC_REPEATS);
}

export async function stopPlaying(rt: Runtime, call: Call): Promise<void> {
  await rt.media.stopPlaying(call.sipCallId, CALLER).catch(() => undefined);
}

/**
 * After the agent hung up: "please rate 1 to 5", and the first key 1–5 within the number's
 * timeout after the prompt (a key during the prompt stops it); null for no key or a hang-up.
 */
export async function askRating(rt: Runtime, call: Call): Promise<number | null> {
  let score: number | null = null;
  const keyed = new AbortController();
  const stop = rt.keypad.listen(call.sipCallId, CALLER, (digit) => {
    if (score !== null || !/^[1-5]$/.test(digit)) return;
    score = Number(digit);
    keyed.abort();
  });
  try {
    const ms = await rt.media.play(call.sipCallId, CALLER, promptFile(rt, call, "rate"));
    await pause(ms + call.number.ivr.ratingTimeoutSeconds * 1000, AbortSignal.any([keyed.signal, call.hungUp.signal]));
  } finally {
    stop();
  }
  if (score !== null) await stopPlaying(rt, call);
  return score;
}
