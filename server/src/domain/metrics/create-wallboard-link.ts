import type { WallboardLink, ZCreateWallboardLink } from "@yixian/contracts";
import type { z } from "zod";
import { hashToken } from "../auth/sessions.ts";
import { newId, randomToken } from "../../platform/ids.ts";
import { inTransaction, actorId, type Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../shared/audit.ts";
import { LINK_TOKEN_PREFIX, presentWallboardLink } from "./wallboard-links.ts";

const DAY_MS = 24 * 3_600_000;
const DEFAULT_TTL_MS = 30 * DAY_MS;
const MAX_TTL_MS = 366 * DAY_MS;

/**
 * A read-only link to the wallboard (for a TV or a phone): shows the tenant's queues, or only
 * `queueIds`, until it expires or is revoked. The token is returned once; only its hash is kept.
 */
export async function createWallboardLink(ctx: Ctx, input: z.output<typeof ZCreateWallboardLink>): Promise<{ link: WallboardLink; token: string }> {
  const now = ctx.deps.clock.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(now.getTime() + DEFAULT_TTL_MS);
  if (expiresAt.getTime() <= now.getTime()) throw new DomainError("VALIDATION_FAILED", "body.expiresAt: must be in the future");
  if (expiresAt.getTime() > now.getTime() + MAX_TTL_MS) throw new DomainError("VALIDATION_FAILED", "body.expiresAt: at most a year ahead");
  const queueIds = [...new Set(input.queueIds)];
  return inTransaction(ctx, async (tx) => {
    if (queueIds.length > 0) {
      const queues = await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "in", queueIds).execute();
      if (queues.length !== queueIds.length) throw new DomainError("NOT_FOUND", "queue not found");
    }
    const token = `${LINK_TOKEN_PREFIX}${randomToken()}`;
    const row = await tx
      .insertInto("wallboard_links")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        name: input.name,
        token_hash: hashToken(token),
        queue_ids: queueIds,
        created_by: ctx.actor.type === "user" ? actorId(ctx.actor) : null,
        expires_at: expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "wallboard_link.created",
      entityType: "wallboard_link",
      entityId: row.id,
      changes: { name: input.name, queueIds, expiresAt: expiresAt.toISOString() },
    });
    return { link: presentWallboardLink(row, now), token };
  });
}
