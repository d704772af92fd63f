import { roleCan, type Permission, type Role } from "@yixian/contracts";
import { DomainError } from "../domain/errors.ts";

/** What each permission lets a role do, for the refusal's message. Exhaustive: a new permission needs its words. */
const DOES: Record<Permission, string> = {
  "tenant:read": "read the tenant's settings",
  "tenant:manage": "manage the tenant's settings",
  "user:read": "read users",
  "user:manage": "manage users",
  "queue:read": "read queues",
  "queue:manage": "manage queues",
  "customer:read": "read customers",
  "customer:write": "change customers",
  "customer:import": "import customers",
  "customer:merge": "merge customers",
  "conversation:read": "read conversations",
  "conversation:write": "answer conversations",
  "ticket:read": "read tickets",
  "ticket:write": "change tickets",
  "ticket:assign": "assign tickets",
  "ticket:merge": "merge tickets",
  "ticket:note": "note on tickets",
  "rating:write": "rate",
  "category:manage": "manage categories",
  "attachment:write": "upload files",
  "audit:read": "read the audit log",
};

/** Throws FORBIDDEN, with the one message every transport gives, when the role lacks the permission. */
export function requirePermission(user: { role: Role }, permission: Permission): void {
  if (!roleCan(user.role, permission)) throw new DomainError("FORBIDDEN", `your role (${user.role}) may not ${DOES[permission]}`);
}
