import { CHANNELS, CONVERSATION_STATES, type Channel, type ConversationState } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { agentOf } from "../shared/agent.ts";
import { knownValue } from "../shared/known-value.ts";

export { agentOf, knownValue };

/** The conversation in ctx's tenant, row-locked for the rest of the transaction; NOT_FOUND otherwise. */
export async function lockConversation(tx: Executor, ctx: Ctx, conversationId: string): Promise<Row<"conversations">> {
  const row = await tx
    .selectFrom("conversations")
    .selectAll()
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", conversationId)
    .forUpdate()
    .executeTakeFirst();
  return found(row, "conversation");
}

export function conversationState(row: Pick<Row<"conversations">, "state">): ConversationState {
  return knownValue(CONVERSATION_STATES, row.state, "conversation state");
}

export function conversationChannel(row: Pick<Row<"conversations">, "channel">): Channel {
  return knownValue(CHANNELS, row.channel, "channel");
}

export function assertNotEnded(row: Row<"conversations">): void {
  if (row.state === "ended") throw new DomainError("CONVERSATION_ENDED", "this conversation has ended");
}
