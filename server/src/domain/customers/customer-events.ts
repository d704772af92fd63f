import { rooms } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import { recordEvent } from "../events/outbox.ts";
import { isoRequired } from "../shared/pagination.ts";

/** Tells the tenant's consoles that a contact or company changed; delivered after commit. */
export async function customerChanged(
  tx: Executor,
  tenantId: string,
  kind: "contact" | "company",
  row: { id: string; updated_at: Date | string },
  changes: string[],
): Promise<void> {
  await recordEvent(tx, {
    tenantId,
    event: "customer:changed",
    rooms: [rooms.tenant(tenantId)],
    payload: { kind, id: row.id, updatedAt: isoRequired(row.updated_at), changes },
  });
}

/** Column names of an audit diff as the API spells them (customer_group_id → customerGroupId). */
export function changedFields(changes: Record<string, unknown>): string[] {
  return Object.keys(changes).map((column) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
}
