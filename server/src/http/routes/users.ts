import {
  ZAuditEntry,
  ZAuditQuery,
  ZCreateQueueDetail,
  ZCreateSkill,
  ZCreateUser,
  ZId,
  ZQueueDetail,
  ZSkill,
  ZTenant,
  ZUpdateQueueDetail,
  ZUpdateTenant,
  ZUpdateUser,
  ZUser,
  ZUserListQuery,
  page,
} from "@yixian/contracts";
import { z } from "zod";
import { listAudit } from "../../domain/audit/list-audit.ts";
import { createQueue, getQueue, listQueues, updateQueue } from "../../domain/queues/queues.ts";
import { createSkill, listSkills } from "../../domain/queues/skills.ts";
import { getTenant } from "../../domain/tenants/get-tenant.ts";
import { updateTenant } from "../../domain/tenants/update-tenant.ts";
import { createUser } from "../../domain/users/create-user.ts";
import { getUser } from "../../domain/users/get-user.ts";
import { listUsers } from "../../domain/users/list-users.ts";
import { updateUser } from "../../domain/users/update-user.ts";
import { defineRoute } from "../route.ts";

const UserParams = z.object({ userId: ZId });
const QueueParams = z.object({ queueId: ZId });

const tenantRoutes = [
  defineRoute({ method: "get", path: "/tenant", tag: "tenant", summary: "Your tenant's settings", auth: "tenant:read", response: ZTenant, handler: ({ ctx }) => getTenant(ctx) }),
  defineRoute({
    method: "patch",
    path: "/tenant",
    tag: "tenant",
    summary: "Change your tenant's name, default country, time zone, language or ticket prefix",
    auth: "tenant:manage",
    body: ZUpdateTenant,
    response: ZTenant,
    example: { timeZone: "Asia/Shanghai", defaultCountry: "CN", ticketPrefix: "YX" },
    handler: ({ ctx, body }) => updateTenant(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/audit-log",
    tag: "audit",
    summary: "Who changed what, newest first",
    auth: "audit:read",
    query: ZAuditQuery,
    response: page(ZAuditEntry),
    handler: ({ ctx, query }) => listAudit(ctx, query),
  }),
];

const peopleRoutes = [
  defineRoute({ method: "get", path: "/users", tag: "users", summary: "List users (agents, engineers, supervisors …)", auth: "user:read", query: ZUserListQuery, response: z.array(ZUser), handler: ({ ctx, query }) => listUsers(ctx, query) }),
  defineRoute({
    method: "post",
    path: "/users",
    tag: "users",
    summary: "Create a user with a role",
    auth: "user:manage",
    status: 201,
    body: ZCreateUser,
    response: ZUser,
    example: { email: "li.lei@example.com", name: "李雷", role: "agent", password: "a-long-password" },
    handler: ({ ctx, body }) => createUser(ctx, body),
  }),
  defineRoute({ method: "get", path: "/users/{userId}", tag: "users", summary: "One user", auth: "user:read", params: UserParams, response: ZUser, handler: ({ ctx, params }) => getUser(ctx, params.userId) }),
  defineRoute({
    method: "patch",
    path: "/users/{userId}",
    tag: "users",
    summary: "Change a user's name, role, password, activity or skills",
    auth: "user:manage",
    params: UserParams,
    body: ZUpdateUser,
    response: ZUser,
    example: { role: "senior_agent", active: true },
    handler: ({ ctx, params, body }) => updateUser(ctx, params.userId, body),
  }),
  defineRoute({ method: "get", path: "/skills", tag: "queues", summary: "List skills", auth: "queue:read", response: z.array(ZSkill), handler: ({ ctx }) => listSkills(ctx) }),
  defineRoute({
    method: "post",
    path: "/skills",
    tag: "queues",
    summary: "Create a skill",
    auth: "queue:manage",
    status: 201,
    body: ZCreateSkill,
    response: ZSkill,
    example: { name: "金蝶财务" },
    handler: ({ ctx, body }) => createSkill(ctx, body),
  }),
  defineRoute({ method: "get", path: "/queues", tag: "queues", summary: "List queues (skill groups) and their members", auth: "queue:read", response: z.array(ZQueueDetail), handler: ({ ctx }) => listQueues(ctx) }),
  defineRoute({
    method: "post",
    path: "/queues",
    tag: "queues",
    summary: "Create a queue",
    auth: "queue:manage",
    status: 201,
    body: ZCreateQueueDetail,
    response: ZQueueDetail,
    example: { name: "财务软件热线", description: "Finance software hotline", memberIds: [], strategy: "least_busy", wrapUpSeconds: 30, serviceLevelSeconds: 20 },
    handler: ({ ctx, body }) => createQueue(ctx, body),
  }),
  defineRoute({ method: "get", path: "/queues/{queueId}", tag: "queues", summary: "One queue", auth: "queue:read", params: QueueParams, response: ZQueueDetail, handler: ({ ctx, params }) => getQueue(ctx, params.queueId) }),
  defineRoute({
    method: "patch",
    path: "/queues/{queueId}",
    tag: "queues",
    summary: "Rename a queue, replace its members, or change its routing configuration",
    auth: "queue:manage",
    params: QueueParams,
    body: ZUpdateQueueDetail,
    response: ZQueueDetail,
    example: { description: "Finance software hotline, 9–18h" },
    handler: ({ ctx, params, body }) => updateQueue(ctx, params.queueId, body),
  }),
];

export const userRoutes = [...tenantRoutes, ...peopleRoutes];
