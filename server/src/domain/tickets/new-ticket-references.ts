import { CompiledQuery } from "kysely";
import type { Ctx } from "../context.ts";
import { fieldDefinitions } from "../custom-fields/load-definitions.ts";
import type { FieldDefinition } from "../custom-fields/validate-custom-fields.ts";
import { DomainError, found } from "../errors.ts";

export interface NewTicketReferences {
  contactId?: string | null;
  /** Undefined: the contact's company. */
  companyId?: string | null;
  categoryId?: string | null;
  queueId?: string | null;
  assigneeId?: string | null;
}

interface Found {
  contact_id: string | null;
  contact_company_id: string | null;
  contact_merged_into_id: string | null;
  company_id: string | null;
  category_id: string | null;
  queue_id: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  assignee_active: boolean | null;
  definitions: { key: string; type: string; options: unknown[]; required: boolean }[];
}

/**
 * Every record a new ticket names, looked up in ctx's tenant, and the tenant's ticket field
 * definitions: one statement, written out. $4: whether a company was given ($3, may be null)
 * rather than taken from the contact.
 */
const REFERENCES = `select
  c.id as contact_id, c.company_id as contact_company_id, c.merged_into_id as contact_merged_into_id,
  co.id as company_id,
  (select id from categories where tenant_id = $1 and id = $5::uuid) as category_id,
  (select id from queues where tenant_id = $1 and id = $6::uuid) as queue_id,
  u.id as assignee_id, u.display_name as assignee_name, u.is_active as assignee_active,
  (select coalesce(json_agg(json_build_object('key', d.key, 'type', d.type, 'options', d.options, 'required', d.required)), '[]'::json)
    from custom_field_definitions d where d.tenant_id = $1 and d.entity = 'ticket') as definitions
from (select $1::uuid as tenant_id) te
left join contacts c on c.tenant_id = te.tenant_id and c.id = $2::uuid
left join companies co on co.tenant_id = te.tenant_id and co.id = (case when $4::boolean then $3::uuid else c.company_id end)
left join users u on u.tenant_id = te.tenant_id and u.id = $7::uuid`;

/**
 * Checks a new ticket's references as `findContact`, `findCompany`, `findCategory`, `findQueue`
 * and `findAssignableUser` would, in that order (NOT_FOUND, CONTACT_MERGED, a deactivated
 * assignee), with one round trip, and returns the tenant's ticket field definitions (to check the
 * fields before the ticket statement, which checks the references again).
 */
export async function checkNewTicketReferences(ctx: Ctx, refs: NewTicketReferences): Promise<FieldDefinition[]> {
  const given = refs.companyId !== undefined;
  const parameters = [ctx.tenantId, refs.contactId ?? null, refs.companyId ?? null, given, refs.categoryId ?? null, refs.queueId ?? null, refs.assigneeId ?? null];
  const row = (await ctx.deps.db.executeQuery(CompiledQuery.raw(REFERENCES, parameters))).rows[0] as Found | undefined;
  if (!row) throw new Error("the references statement answered no row");
  if (refs.contactId) {
    found(row.contact_id, "contact");
    if (row.contact_merged_into_id) throw new DomainError("CONTACT_MERGED", `the contact was merged into ${row.contact_merged_into_id}; use that contact`);
  }
  const companyId = given ? (refs.companyId ?? null) : row.contact_company_id;
  if (companyId) found(row.company_id, "company");
  if (refs.categoryId) found(row.category_id, "category");
  if (refs.queueId) found(row.queue_id, "queue");
  if (refs.assigneeId) {
    found(row.assignee_id, "user");
    if (!row.assignee_active) throw new DomainError("VALIDATION_FAILED", `${row.assignee_name} is deactivated and cannot be assigned tickets`);
  }
  return fieldDefinitions(row.definitions);
}
