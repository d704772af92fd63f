import { IDENTITY_KINDS, SERVICE_PACKS, type Company, type Contact, type CustomerGroup, type Identity, type IdentityKind, type ServicePack } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";
import { serviceStatus } from "./service-status.ts";

export function asServicePack(value: string | null): ServicePack | null {
  return SERVICE_PACKS.find((p) => p === value) ?? null;
}

export function asIdentityKind(value: string): IdentityKind {
  const kind = IDENTITY_KINDS.find((k) => k === value);
  if (!kind) throw new Error(`unknown identity kind in the database: ${value}`);
  return kind;
}

export function presentCustomerGroup(row: Row<"customer_groups">): CustomerGroup {
  return { id: row.id, name: row.name, description: row.description, createdAt: isoRequired(row.created_at), updatedAt: isoRequired(row.updated_at) };
}

/** `today` is the tenant's calendar date, for the service status. */
export function presentCompany(row: Row<"companies">, today: string): Company {
  const pack = asServicePack(row.service_pack);
  return {
    id: row.id,
    customerGroupId: row.customer_group_id,
    name: row.name,
    verificationCode: row.verification_code,
    servicePack: pack,
    serviceExpiresOn: row.service_expires_on,
    serviceStatus: serviceStatus(pack, row.service_expires_on, today),
    address: row.address,
    notes: row.notes,
    customFields: row.custom_fields,
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}

export function presentIdentity(row: Row<"identities">): Identity {
  return {
    id: row.id,
    contactId: row.contact_id,
    kind: asIdentityKind(row.kind),
    value: row.value,
    displayValue: row.display_value,
    verified: row.verified,
    createdAt: isoRequired(row.created_at),
  };
}

export function presentContact(row: Row<"contacts">, identities: Row<"identities">[], company: Company | null): Contact {
  return {
    id: row.id,
    companyId: row.company_id,
    name: row.name,
    title: row.title,
    language: row.language,
    isVip: row.is_vip,
    notes: row.notes,
    customFields: row.custom_fields,
    mergedIntoId: row.merged_into_id,
    identities: identities.map(presentIdentity),
    company,
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
    anonymous: row.anonymous,
  };
}
