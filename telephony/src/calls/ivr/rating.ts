import { ALL_KEYS, type CallerLine } from "./caller-line.ts";
import type { PromptSet } from "./prompt-set.ts";

const RATINGS = "12345";

/**
 * After the agent hangs up: "please rate 1 to 5". A key from 1 to 5 is the rating (the caller
 * hears thanks); another key hears "not one of the choices" and the question once more; no key
 * within `timeoutMs` after the question, or the caller hanging up, is no rating.
 */
export async function askRating(line: CallerLine, prompts: PromptSet, timeoutMs: number): Promise<number | null> {
  const question = await prompts.file("rate");
  for (let round = 0; round < 2; round++) {
    const { key: interrupted } = await line.play(question, { interruptKeys: ALL_KEYS });
    const key = interrupted ?? (await line.nextKey({ timeoutMs }));
    if (key === null) return null;
    if (RATINGS.includes(key)) {
      // a rating keyed just before hanging up still counts
      await line.play(await prompts.file("thanks"));
      return Number(key);
    }
    if (line.hungUp.aborted) return null;
    if (round === 0) await line.play(await prompts.file("key-invalid"));
  }
  return null;
}
