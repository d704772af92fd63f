import type { User, ZCreateUser } from "@yixian/contracts";
import { sql } from "kysely";
import type { z } from "zod";
import { newId } from "../../platform/ids.ts";
import { hashPassword } from "../auth/password.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentUser } from "./present-user.ts";

export async function createUser(ctx: Ctx, input: z.infer<typeof ZCreateUser>): Promise<User> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    const taken = await tx.selectFrom("users").select("id").where(sql`lower(email)`, "=", email).executeTakeFirst();
    if (taken) throw new DomainError("EMAIL_TAKEN", "a user with this e-mail already exists");
    const row = await tx
      .insertInto("users")
      .values({
        id: newId(),
        tenant_id: ctx.tenantId,
        email,
        display_name: input.name,
        password_hash: passwordHash,
        role: input.role,
        phone: input.phone ?? null,
        locale: input.locale ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "user.created", entityType: "user", entityId: row.id, changes: { email, role: input.role } });
    return presentUser(tx, ctx.tenantId, row);
  });
}
