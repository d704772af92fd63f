import type { CreateWidgetConfig, UpdateWidgetConfig, WidgetConfig } from "@yixian/contracts";
import { randomBytes } from "node:crypto";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { inTransaction, type Ctx } from "../context.ts";
import { found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { presentWidgetConfig } from "./present-config.ts";

/** wk_ and 24 random hex digits: public, but not guessable. */
export function newWidgetKey(): string {
  return `wk_${randomBytes(12).toString("hex")}`;
}

async function checkReferences(tx: Executor, ctx: Ctx, input: { defaultQueueId?: string | null | undefined; calendarId?: string | null | undefined }): Promise<void> {
  if (input.defaultQueueId) {
    found(await tx.selectFrom("queues").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", input.defaultQueueId).executeTakeFirst(), "queue");
  }
  if (input.calendarId) {
    found(await tx.selectFrom("calendars").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", input.calendarId).executeTakeFirst(), "calendar");
  }
}

async function lockConfig(tx: Executor, ctx: Ctx, id: string): Promise<Row<"widget_configs">> {
  return found(
    await tx.selectFrom("widget_configs").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", id).forUpdate().executeTakeFirst(),
    "widget configuration",
  );
}

/** A new widget with a fresh public key; its entry point defaults to that key. */
export async function createWidgetConfig(ctx: Ctx, input: CreateWidgetConfig): Promise<WidgetConfig> {
  return inTransaction(ctx, async (tx) => {
    await checkReferences(tx, ctx, input);
    const now = ctx.deps.clock.now();
    const key = newWidgetKey();
    const row = await tx
      .insertInto("widget_configs")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        public_key: key,
        name: input.name,
        enabled: input.enabled,
        allowed_origins: [...new Set(input.allowedOrigins)],
        pre_chat_form: JSON.stringify(input.preChatForm),
        greeting: JSON.stringify(input.greeting),
        offline_message: JSON.stringify(input.offlineMessage),
        default_queue_id: input.defaultQueueId,
        entry_point: input.entryPoint ?? key,
        calendar_id: input.calendarId,
        theme: JSON.stringify(input.theme),
        locale: input.locale,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "widget_config.created", entityType: "widget_config", entityId: row.id, changes: { name: row.name, publicKey: key } });
    return presentWidgetConfig(row);
  });
}

export async function listWidgetConfigs(ctx: Ctx): Promise<{ items: WidgetConfig[] }> {
  const rows = await ctx.deps.db.selectFrom("widget_configs").selectAll().where("tenant_id", "=", ctx.tenantId).orderBy("created_at").orderBy("id").execute();
  return { items: rows.map(presentWidgetConfig) };
}

export async function getWidgetConfig(ctx: Ctx, id: string): Promise<WidgetConfig> {
  const row = await ctx.deps.db.selectFrom("widget_configs").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", id).executeTakeFirst();
  return presentWidgetConfig(found(row, "widget configuration"));
}

export async function updateWidgetConfig(ctx: Ctx, id: string, input: UpdateWidgetConfig): Promise<WidgetConfig> {
  return inTransaction(ctx, async (tx) => {
    const before = presentWidgetConfig(await lockConfig(tx, ctx, id));
    await checkReferences(tx, ctx, input);
    const after = { ...before, ...input, allowedOrigins: input.allowedOrigins ? [...new Set(input.allowedOrigins)] : before.allowedOrigins };
    const { id: _id, publicKey: _key, createdAt: _c, updatedAt: _u, ...comparable } = before;
    const changes = diff(comparable, input);
    if (Object.keys(changes).length === 0) return before;
    const row = await tx
      .updateTable("widget_configs")
      .set({
        name: after.name,
        enabled: after.enabled,
        allowed_origins: after.allowedOrigins,
        pre_chat_form: JSON.stringify(after.preChatForm),
        greeting: JSON.stringify(after.greeting),
        offline_message: JSON.stringify(after.offlineMessage),
        default_queue_id: after.defaultQueueId,
        entry_point: after.entryPoint,
        calendar_id: after.calendarId,
        theme: JSON.stringify(after.theme),
        locale: after.locale,
        updated_at: ctx.deps.clock.now(),
      })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "widget_config.updated", entityType: "widget_config", entityId: id, changes });
    return presentWidgetConfig(row);
  });
}

/** Disables the widget for good: its key stops working; visitors and their conversations stay. */
export async function deleteWidgetConfig(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await lockConfig(tx, ctx, id);
    const visitors = await tx.selectFrom("widget_visitors").select("id").where("tenant_id", "=", ctx.tenantId).where("widget_config_id", "=", id).limit(1).executeTakeFirst();
    if (visitors) {
      await tx.updateTable("widget_configs").set({ enabled: false, updated_at: ctx.deps.clock.now() }).where("tenant_id", "=", ctx.tenantId).where("id", "=", id).execute();
    } else {
      await tx.deleteFrom("widget_configs").where("tenant_id", "=", ctx.tenantId).where("id", "=", id).execute();
    }
    await recordAudit(tx, ctx, { action: "widget_config.deleted", entityType: "widget_config", entityId: id, changes: { name: before.name, kept: Boolean(visitors) } });
  });
}
