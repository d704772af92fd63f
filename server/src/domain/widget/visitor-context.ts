import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { sql } from "kysely";
import type { Ctx, Deps } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { originEntries } from "./allowed-origin.ts";
import { widgetSecret, verifyVisitorToken } from "./secret.ts";

/** An enabled widget by its public key; NOT_FOUND for an unknown or disabled key. */
export async function widgetByKey(db: Executor, key: string): Promise<Row<"widget_configs">> {
  const row = await db.selectFrom("widget_configs").selectAll().where("public_key", "=", key).where("enabled", "=", true).executeTakeFirst();
  return found(row, "widget");
}

/** Whether some enabled widget may be used from this origin, or lists its any-port form (CORS for the widget's public routes). */
export async function widgetAllowsOrigin(deps: Pick<Deps, "db">, origin: string): Promise<boolean> {
  const allowed = await deps.db
    .selectFrom("widget_configs")
    .select("id")
    .where("enabled", "=", true)
    .where((eb) => eb.or(originEntries(origin).map((entry) => eb(eb.val(entry), "=", eb.fn.any("allowed_origins")))))
    .executeTakeFirst();
  return allowed !== undefined;
}

/** Who a visitor token stands for: their widget, visitor row and (current) contact. */
export interface VisitorSession {
  widget: Row<"widget_configs">;
  visitor: Row<"widget_visitors">;
  contact: Row<"contacts">;
  /**
   * The visitor's current conversation as it was when the session was loaded (their own
   * contact's), null when they have none; undefined when it was not loaded with the session.
   */
  conversation?: Row<"conversations"> | null;
  /** Acting as the contact: use-cases check it owns what it touches. */
  ctx: Ctx;
}

/** The contact owning the visitor's visitor_id identity, following merges. */
export async function visitorContact(db: Executor, tenantId: string, visitorKey: string): Promise<Row<"contacts">> {
  const identity = found(
    await db.selectFrom("identities").select("contact_id").where("tenant_id", "=", tenantId).where("kind", "=", "visitor_id").where("value", "=", visitorKey).executeTakeFirst(),
    "visitor",
  );
  let contact = found(await db.selectFrom("contacts").selectAll().where("tenant_id", "=", tenantId).where("id", "=", identity.contact_id).executeTakeFirst(), "contact");
  for (let hops = 0; contact.merged_into_id && hops < 10; hops++) {
    contact = found(await db.selectFrom("contacts").selectAll().where("tenant_id", "=", tenantId).where("id", "=", contact.merged_into_id).executeTakeFirst(), "contact");
  }
  return contact;
}

function sessionOf(deps: Deps, visitor: Row<"widget_visitors">, widget: Row<"widget_configs">, contact: Row<"contacts">, conversation?: Row<"conversations"> | null): VisitorSession {
  const tenantId = visitor.tenant_id;
  return {
    widget,
    visitor,
    contact,
    ...(conversation === undefined ? {} : { conversation }),
    ctx: { tenantId, actor: { type: "contact", id: contact.id }, deps, log: deps.log.child({ tenantId, visitorId: visitor.id }) },
  };
}

/** A row read as JSON (`to_jsonb`) with its timestamps (every `*_at` column) as dates again. */
function revive<T>(json: Record<string, unknown>): T {
  const row: Record<string, unknown> = { ...json };
  for (const [key, value] of Object.entries(row)) if (key.endsWith("_at") && typeof value === "string") row[key] = new Date(value);
  return row as T;
}

/** Loads the session of a visitor row step by step (enabled widget only; follows contact merges). */
async function loadStepByStep(deps: Deps, tenantId: string, visitorId: string): Promise<VisitorSession> {
  const visitor = found(await deps.db.selectFrom("widget_visitors").selectAll().where("tenant_id", "=", tenantId).where("id", "=", visitorId).executeTakeFirst(), "visitor");
  const widget = found(
    await deps.db.selectFrom("widget_configs").selectAll().where("tenant_id", "=", tenantId).where("id", "=", visitor.widget_config_id).where("enabled", "=", true).executeTakeFirst(),
    "widget",
  );
  const contact = await visitorContact(deps.db, tenantId, visitor.visitor_key);
  return sessionOf(deps, visitor, widget, contact);
}

/**
 * Loads the session of a visitor row (enabled widget only), with their current conversation:
 * one query on every visitor request; the rare cases (a merged contact, something missing) go
 * step by step for the right answer.
 */
export async function loadVisitorSession(deps: Deps, tenantId: string, visitorId: string): Promise<VisitorSession> {
  const joined = await sql<{ visitor: Record<string, unknown>; widget: Record<string, unknown>; contact: Record<string, unknown>; conversation: Record<string, unknown> | null }>`
    select to_jsonb(v) as visitor, to_jsonb(w) as widget, to_jsonb(c) as contact, to_jsonb(cv) as conversation
    from widget_visitors v
    join widget_configs w on w.tenant_id = v.tenant_id and w.id = v.widget_config_id and w.enabled
    join identities i on i.tenant_id = v.tenant_id and i.kind = 'visitor_id' and i.value = v.visitor_key
    join contacts c on c.tenant_id = v.tenant_id and c.id = i.contact_id and c.merged_into_id is null
    left join conversations cv on cv.tenant_id = v.tenant_id and cv.id = v.conversation_id and cv.contact_id = c.id
    where v.tenant_id = ${tenantId} and v.id = ${visitorId}`.execute(deps.db);
  const row = joined.rows[0];
  if (!row) return loadStepByStep(deps, tenantId, visitorId);
  return sessionOf(
    deps,
    revive<Row<"widget_visitors">>(row.visitor),
    revive<Row<"widget_configs">>(row.widget),
    revive<Row<"contacts">>(row.contact),
    row.conversation ? revive<Row<"conversations">>(row.conversation) : null,
  );
}

/** The session of a visitor token; UNAUTHENTICATED when it is not valid (anymore). */
export async function resolveVisitorToken(deps: Deps, token: string | null | undefined): Promise<VisitorSession> {
  const claims = token ? verifyVisitorToken(widgetSecret(deps.config), token) : null;
  if (!claims) throw new DomainError("UNAUTHENTICATED", "start a widget session first");
  try {
    return await loadVisitorSession(deps, claims.tenantId, claims.visitorId);
  } catch (err) {
    if (err instanceof DomainError && err.code === "NOT_FOUND") throw new DomainError("UNAUTHENTICATED", "this visitor session is no longer valid");
    throw err;
  }
}
