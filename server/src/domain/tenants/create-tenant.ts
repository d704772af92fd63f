import { ZCountryCode, type Role } from "@yixian/contracts";
import { inTransaction, type Deps } from "../context.ts";
import { hashPassword } from "../auth/password.ts";
import { newId } from "../../platform/ids.ts";
import { DomainError } from "../errors.ts";

export interface NewTenant {
  slug: string;
  name: string;
  defaultCountry?: string;
  timeZone?: string;
  locale?: "zh-CN" | "en";
  ticketPrefix?: string;
  admin: { email: string; name: string; password: string; role?: Role };
}

/** Creates a tenant and its first administrator (provisioning, the demo seed and tests). */
export async function createTenant(deps: Deps, input: NewTenant): Promise<{ tenantId: string; adminId: string }> {
  if (input.defaultCountry !== undefined && !ZCountryCode.safeParse(input.defaultCountry).success) {
    throw new DomainError("VALIDATION_FAILED", `defaultCountry: ${input.defaultCountry} is not a country whose phone numbers are known`);
  }
  const passwordHash = await hashPassword(input.admin.password);
  return inTransaction({ deps }, async (tx) => {
    const tenantId = newId();
    await tx
      .insertInto("tenants")
      .values({
        id: tenantId,
        slug: input.slug,
        name: input.name,
        default_country: input.defaultCountry,
        time_zone: input.timeZone,
        locale: input.locale,
        ticket_prefix: input.ticketPrefix,
      })
      .execute();
    const adminId = newId();
    await tx
      .insertInto("users")
      .values({
        id: adminId,
        tenant_id: tenantId,
        email: input.admin.email.toLowerCase(),
        display_name: input.admin.name,
        password_hash: passwordHash,
        role: input.admin.role ?? "admin",
      })
      .execute();
    await tx
      .insertInto("audit_log")
      .values({ tenant_id: tenantId, actor_type: "system", actor_id: null, action: "tenant.created", entity_type: "tenant", entity_id: tenantId, changes: JSON.stringify({ slug: input.slug }) })
      .execute();
    return { tenantId, adminId };
  });
}
