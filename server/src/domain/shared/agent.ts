import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";

/** Only a signed-in person works a conversation or an offer (accept, detach, link, end). */
export function agentOf(ctx: Ctx): { id: string; name: string } {
  if (ctx.actor.type !== "user") throw new DomainError("FORBIDDEN", "only an agent can do this");
  return { id: ctx.actor.id, name: ctx.actor.name };
}
