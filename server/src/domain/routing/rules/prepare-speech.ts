import type { RuleAction } from "@yixian/contracts";
import type { Ctx } from "../../context.ts";

/** A rule that answers with a message has it spoken for the phone now (after commit), not on a caller's first call. */
export function prepareSpeech(ctx: Ctx, action: RuleAction): void {
  if (action.type === "message") ctx.deps.phoneSpeech?.prepare(action.text);
}
