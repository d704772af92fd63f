import type { CallerLine } from "./caller-line.ts";
import type { PromptSet } from "./prompt-set.ts";

/** Where the caller is in the queue now; null when the call is no longer waiting (it is ringing). */
export type QueuePlace = { position: number; expectedWaitSeconds: number | null } | null;

export interface WaitInQueueOptions {
  /** Position and expected wait every N seconds (and when the wait starts); 0 = never. */
  announceEverySeconds: number;
  place: () => Promise<QueuePlace>;
  voicemailKey: string | null;
  callbackKey: string | null;
  /** Aborted when the wait is over for the call controller (an agent answered). */
  signal: AbortSignal;
}

/** The announcement: position, expected wait and what the keys do; the files in order. */
async function announcement(prompts: PromptSet, o: WaitInQueueOptions): Promise<string[]> {
  const files: string[] = [];
  if (o.announceEverySeconds > 0) {
    // a place that cannot be read now is not said this time; the wait goes on
    const place = await o.place().catch(() => null);
    if (place) {
      files.push(await prompts.queuePosition(place.position));
      if (place.expectedWaitSeconds !== null) files.push(await prompts.expectedWait(place.expectedWaitSeconds));
    }
  }
  const options = await prompts.waitingOptions(o.voicemailKey, o.callbackKey);
  if (options) files.push(options);
  return files;
}

/**
 * The caller waits for an agent: music on hold, and every `announceEverySeconds` the music
 * stops for "you are number N in the queue", the expected wait and what the keys do, then the
 * music again. The voicemail or call-back key (during music or announcement) ends the wait with
 * "voicemail" or "callback"; `signal` or the caller hanging up ends it with "aborted".
 */
export async function waitInQueue(line: CallerLine, prompts: PromptSet, o: WaitInQueueOptions): Promise<"voicemail" | "callback" | "aborted"> {
  const keys = [o.voicemailKey, o.callbackKey].filter((k): k is string => k !== null).join("");
  const choice = (key: string | null) => (key === null ? null : key === o.voicemailKey ? "voicemail" : key === o.callbackKey ? "callback" : null);
  const over = () => o.signal.aborted || line.hungUp.aborted;
  const music = await prompts.music();
  const everyMs = o.announceEverySeconds > 0 ? o.announceEverySeconds * 1000 : Infinity;
  let first = true;
  while (!over()) {
    if (first || o.announceEverySeconds > 0) {
      for (const file of await announcement(prompts, o)) {
        const chosen = choice((await line.play(file, { interruptKeys: keys, signal: o.signal })).key);
        if (chosen) return chosen;
        if (over()) return "aborted";
      }
    }
    first = false;
    // the music ends with the wait (signal), at the next announcement, or when it fails
    const round = new AbortController();
    const endRound = () => round.abort();
    o.signal.addEventListener("abort", endRound, { once: true });
    let failure: unknown = null;
    const playing = line.loop(music, round.signal).catch((err: unknown) => {
      failure = err;
      round.abort();
    });
    try {
      const until = Date.now() + everyMs;
      for (;;) {
        const remaining = until - Date.now();
        if (remaining <= 0) break;
        const key = await line.nextKey({ timeoutMs: remaining, signal: round.signal });
        if (key === null) break; // time for the announcement, or the wait is over
        const chosen = choice(key);
        if (chosen) return chosen;
      }
    } finally {
      o.signal.removeEventListener("abort", endRound);
      round.abort();
      await playing;
    }
    if (failure) throw failure;
  }
  return "aborted";
}
