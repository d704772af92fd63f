import { z } from "zod";
import { ZId, ZPageQuery, ZTimestamp } from "./common.ts";

/** Ways a customer can reach us; (kind, value) finds the contact in one probe. */
export const IDENTITY_KINDS = ["phone", "email", "wechat_openid", "wecom_external_id", "visitor_id"] as const;
export const ZIdentityKind = z.enum(IDENTITY_KINDS);
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const SERVICE_PACKS = ["online", "standard", "vip", "value_added"] as const;
export const ZServicePack = z.enum(SERVICE_PACKS);
export type ServicePack = (typeof SERVICE_PACKS)[number];

/** Entitlement on the tenant's calendar today: 'expiring' means within 30 days. */
export const SERVICE_STATUSES = ["active", "expiring", "expired", "none"] as const;
export const ZServiceStatus = z.enum(SERVICE_STATUSES);
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const ZCalendarDate = z.iso.date().describe("Calendar date, YYYY-MM-DD");
export const ZVerificationCode = z.string().regex(/^[0-9]{4,12}$/, "4–12 digits").describe("Service verification code (服务验证码)");
const ZCustomFields = z.record(z.string(), z.unknown());

// Customer groups
export const ZCustomerGroup = z.object({
  id: ZId,
  name: z.string(),
  description: z.string(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type CustomerGroup = z.infer<typeof ZCustomerGroup>;

export const ZCreateCustomerGroup = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).default(""),
});
export const ZUpdateCustomerGroup = z
  .object({ name: z.string().trim().min(1).max(100), description: z.string().max(1000) })
  .partial();

// Companies
export const ZCompany = z.object({
  id: ZId,
  customerGroupId: ZId.nullable(),
  name: z.string(),
  verificationCode: z.string(),
  servicePack: ZServicePack.nullable(),
  serviceExpiresOn: z.string().nullable().describe("Last day of service, YYYY-MM-DD"),
  serviceStatus: ZServiceStatus,
  address: z.string(),
  notes: z.string(),
  customFields: ZCustomFields,
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Company = z.infer<typeof ZCompany>;

export const ZCreateCompany = z.object({
  name: z.string().trim().min(1).max(200),
  customerGroupId: ZId.nullable().optional(),
  verificationCode: ZVerificationCode.optional().describe("A random 6-digit code is generated when omitted"),
  servicePack: ZServicePack.nullable().optional(),
  serviceExpiresOn: ZCalendarDate.nullable().optional(),
  address: z.string().max(500).default(""),
  notes: z.string().max(5000).default(""),
  customFields: ZCustomFields.default({}),
});
export type CreateCompany = z.infer<typeof ZCreateCompany>;

export const ZUpdateCompany = z
  .object({
    name: z.string().trim().min(1).max(200),
    customerGroupId: ZId.nullable(),
    verificationCode: ZVerificationCode,
    servicePack: ZServicePack.nullable(),
    serviceExpiresOn: ZCalendarDate.nullable(),
    address: z.string().max(500),
    notes: z.string().max(5000),
    customFields: ZCustomFields,
  })
  .partial();
export type UpdateCompany = z.infer<typeof ZUpdateCompany>;

export const ZCompanyListQuery = ZPageQuery.extend({
  q: z.string().max(100).optional().describe("Words of the name, or the verification code"),
  customerGroupId: ZId.optional(),
  servicePack: ZServicePack.optional(),
  expiresBefore: ZCalendarDate.optional().describe("Only companies whose service ends before this date"),
});

// Contacts and identities
export const ZIdentity = z.object({
  id: ZId,
  contactId: ZId,
  kind: ZIdentityKind,
  value: z.string().describe("Normalised: E.164 for phones, lower case for e-mail"),
  displayValue: z.string().describe("As the person typed it"),
  verified: z.boolean(),
  createdAt: ZTimestamp,
});
export type Identity = z.infer<typeof ZIdentity>;

export const ZIdentityInput = z.object({
  kind: ZIdentityKind,
  value: z.string().trim().min(1).max(320),
  verified: z.boolean().default(false),
});
export type IdentityInput = z.infer<typeof ZIdentityInput>;

export const ZContact = z.object({
  id: ZId,
  companyId: ZId.nullable(),
  name: z.string(),
  title: z.string(),
  language: z.string().nullable(),
  isVip: z.boolean(),
  notes: z.string(),
  customFields: ZCustomFields,
  mergedIntoId: ZId.nullable().describe("Set when this contact was merged into another; look there instead"),
  identities: z.array(ZIdentity),
  company: ZCompany.nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
  anonymous: z.boolean().describe("An unidentified web-chat visitor (访客 1234): identify them or create their contact from the conversation"),
});
export type Contact = z.infer<typeof ZContact>;

export const ZCreateContact = z.object({
  name: z.string().trim().min(1).max(100),
  companyId: ZId.nullable().optional(),
  title: z.string().max(100).default(""),
  language: z.string().max(20).nullable().optional(),
  isVip: z.boolean().default(false),
  notes: z.string().max(5000).default(""),
  customFields: ZCustomFields.default({}),
  identities: z.array(ZIdentityInput).max(50).default([]),
});
export type CreateContact = z.infer<typeof ZCreateContact>;

export const ZUpdateContact = z
  .object({
    name: z.string().trim().min(1).max(100),
    companyId: ZId.nullable(),
    title: z.string().max(100),
    language: z.string().max(20).nullable(),
    isVip: z.boolean(),
    notes: z.string().max(5000),
    customFields: ZCustomFields,
  })
  .partial();
export type UpdateContact = z.infer<typeof ZUpdateContact>;

export const ZContactListQuery = ZPageQuery.extend({
  q: z.string().max(100).optional().describe("Name, title, company, phone number or e-mail"),
  companyId: ZId.optional(),
});

export const ZMergeContacts = z.object({ sourceContactId: ZId });

// Identification (caller ID, screen pop)
export const ZIdentifyQuery = z
  .object({
    phone: z.string().trim().min(1).max(64),
    email: z.string().trim().min(1).max(320),
    wechatOpenid: z.string().trim().min(1).max(320),
    wecomExternalId: z.string().trim().min(1).max(320),
    visitorId: z.string().trim().min(1).max(320),
    verificationCode: z.string().trim().min(1).max(12),
  })
  .partial()
  .refine((q) => Object.values(q).filter((v) => v !== undefined).length <= 1, "give one of phone, email, wechatOpenid, wecomExternalId, visitorId, verificationCode, not several");
export type IdentifyQuery = z.infer<typeof ZIdentifyQuery>;

export const ZIdentifyResult = z.object({
  contact: ZContact.nullable(),
  company: ZCompany.nullable(),
  identity: ZIdentity.nullable(),
  matchedBy: z.enum([...IDENTITY_KINDS, "verification_code"]).nullable().describe("null when nobody matched (or nothing was asked)"),
});
export type IdentifyResult = z.infer<typeof ZIdentifyResult>;

// Bulk import
export const ZImportError = z.object({
  row: z.number().int().describe("Row in the sheet; the header is row 1"),
  column: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export const ZImportCounts = z.object({ companies: z.number().int(), contacts: z.number().int() });
export const ZImportResult = z.object({
  created: ZImportCounts,
  updated: ZImportCounts,
  errors: z.array(ZImportError),
});
export type ImportResult = z.infer<typeof ZImportResult>;
export type ImportError = z.infer<typeof ZImportError>;
