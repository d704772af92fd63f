import { ROLE_PERMISSIONS, type ZMe } from "@yixian/contracts";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { getTenant } from "../tenants/get-tenant.ts";

export async function getMe(ctx: Ctx): Promise<z.infer<typeof ZMe>> {
  if (ctx.actor.type !== "user") throw new DomainError("FORBIDDEN", "only users have a profile");
  const user = found(
    await ctx.deps.db.selectFrom("users").select(["id", "tenant_id", "role", "display_name", "email"]).where("id", "=", ctx.actor.id).where("tenant_id", "=", ctx.tenantId).executeTakeFirst(),
    "user",
  );
  return {
    user: { id: user.id, tenantId: user.tenant_id, role: ctx.actor.role, name: user.display_name, email: user.email },
    tenant: await getTenant(ctx),
    permissions: [...ROLE_PERMISSIONS[ctx.actor.role]],
  };
}
