import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";
import { ZCountryCode } from "./countries.ts";
import { PERMISSIONS, ZRole } from "./roles.ts";

export const ZLoginRequest = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

export const ZSessionUser = z.object({
  id: ZId,
  tenantId: ZId,
  role: ZRole,
  name: z.string(),
  email: z.string(),
});

export const ZLoginResponse = z.object({
  token: z.string().describe("Bearer token; the same session is also set as an httpOnly cookie"),
  expiresAt: ZTimestamp,
  user: ZSessionUser,
});

export const ZTenant = z.object({
  id: ZId,
  slug: z.string(),
  name: z.string(),
  defaultCountry: z.string().length(2),
  timeZone: z.string(),
  locale: z.enum(["zh-CN", "en"]),
  ticketPrefix: z.string(),
  chatDuringVoice: z.boolean().describe("Routing: may an agent on a call still be offered chats and e-mails?"),
  createdAt: ZTimestamp,
});
export type Tenant = z.infer<typeof ZTenant>;

export const ZUpdateTenant = z
  .object({
    name: z.string().trim().min(1).max(200),
    defaultCountry: ZCountryCode,
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "unknown IANA time zone"),
    locale: z.enum(["zh-CN", "en"]),
    ticketPrefix: z.string().regex(/^[A-Z][A-Z0-9]{0,9}$/, "1–10 capital letters or digits"),
    chatDuringVoice: z.boolean(),
  })
  .partial();

export const ZMe = z.object({
  user: ZSessionUser,
  tenant: ZTenant,
  permissions: z.array(z.enum(PERMISSIONS)),
});

export const ZUserSkill = z.object({ skillId: ZId, name: z.string(), level: z.number().int().min(1).max(10) });

export const ZUser = z.object({
  id: ZId,
  email: z.string(),
  name: z.string(),
  role: ZRole,
  phone: z.string().nullable(),
  locale: z.string().nullable(),
  active: z.boolean(),
  skills: z.array(ZUserSkill),
  queueIds: z.array(ZId),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type User = z.infer<typeof ZUser>;

export const ZCreateUser = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
  role: ZRole,
  password: z.string().min(10, "at least 10 characters").max(200),
  phone: z.string().max(40).nullable().optional(),
  locale: z.enum(["zh-CN", "en"]).nullable().optional(),
});

export const ZUpdateUser = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: ZRole,
    password: z.string().min(10, "at least 10 characters").max(200),
    phone: z.string().max(40).nullable(),
    locale: z.enum(["zh-CN", "en"]).nullable(),
    active: z.boolean(),
    skills: z.array(z.object({ skillId: ZId, level: z.number().int().min(1).max(10) })).max(100),
  })
  .partial();

export const ZUserListQuery = z.object({
  role: ZRole.optional(),
  q: z.string().max(100).optional(),
  queueId: ZId.optional(),
  active: z.enum(["true", "false"]).optional(),
});

export const ZSkill = z.object({ id: ZId, name: z.string(), createdAt: ZTimestamp });
export const ZCreateSkill = z.object({ name: z.string().trim().min(1).max(100) });

export const ZQueue = z.object({
  id: ZId,
  name: z.string(),
  description: z.string(),
  memberIds: z.array(ZId),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export const ZCreateQueue = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).default(""),
  memberIds: z.array(ZId).max(1000).default([]),
});
export const ZUpdateQueue = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000),
    memberIds: z.array(ZId).max(1000),
  })
  .partial();

export const ZAuditEntry = z.object({
  id: z.number().int(),
  actorType: z.enum(["user", "contact", "system", "integration"]),
  actorId: ZId.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()),
  createdAt: ZTimestamp,
});
export const ZAuditQuery = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actorId: ZId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
