import type { Deps } from "../context.ts";
import { acceptOffer } from "../routing/answer-offer.ts";
import { agentCtx } from "./call-ctx.ts";
import { recordCallAnswered } from "./caller-reached.ts";

export interface AnsweredCall {
  conversationId: string | null;
  ticketId: string | null;
}

/**
 * The agent's phone answered the call offered to them: the offer is accepted as the console's
 * accept would (OFFER_EXPIRED / OFFER_CLOSED when it is too late: the caller keeps waiting), and
 * the call record is answered, which puts the call on the ticket's timeline (and closes the
 * caller's open missed call: `recordCallAnswered`).
 */
export async function answerCall(deps: Deps, input: { tenantId: string; agentId: string; offerId: string; callRecordId: string }): Promise<AnsweredCall> {
  const ctx = await agentCtx(deps, input.tenantId, input.agentId);
  const accepted = await acceptOffer(ctx, input.offerId);
  await recordCallAnswered(ctx, input.callRecordId, input.agentId);
  return { conversationId: accepted.conversationId, ticketId: accepted.ticketId };
}
