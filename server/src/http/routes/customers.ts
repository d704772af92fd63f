import {
  ZCompany,
  ZCompanyListQuery,
  ZContact,
  ZContactListQuery,
  ZCreateCompany,
  ZCreateContact,
  ZCreateCustomerGroup,
  ZCustomerGroup,
  ZId,
  ZIdentifyQuery,
  ZIdentifyResult,
  ZIdentity,
  ZIdentityInput,
  ZImportResult,
  ZMergeContacts,
  ZPageQuery,
  ZUpdateCompany,
  ZUpdateContact,
  ZUpdateCustomerGroup,
  page,
} from "@yixian/contracts";
import { z } from "zod";
import { addIdentity } from "../../domain/customers/add-identity.ts";
import { createCompany } from "../../domain/customers/create-company.ts";
import { createContact } from "../../domain/customers/create-contact.ts";
import { createCustomerGroup } from "../../domain/customers/create-customer-group.ts";
import { getCompany } from "../../domain/customers/get-company.ts";
import { getContact } from "../../domain/customers/get-contact.ts";
import { getCustomerGroup } from "../../domain/customers/get-customer-group.ts";
import { identify } from "../../domain/customers/identify.ts";
import { importCustomers } from "../../domain/customers/import/import-customers.ts";
import { listCompanies } from "../../domain/customers/list-companies.ts";
import { listContacts } from "../../domain/customers/list-contacts.ts";
import { listCustomerGroups } from "../../domain/customers/list-customer-groups.ts";
import { mergeContacts } from "../../domain/customers/merge-contacts.ts";
import { removeIdentity } from "../../domain/customers/remove-identity.ts";
import { updateCompany } from "../../domain/customers/update-company.ts";
import { updateContact } from "../../domain/customers/update-contact.ts";
import { updateCustomerGroup } from "../../domain/customers/update-customer-group.ts";
import { readAll, receiveFile } from "../multipart.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const GroupParams = z.object({ customerGroupId: ZId });
const CompanyParams = z.object({ companyId: ZId });
const ContactParams = z.object({ contactId: ZId });
const IdentityParams = z.object({ contactId: ZId, identityId: ZId });
const tag = "customers";

const groupRoutes = [
  defineRoute({
    method: "get",
    path: "/customer-groups",
    tag,
    summary: "Customer groups, by name",
    auth: "customer:read",
    query: ZPageQuery,
    response: page(ZCustomerGroup),
    handler: ({ ctx, query }) => listCustomerGroups(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/customer-groups",
    tag,
    summary: "Create a customer group; a name already in use is NAME_TAKEN",
    auth: "customer:write",
    body: ZCreateCustomerGroup,
    response: ZCustomerGroup,
    status: 201,
    example: { name: "华东代理商", description: "Dealers in East China" },
    handler: ({ ctx, body }) => createCustomerGroup(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/customer-groups/{customerGroupId}",
    tag,
    summary: "One customer group",
    auth: "customer:read",
    params: GroupParams,
    response: ZCustomerGroup,
    handler: ({ ctx, params }) => getCustomerGroup(ctx, params.customerGroupId),
  }),
  defineRoute({
    method: "patch",
    path: "/customer-groups/{customerGroupId}",
    tag,
    summary: "Rename or describe a customer group",
    auth: "customer:write",
    params: GroupParams,
    body: ZUpdateCustomerGroup,
    response: ZCustomerGroup,
    example: { description: "Dealers in Shanghai, Jiangsu and Zhejiang" },
    handler: ({ ctx, params, body }) => updateCustomerGroup(ctx, params.customerGroupId, body),
  }),
];

const companyRoutes = [
  defineRoute({
    method: "get",
    path: "/companies",
    tag,
    summary: "Companies by name: search by name or verification code, filter by group, service pack, expiry",
    auth: "customer:read",
    query: ZCompanyListQuery,
    response: page(ZCompany),
    handler: ({ ctx, query }) => listCompanies(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/companies",
    tag,
    summary: "Create a company; without a verification code it gets a random 6-digit one",
    auth: "customer:write",
    body: ZCreateCompany,
    response: ZCompany,
    status: 201,
    example: {
      name: "上海一线软件有限公司",
      customerGroupId: "0190f3a2-7c1e-7d2a-9b3c-1d2e3f4a5b6c",
      servicePack: "vip",
      serviceExpiresOn: "2026-06-30",
      address: "上海市浦东新区",
    },
    handler: ({ ctx, body }) => createCompany(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/companies/{companyId}",
    tag,
    summary: "One company with its service status today",
    auth: "customer:read",
    params: CompanyParams,
    response: ZCompany,
    handler: ({ ctx, params }) => getCompany(ctx, params.companyId),
  }),
  defineRoute({
    method: "patch",
    path: "/companies/{companyId}",
    tag,
    summary: "Change a company: name, group, verification code, service pack and expiry …",
    auth: "customer:write",
    params: CompanyParams,
    body: ZUpdateCompany,
    response: ZCompany,
    example: { servicePack: "standard", serviceExpiresOn: "2027-06-30" },
    handler: ({ ctx, params, body }) => updateCompany(ctx, params.companyId, body),
  }),
];

const contactRoutes = [
  defineRoute({
    method: "get",
    path: "/contacts",
    tag,
    summary: "Contacts by name (merged ones hidden): search by name, company, phone in any form or e-mail",
    auth: "customer:read",
    query: ZContactListQuery,
    response: page(ZContact),
    handler: ({ ctx, query }) => listContacts(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/contacts",
    tag,
    summary: "Create a contact with their phones, e-mails, WeChat ids …; one owned by another contact is IDENTITY_TAKEN",
    auth: "customer:write",
    body: ZCreateContact,
    response: ZContact,
    status: 201,
    example: {
      name: "李雷",
      title: "财务主管",
      companyId: "0190f3a2-7c1e-7d2a-9b3c-1d2e3f4a5b6c",
      identities: [
        { kind: "phone", value: "138 0013 8000" },
        { kind: "email", value: "li.lei@example.com" },
      ],
    },
    handler: ({ ctx, body }) => createContact(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/contacts/{contactId}",
    tag,
    summary: "One contact with company and identities; a merged one answers with mergedIntoId",
    auth: "customer:read",
    params: ContactParams,
    response: ZContact,
    handler: ({ ctx, params }) => getContact(ctx, params.contactId),
  }),
  defineRoute({
    method: "patch",
    path: "/contacts/{contactId}",
    tag,
    summary: "Change a contact's name, company, title, language, VIP flag, notes …",
    auth: "customer:write",
    params: ContactParams,
    body: ZUpdateContact,
    response: ZContact,
    example: { title: "总经理", isVip: true },
    handler: ({ ctx, params, body }) => updateContact(ctx, params.contactId, body),
  }),
  defineRoute({
    method: "post",
    path: "/contacts/{contactId}/identities",
    tag,
    summary: "Give a contact another phone, e-mail, WeChat id or visitor id",
    auth: "customer:write",
    params: ContactParams,
    body: ZIdentityInput,
    response: ZIdentity,
    status: 201,
    example: { kind: "phone", value: "021-6123 4567" },
    handler: ({ ctx, params, body }) => addIdentity(ctx, params.contactId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/contacts/{contactId}/identities/{identityId}",
    tag,
    summary: "Remove one of a contact's identities",
    auth: "customer:write",
    params: IdentityParams,
    status: 204,
    handler: ({ ctx, params }) => removeIdentity(ctx, params.contactId, params.identityId),
  }),
  defineRoute({
    method: "post",
    path: "/contacts/{contactId}/merge",
    tag,
    summary: "Merge another contact (the same person) into this one: identities, conversations, tickets and ratings move here",
    auth: "customer:merge",
    params: ContactParams,
    body: ZMergeContacts,
    response: ZContact,
    example: { sourceContactId: "0190f3a2-7c1e-7d2a-9b3c-1d2e3f4a5b6c" },
    handler: ({ ctx, params, body }) => mergeContacts(ctx, params.contactId, body.sourceContactId),
  }),
];

const lookupRoutes = [
  defineRoute({
    method: "get",
    path: "/identify",
    tag,
    summary: "Who is this? Give one of phone (any form), email, wechatOpenid, wecomExternalId, visitorId or verificationCode",
    auth: "customer:read",
    query: ZIdentifyQuery,
    response: ZIdentifyResult,
    handler: ({ ctx, query }) => identify(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/imports/customers",
    tag,
    summary:
      "Import companies and contacts from CSV or .xlsx (field `file`). Columns: company, verification_code, service_pack, service_expires_on, group, contact_name, title, phone, email (or 公司, 服务验证码, 服务包, 到期日, 客户组, 联系人, 职务, 电话, 邮箱)",
    auth: "customer:import",
    requestContentType: "multipart/form-data",
    response: ZImportResult,
    handler: async ({ ctx, deps, req }) => {
      const upload = await receiveFile(req, {
        field: "file",
        maxBytes: deps.config.maxUploadBytes,
        store: async (file) => ({ filename: file.filename, contentType: file.contentType, data: await readAll(file.body) }),
      });
      return importCustomers(ctx, upload);
    },
  }),
];

export const customerRoutes: AnyRoute[] = [...groupRoutes, ...companyRoutes, ...contactRoutes, ...lookupRoutes];
