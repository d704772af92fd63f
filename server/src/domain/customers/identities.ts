import type { IdentityKind } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { DomainError } from "../errors.ts";
import { normalisePhone } from "./phone.ts";

export interface NormalisedIdentity {
  kind: IdentityKind;
  /** What is stored and probed: E.164 for phones, lower case for e-mail, trimmed otherwise. */
  value: string;
  /** What the person typed, trimmed. */
  displayValue: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/**
 * The stored form of an identity value, so that every way of writing it finds the same row.
 * Throws INVALID_PHONE for a phone that is not a number, VALIDATION_FAILED for an empty value
 * or an e-mail without user@domain.
 */
export function normaliseIdentity(kind: IdentityKind, raw: string, defaultCountry: string): NormalisedIdentity {
  const displayValue = raw.trim();
  if (!displayValue) throw new DomainError("VALIDATION_FAILED", `${kind} is empty`);
  switch (kind) {
    case "phone":
      return { kind, value: normalisePhone(displayValue, defaultCountry).e164, displayValue };
    case "email": {
      const value = displayValue.toLowerCase();
      if (!EMAIL.test(value)) throw new DomainError("VALIDATION_FAILED", `"${displayValue.slice(0, 64)}" is not an e-mail address`);
      return { kind, value, displayValue };
    }
    case "wechat_openid":
    case "wecom_external_id":
    case "visitor_id":
      return { kind, value: displayValue, displayValue };
  }
}

/** Like normaliseIdentity, but null for a value that cannot be one (a withheld or garbled caller). */
export function tryNormaliseIdentity(kind: IdentityKind, raw: string, defaultCountry: string): NormalisedIdentity | null {
  try {
    return normaliseIdentity(kind, raw, defaultCountry);
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

/** The identity row for (kind, value) in the tenant, by the unique index: one probe. */
export async function findIdentity(executor: Executor, tenantId: string, kind: IdentityKind, value: string): Promise<Row<"identities"> | null> {
  const row = await executor
    .selectFrom("identities")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("kind", "=", kind)
    .where("value", "=", value)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * The contact who owns this identity, or null. The raw value is normalised first, so a caller
 * presenting +8613800138000 finds the contact stored as 138 0013 8000. A value that cannot be
 * normalised (anonymous caller, malformed address) finds nobody rather than throwing.
 */
export async function findContactByIdentity(
  executor: Executor,
  tenantId: string,
  kind: IdentityKind,
  rawValue: string,
  defaultCountry: string,
): Promise<Row<"contacts"> | null> {
  const identity = tryNormaliseIdentity(kind, rawValue, defaultCountry);
  if (!identity) return null;
  const row = await executor
    .selectFrom("identities")
    .innerJoin("contacts", "contacts.id", "identities.contact_id")
    .selectAll("contacts")
    .where("identities.tenant_id", "=", tenantId)
    .where("identities.kind", "=", identity.kind)
    .where("identities.value", "=", identity.value)
    .where("contacts.tenant_id", "=", tenantId)
    .executeTakeFirst();
  return row ?? null;
}
