import type { Channel, VisitorRating, VisitorRatingResult } from "@yixian/contracts";
import { createRating } from "../ratings/create-rating.ts";
import { DomainError, found } from "../errors.ts";
import { visitorConversationRow } from "./visitor-chat.ts";
import type { VisitorSession } from "./visitor-context.ts";

/**
 * The visitor rates their current (or just ended) conversation: a rating on its ticket, on the
 * timeline. Once: RATING_EXISTS for a second. CONVERSATION_HAS_NO_TICKET while nobody took it.
 */
export async function rateVisitorConversation(session: VisitorSession, input: VisitorRating): Promise<VisitorRatingResult> {
  const conversation = found(await visitorConversationRow(session), "conversation");
  if (!conversation.ticket_id) throw new DomainError("CONVERSATION_HAS_NO_TICKET", "this chat has no ticket to rate yet");
  const rating = await createRating(session.ctx, conversation.ticket_id, { score: input.score, comment: input.comment, channel: conversation.channel as Channel, conversationId: conversation.id });
  return { id: rating.id, score: rating.score, comment: rating.comment, createdAt: rating.createdAt };
}
