import type { User, ZUpdateUser } from "@yixian/contracts";
import type { z } from "zod";
import { hashPassword } from "../auth/password.ts";
import { revokeSessions } from "../auth/revoke-sessions.ts";
import { actorId, inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { loadUser } from "./get-user.ts";
import { presentUser } from "./present-user.ts";

/** Changes a user's profile, role, password, activity and skills; disabling ends their sessions. */
export async function updateUser(ctx: Ctx, userId: string, input: z.infer<typeof ZUpdateUser>): Promise<User> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return inTransaction(ctx, async (tx) => {
    const before = await loadUser(tx, ctx.tenantId, userId);
    if (userId === actorId(ctx.actor) && (input.active === false || (input.role && input.role !== before.role))) {
      throw new DomainError("FORBIDDEN", "you cannot disable yourself or change your own role");
    }
    const set = { display_name: input.name, role: input.role, phone: input.phone, locale: input.locale, is_active: input.active };
    const changes: Record<string, unknown> = diff(before, set);
    const row = await tx
      .updateTable("users")
      .set({ ...set, ...(passwordHash ? { password_hash: passwordHash } : {}), updated_at: ctx.deps.clock.now() })
      .where("id", "=", userId)
      .where("tenant_id", "=", ctx.tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (passwordHash) changes.password = "changed";
    if (passwordHash || input.active === false) {
      const reason = input.active === false ? "deactivated" : "password_changed";
      await revokeSessions(tx, { tenantId: ctx.tenantId, userId, now: ctx.deps.clock.now(), reason });
    }
    if (input.skills) {
      const skillIds = input.skills.map((s) => s.skillId);
      const known = skillIds.length
        ? await tx.selectFrom("skills").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "in", skillIds).execute()
        : [];
      if (known.length !== new Set(skillIds).size) throw new DomainError("NOT_FOUND", "skill not found");
      await tx.deleteFrom("user_skills").where("user_id", "=", userId).where("tenant_id", "=", ctx.tenantId).execute();
      if (input.skills.length) {
        await tx
          .insertInto("user_skills")
          .values(input.skills.map((s) => ({ tenant_id: ctx.tenantId, user_id: userId, skill_id: s.skillId, level: s.level })))
          .onConflict((oc) => oc.columns(["user_id", "skill_id"]).doUpdateSet((eb) => ({ level: eb.ref("excluded.level") })))
          .execute();
      }
      changes.skills = input.skills;
    }
    await recordAudit(tx, ctx, { action: "user.updated", entityType: "user", entityId: userId, changes });
    return presentUser(tx, ctx.tenantId, row);
  });
}
