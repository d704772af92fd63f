import { ZAuditEntry, type ZAuditQuery, type Page } from "@yixian/contracts";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { decodeCursor, isoRequired, toPage } from "../shared/pagination.ts";

type AuditEntry = z.infer<typeof ZAuditEntry>;

/** The tenant's audit log, newest first. */
export async function listAudit(ctx: Ctx, query: z.infer<typeof ZAuditQuery>): Promise<Page<AuditEntry>> {
  let q = ctx.deps.db.selectFrom("audit_log").selectAll().where("tenant_id", "=", ctx.tenantId);
  if (query.entityType) q = q.where("entity_type", "=", query.entityType);
  if (query.entityId) q = q.where("entity_id", "=", query.entityId);
  if (query.actorId) q = q.where("actor_id", "=", query.actorId);
  const cursor = decodeCursor(query.cursor);
  if (cursor) q = q.where("id", "<", Number(cursor[0]));
  const rows = await q.orderBy("id", "desc").limit(query.limit + 1).execute();
  return toPage(rows, query.limit, (r) => [r.id], (r) => ({
    id: r.id,
    actorType: ZAuditEntry.shape.actorType.parse(r.actor_type),
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    changes: r.changes,
    createdAt: isoRequired(r.created_at),
  }));
}
