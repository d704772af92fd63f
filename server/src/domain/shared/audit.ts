import type { Executor } from "../../db/database.ts";
import { actorId, type Ctx } from "../context.ts";
import { deferredWrites } from "../events/deferred-writes.ts";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  /** What changed: { field: [before, after] } or a short description of the operation. */
  changes?: Record<string, unknown>;
}

/**
 * Appends to the audit log, in the caller's transaction, who did what to which record (written
 * with the transaction's other deferred rows just before its commit, when it has them).
 */
export async function recordAudit(tx: Executor, ctx: Ctx, entry: AuditEntry): Promise<void> {
  const row = auditRow(ctx, entry);
  const deferred = deferredWrites(tx);
  if (deferred) deferred.audits.push(row);
  else await tx.insertInto("audit_log").values(row).execute();
}

/** The audit_log row of an entry, by the acting person or integration. */
export function auditRow(ctx: Ctx, entry: AuditEntry) {
  return {
    tenant_id: ctx.tenantId,
    actor_type: ctx.actor.type,
    actor_id: actorId(ctx.actor),
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    changes: JSON.stringify(entry.changes ?? {}),
  };
}

/** The fields whose values differ between before and after, as { field: [before, after] }. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) out[key] = [before[key], value];
  }
  return out;
}
