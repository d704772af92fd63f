import { CHANNELS, CONVERSATION_STATES, type Channel, type ConversationState } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";

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

/** A stored enum value as its union type; INTERNAL if the database holds something unknown. */
export function knownValue<T extends string>(values: readonly T[], value: string, what: string): T {
  const hit = values.find((v) => v === value);
  if (!hit) throw new DomainError("INTERNAL", `unknown ${what} ${value}`);
  return hit;
}

export function assertNotEnded(row: Row<"conversations">): void {
  if (row.state === "ended") throw new DomainError("CONVERSATION_ENDED", "this conversation has ended");
}

/** Only a signed-in person works a conversation (accept, detach, link, end). */
export function agentOf(ctx: Ctx): { id: string; name: string } {
  if (ctx.actor.type !== "user") throw new DomainError("FORBIDDEN", "only an agent can do this");
  return { id: ctx.actor.id, name: ctx.actor.name };
}
