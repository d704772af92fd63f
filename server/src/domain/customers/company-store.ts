import { randomInt } from "node:crypto";
import type { ServicePack } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { newId } from "../../platform/ids.ts";
import type { Ctx } from "../context.ts";
import { DomainError, found } from "../errors.ts";
import { diff, recordAudit } from "../shared/audit.ts";
import { searchTokens } from "../shared/search-tokens.ts";
import { changedFields, customerChanged } from "./customer-events.ts";
import { companyContactIds, refreshContactSearch } from "./contact-search.ts";

export interface CompanyDraft {
  name: string;
  customerGroupId?: string | null;
  verificationCode?: string;
  servicePack?: ServicePack | null;
  serviceExpiresOn?: string | null;
  address?: string;
  notes?: string;
  customFields?: Record<string, unknown>;
}

const CODE_ATTEMPTS = 10;

/** A random 6-digit code; never starts with 0 so that it survives spreadsheets. */
export function randomVerificationCode(): string {
  return String(randomInt(100_000, 1_000_000));
}

export async function requireCustomerGroup(tx: Executor, tenantId: string, groupId: string | null | undefined): Promise<void> {
  if (!groupId) return;
  found(await tx.selectFrom("customer_groups").select("id").where("tenant_id", "=", tenantId).where("id", "=", groupId).executeTakeFirst(), "customer group");
}

function companySearchTokens(row: { name: string; verification_code: string; address: string }): string {
  return searchTokens(row.name, row.verification_code, row.address);
}

/**
 * Inserts a company with its verification code: the given one (VERIFICATION_CODE_TAKEN when
 * another company has it) or a random one, drawn again on collision. Audited and announced.
 */
export async function insertCompany(tx: Executor, ctx: Ctx, draft: CompanyDraft): Promise<Row<"companies">> {
  await requireCustomerGroup(tx, ctx.tenantId, draft.customerGroupId);
  const now = ctx.deps.clock.now();
  const address = draft.address ?? "";
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = draft.verificationCode ?? randomVerificationCode();
    const row = await tx
      .insertInto("companies")
      .values({
        id: newId(now.getTime()),
        tenant_id: ctx.tenantId,
        customer_group_id: draft.customerGroupId ?? null,
        name: draft.name,
        verification_code: code,
        service_pack: draft.servicePack ?? null,
        service_expires_on: draft.serviceExpiresOn ?? null,
        address,
        notes: draft.notes ?? "",
        custom_fields: JSON.stringify(draft.customFields ?? {}),
        search_tokens: companySearchTokens({ name: draft.name, verification_code: code, address }),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "verification_code"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) {
      await recordAudit(tx, ctx, { action: "company.created", entityType: "company", entityId: row.id, changes: { name: row.name, verificationCode: code } });
      await customerChanged(tx, ctx.tenantId, "company", row, ["created"]);
      return row;
    }
    if (draft.verificationCode) throw codeTaken(draft.verificationCode);
  }
  throw new DomainError("CONFLICT", "could not find a free verification code; give one explicitly");
}

function codeTaken(code: string): DomainError {
  return new DomainError("VERIFICATION_CODE_TAKEN", `verification code ${code} belongs to another company`);
}

export type CompanyPatch = Partial<Omit<CompanyDraft, "verificationCode">> & { verificationCode?: string };

/** Applies a patch to a company row (already loaded in ctx's tenant); audited and announced. */
export async function updateCompanyRow(tx: Executor, ctx: Ctx, before: Row<"companies">, patch: CompanyPatch): Promise<Row<"companies">> {
  const set = {
    name: patch.name,
    customer_group_id: patch.customerGroupId,
    verification_code: patch.verificationCode,
    service_pack: patch.servicePack,
    service_expires_on: patch.serviceExpiresOn,
    address: patch.address,
    notes: patch.notes,
    custom_fields: patch.customFields,
  };
  const changes = diff(before, set);
  if (Object.keys(changes).length === 0) return before;
  if (changes.customer_group_id) await requireCustomerGroup(tx, ctx.tenantId, patch.customerGroupId);
  if (changes.verification_code && patch.verificationCode) {
    const holder = await tx
      .selectFrom("companies")
      .select("id")
      .where("tenant_id", "=", ctx.tenantId)
      .where("verification_code", "=", patch.verificationCode)
      .executeTakeFirst();
    if (holder) throw codeTaken(patch.verificationCode);
  }
  const next = {
    name: set.name ?? before.name,
    verification_code: set.verification_code ?? before.verification_code,
    address: set.address ?? before.address,
  };
  const row = await tx
    .updateTable("companies")
    .set({
      ...set,
      custom_fields: set.custom_fields === undefined ? undefined : JSON.stringify(set.custom_fields),
      search_tokens: companySearchTokens(next),
      updated_at: ctx.deps.clock.now(),
    })
    .where("tenant_id", "=", ctx.tenantId)
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (changes.name) await refreshContactSearch(tx, ctx.tenantId, await companyContactIds(tx, ctx.tenantId, row.id));
  await recordAudit(tx, ctx, { action: "company.updated", entityType: "company", entityId: row.id, changes });
  await customerChanged(tx, ctx.tenantId, "company", row, changedFields(changes));
  return row;
}

export async function lockCompany(tx: Executor, tenantId: string, companyId: string): Promise<Row<"companies">> {
  return found(
    await tx.selectFrom("companies").selectAll().where("tenant_id", "=", tenantId).where("id", "=", companyId).forUpdate().executeTakeFirst(),
    "company",
  );
}
