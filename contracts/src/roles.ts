import { z } from "zod";

export const ROLES = [
  "admin",
  "supervisor",
  "agent",
  "senior_agent",
  "vip_agent",
  "field_engineer",
  "quality_inspector",
  "service_operations",
] as const;
export const ZRole = z.enum(ROLES);
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "tenant:read",
  "tenant:manage",
  "user:read",
  "user:manage",
  "queue:read",
  "queue:manage",
  "customer:read",
  "customer:write",
  "customer:import",
  "customer:merge",
  "conversation:read",
  "conversation:write",
  "ticket:read",
  "ticket:write",
  "ticket:assign",
  "ticket:merge",
  "ticket:note",
  "rating:write",
  "category:manage",
  "attachment:write",
  "audit:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENT: Permission[] = [
  "tenant:read", "user:read", "queue:read",
  "customer:read", "customer:write",
  "conversation:read", "conversation:write",
  "ticket:read", "ticket:write", "ticket:assign", "ticket:note",
  "rating:write", "attachment:write",
];

/**
 * What each role may do. Field engineers see tickets (their jobs arrive through signed links
 * later) but cannot change customers; quality inspectors read everything and write notes.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  supervisor: [...AGENT, "ticket:merge", "customer:merge", "customer:import", "queue:manage", "audit:read", "category:manage"],
  agent: AGENT,
  senior_agent: [...AGENT, "ticket:merge", "customer:merge"],
  vip_agent: AGENT,
  field_engineer: ["tenant:read", "user:read", "customer:read", "ticket:read", "ticket:note", "attachment:write"],
  quality_inspector: ["tenant:read", "user:read", "queue:read", "customer:read", "conversation:read", "ticket:read", "ticket:note", "audit:read"],
  service_operations: [
    "tenant:read", "user:read", "queue:read",
    "customer:read", "customer:write", "customer:import", "customer:merge",
    "conversation:read", "ticket:read", "ticket:write", "ticket:note", "attachment:write",
  ],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
