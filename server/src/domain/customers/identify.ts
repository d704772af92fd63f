import type { IdentifyQuery, IdentifyResult, IdentityKind } from "@yixian/contracts";
import type { Ctx } from "../context.ts";
import { contactView } from "./contact-views.ts";
import { findIdentity, normaliseIdentity } from "./identities.ts";
import { presentCompany, presentIdentity } from "./present.ts";
import { customerSettings } from "./tenant-settings.ts";

const BY_PARAM: Record<Exclude<keyof IdentifyQuery, "verificationCode">, IdentityKind> = {
  phone: "phone",
  email: "email",
  wechatOpenid: "wechat_openid",
  wecomExternalId: "wecom_external_id",
  visitorId: "visitor_id",
};

const NOBODY = { contact: null, company: null, identity: null, matchedBy: null } as const;

/**
 * Who is this? One probe of identities(tenant, kind, value) after normalising the value, or of
 * companies(tenant, verification_code). What caller ID, screen pop and channel intake call.
 */
export async function identify(ctx: Ctx, query: IdentifyQuery): Promise<IdentifyResult> {
  const db = ctx.deps.db;
  const { today, defaultCountry } = await customerSettings(db, ctx);
  if (query.verificationCode !== undefined) {
    const company = await db
      .selectFrom("companies")
      .selectAll()
      .where("tenant_id", "=", ctx.tenantId)
      .where("verification_code", "=", query.verificationCode.trim())
      .executeTakeFirst();
    return company ? { contact: null, company: presentCompany(company, today), identity: null, matchedBy: "verification_code" } : NOBODY;
  }
  const param = (Object.keys(BY_PARAM) as (keyof typeof BY_PARAM)[]).find((p) => query[p] !== undefined);
  const raw = param ? query[param] : undefined;
  // nothing to go on (a withheld number) is nobody we know
  if (!param || raw === undefined) return NOBODY;
  const { kind, value } = normaliseIdentity(BY_PARAM[param], raw, defaultCountry);
  const identity = await findIdentity(db, ctx.tenantId, kind, value);
  if (!identity) return NOBODY;
  const row = await db.selectFrom("contacts").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", identity.contact_id).executeTakeFirstOrThrow();
  const contact = await contactView(db, ctx.tenantId, row, today);
  return { contact, company: contact.company, identity: presentIdentity(identity), matchedBy: kind };
}
