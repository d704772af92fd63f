import type { Deps, Ctx } from "../context.ts";
import { systemCtx } from "../context.ts";
import { knownValue } from "../shared/known-value.ts";
import { ROLES } from "@yixian/contracts";
import { notFound } from "../errors.ts";

/** The agent who answered (or hung up) a call, acting as themselves, as their console would. */
export async function agentCtx(deps: Deps, tenantId: string, agentId: string): Promise<Ctx> {
  const user = await deps.db.selectFrom("users").select(["id", "role", "display_name"]).where("tenant_id", "=", tenantId).where("id", "=", agentId).executeTakeFirst();
  if (!user) throw notFound("agent");
  return { tenantId, actor: { type: "user", id: user.id, role: knownValue(ROLES, user.role, "role"), name: user.display_name }, deps, log: deps.log.child({ tenantId, agentId }) };
}

/** The caller of a call's conversation, acting as themselves (the customer side). */
export async function callerCtx(deps: Deps, tenantId: string, conversationId: string): Promise<Ctx> {
  const row = await deps.db.selectFrom("conversations").select("contact_id").where("tenant_id", "=", tenantId).where("id", "=", conversationId).executeTakeFirst();
  if (!row?.contact_id) return systemCtx(deps, tenantId);
  return { tenantId, actor: { type: "contact", id: row.contact_id }, deps, log: deps.log.child({ tenantId }) };
}
