import type { CustomerGroup, ZCreateCustomerGroup } from "@yixian/contracts";
import type { z } from "zod";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { presentCustomerGroup } from "./present.ts";

export function groupNameTaken(name: string): DomainError {
  return new DomainError("NAME_TAKEN", `a customer group named ${name} already exists`);
}

/** Inserts a group inside the caller's transaction; a duplicate name is NAME_TAKEN. */
export async function insertCustomerGroup(tx: Executor, ctx: Ctx, input: { name: string; description?: string }): Promise<Row<"customer_groups">> {
  const now = ctx.deps.clock.now();
  const row = await tx
    .insertInto("customer_groups")
    .values({ id: newId(now.getTime()), tenant_id: ctx.tenantId, name: input.name, description: input.description ?? "", created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw groupNameTaken(input.name);
  await recordAudit(tx, ctx, { action: "customer_group.created", entityType: "customer_group", entityId: row.id, changes: { name: row.name } });
  return row;
}

export async function createCustomerGroup(ctx: Ctx, input: z.infer<typeof ZCreateCustomerGroup>): Promise<CustomerGroup> {
  return presentCustomerGroup(await inTransaction(ctx, (tx) => insertCustomerGroup(tx, ctx, input)));
}
