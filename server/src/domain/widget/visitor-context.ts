import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx, Deps } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { widgetSecret, verifyVisitorToken } from "./secret.ts";

/** An enabled widget by its public key; NOT_FOUND for an unknown or disabled key. */
export async function widgetByKey(db: Executor, key: string): Promise<Row<"widget_configs">> {
  const row = await db.selectFrom("widget_configs").selectAll().where("public_key", "=", key).where("enabled", "=", true).executeTakeFirst();
  return found(row, "widget");
}

/** Who a visitor token stands for: their widget, visitor row and (current) contact. */
export interface VisitorSession {
  widget: Row<"widget_configs">;
  visitor: Row<"widget_visitors">;
  contact: Row<"contacts">;
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

/** Loads the session of a visitor row (enabled widget only). */
export async function loadVisitorSession(deps: Deps, tenantId: string, visitorId: string): Promise<VisitorSession> {
  const visitor = found(await deps.db.selectFrom("widget_visitors").selectAll().where("tenant_id", "=", tenantId).where("id", "=", visitorId).executeTakeFirst(), "visitor");
  const widget = found(
    await deps.db.selectFrom("widget_configs").selectAll().where("tenant_id", "=", tenantId).where("id", "=", visitor.widget_config_id).where("enabled", "=", true).executeTakeFirst(),
    "widget",
  );
  const contact = await visitorContact(deps.db, tenantId, visitor.visitor_key);
  return {
    widget,
    visitor,
    contact,
    ctx: { tenantId, actor: { type: "contact", id: contact.id }, deps, log: deps.log.child({ tenantId, visitorId }) },
  };
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
