import type { Deps } from "../context.ts";
import { createRating } from "../ratings/create-rating.ts";
import { DomainError } from "../errors.ts";
import { recordCallEvent } from "../voice/call-records.ts";
import { callerCtx } from "./call-ctx.ts";

/**
 * The caller keyed a score (1–5) after the agent hung up: a rating of the call's conversation on
 * its ticket (channel phone), in the ratings the chat uses, and on the call record. False when
 * the call has no ticket (nobody answered) or was rated already.
 */
export async function rateCall(deps: Deps, input: { tenantId: string; conversationId: string; callRecordId: string; score: number }): Promise<boolean> {
  const ctx = await callerCtx(deps, input.tenantId, input.conversationId);
  const conversation = await deps.db.selectFrom("conversations").select("ticket_id").where("tenant_id", "=", input.tenantId).where("id", "=", input.conversationId).executeTakeFirst();
  if (!conversation?.ticket_id) return false;
  try {
    await createRating(ctx, conversation.ticket_id, { score: input.score, comment: "", channel: "phone", conversationId: input.conversationId });
  } catch (err) {
    if (err instanceof DomainError && err.code === "RATING_EXISTS") return false;
    throw err;
  }
  await recordCallEvent(ctx, input.callRecordId, { type: "rated", score: input.score });
  return true;
}
