import type { Deps } from "../context.ts";
import { inTransaction, systemCtx } from "../context.ts";
import { lockLiveContact, updateContactRow } from "../customers/contact-store.ts";

export interface KeyedCode {
  tenantId: string;
  conversationId: string;
  /** The digits the caller keyed (without the closing #). */
  code: string;
}

/**
 * An unknown caller keyed a service verification code: when a company of the tenant holds it, the
 * call's contact (new with this number, or known without a company) is linked to that company —
 * the screen pop, entitlement and the navigation rules then see the company's pack — and the
 * company is answered. Null for a code no company holds. A contact that already belongs to a
 * company keeps it.
 */
export async function identifyCallerByCode(deps: Deps, keyed: KeyedCode): Promise<{ companyId: string } | null> {
  const code = keyed.code.trim();
  if (!/^[0-9]{4,12}$/.test(code)) return null;
  const ctx = systemCtx(deps, keyed.tenantId);
  return inTransaction(ctx, async (tx) => {
    const company = await tx.selectFrom("companies").select("id").where("tenant_id", "=", ctx.tenantId).where("verification_code", "=", code).executeTakeFirst();
    if (!company) return null;
    const conversation = await tx.selectFrom("conversations").select("contact_id").where("tenant_id", "=", ctx.tenantId).where("id", "=", keyed.conversationId).executeTakeFirstOrThrow();
    if (conversation.contact_id) {
      const contact = await lockLiveContact(tx, ctx.tenantId, conversation.contact_id);
      if (!contact.company_id) await updateContactRow(tx, ctx, contact, { companyId: company.id });
    }
    return { companyId: company.id };
  });
}
