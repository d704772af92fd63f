import type { Tx } from "../../db/database.ts";
import type { Ctx } from "../context.ts";

/** The customer's side (a contact) or the desk's (agents, integrations, the system). */
function sideOf(actorType: string): "customer" | "desk" {
  return actorType === "contact" ? "customer" : "desk";
}

/**
 * Whether the caller's side ended this (ended) conversation: then a second end is a retry — its
 * first reply was lost — and answers as the first did. The other side's end stays a conflict.
 */
export async function endedBySameSide(tx: Tx, ctx: Ctx, conversationId: string): Promise<boolean> {
  const ended = await tx
    .selectFrom("audit_log")
    .select("actor_type")
    .where("tenant_id", "=", ctx.tenantId)
    .where("entity_type", "=", "conversation")
    .where("entity_id", "=", conversationId)
    .where("action", "=", "conversation.ended")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return ended !== undefined && sideOf(ended.actor_type) === sideOf(ctx.actor.type);
}
