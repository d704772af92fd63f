import { ALL_KEYS, type CallerLine } from "./caller-line.ts";
import type { PromptSet } from "./prompt-set.ts";

export interface VerificationOptions {
  /** Tries before giving up (default 3). */
  tries?: number;
  /** How long to wait for the next key of a code before taking what was keyed (default 8 s). */
  keyTimeoutMs?: number;
}

/** A code longer than this is not a code: it is taken as keyed so far. */
const LONGEST_CODE = 32;

/**
 * The keys of one code: the first may have interrupted the prompt; `#` ends it, `*` starts it
 * again, and a pause longer than `keyTimeoutMs` takes what was keyed so far.
 */
async function readCode(line: CallerLine, prompt: string, keyTimeoutMs: number): Promise<string> {
  let { key } = await line.play(prompt, { interruptKeys: ALL_KEYS });
  let code = "";
  for (;;) {
    key ??= await line.nextKey({ timeoutMs: keyTimeoutMs });
    if (key === null || key === "#") return code;
    code = key === "*" ? "" : code + key;
    if (code.length >= LONGEST_CODE) return code;
    key = null;
  }
}

/**
 * "Please key your service verification code, then #": up to three tries, "not recognised"
 * between them, each code given to `check` (the company's code is the tenant's business).
 * "failed" after the last wrong try (the caller hears that they are put through anyway) or when
 * the caller hangs up.
 */
export async function askVerificationCode(line: CallerLine, prompts: PromptSet, check: (code: string) => Promise<boolean>, o: VerificationOptions = {}): Promise<"identified" | "failed"> {
  const tries = o.tries ?? 3;
  for (let attempt = 0; attempt < tries; attempt++) {
    const prompt = await prompts.file(attempt === 0 ? "enter-code" : "code-wrong");
    const code = await readCode(line, prompt, o.keyTimeoutMs ?? 8000);
    if (line.hungUp.aborted) return "failed";
    if (code !== "" && (await check(code))) return "identified";
  }
  await line.play(await prompts.file("code-failed"));
  return "failed";
}
