import type { ZCreateSkill, ZSkill } from "@yixian/contracts";
import type { z } from "zod";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { isoRequired } from "../shared/pagination.ts";

type Skill = z.infer<typeof ZSkill>;

function presentSkill(row: Row<"skills">): Skill {
  return { id: row.id, name: row.name, createdAt: isoRequired(row.created_at) };
}

export async function listSkills(ctx: Ctx): Promise<Skill[]> {
  const rows = await ctx.deps.db.selectFrom("skills").selectAll().where("tenant_id", "=", ctx.tenantId).orderBy("name").execute();
  return rows.map(presentSkill);
}

export async function createSkill(ctx: Ctx, input: z.infer<typeof ZCreateSkill>): Promise<Skill> {
  return inTransaction(ctx, async (tx) => {
    const row = await tx
      .insertInto("skills")
      .values({ id: newId(), tenant_id: ctx.tenantId, name: input.name })
      .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new DomainError("NAME_TAKEN", `a skill named "${input.name}" already exists`);
    await recordAudit(tx, ctx, { action: "skill.created", entityType: "skill", entityId: row.id, changes: { name: input.name } });
    return presentSkill(row);
  });
}
