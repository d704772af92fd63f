import { rooms, type SessionRevokedReason } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import { recordEvent } from "../events/outbox.ts";

/**
 * Revokes sessions inside the caller's transaction and records one `session:revoked` event per
 * session: once committed, every node disconnects the sockets opened with them (socketFanout).
 */
export async function revokeSessions(
  tx: Tx,
  input: { tenantId: string; now: Date; reason: SessionRevokedReason } & ({ sessionId: string } | { userId: string }),
): Promise<number> {
  let query = tx.updateTable("sessions").set({ revoked_at: input.now }).where("tenant_id", "=", input.tenantId).where("revoked_at", "is", null);
  query = "sessionId" in input ? query.where("id", "=", input.sessionId) : query.where("user_id", "=", input.userId);
  const revoked = await query.returning("id").execute();
  for (const { id } of revoked) {
    await recordEvent(tx, { tenantId: input.tenantId, event: "session:revoked", rooms: [rooms.session(id)], payload: { reason: input.reason } });
  }
  return revoked.length;
}
