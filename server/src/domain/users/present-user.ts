import { ZRole, type User } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

/** Users with their skills and queues, loaded in two queries for any number of users. */
export async function presentUsers(db: Executor, tenantId: string, rows: Row<"users">[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // sequential: inside a transaction both go over the one connection anyway
  const skills = await db
      .selectFrom("user_skills as us")
      .innerJoin("skills as s", "s.id", "us.skill_id")
      .select(["us.user_id", "us.skill_id", "us.level", "s.name"])
      .where("us.tenant_id", "=", tenantId)
      .where("us.user_id", "in", ids)
      .orderBy("s.name")
      .execute();
  const queues = await db.selectFrom("queue_members").select(["user_id", "queue_id"]).where("tenant_id", "=", tenantId).where("user_id", "in", ids).execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.display_name,
    role: ZRole.parse(row.role),
    phone: row.phone,
    locale: row.locale,
    active: row.is_active,
    skills: skills.filter((s) => s.user_id === row.id).map((s) => ({ skillId: s.skill_id, name: s.name, level: s.level })),
    queueIds: queues.filter((q) => q.user_id === row.id).map((q) => q.queue_id),
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  }));
}

export async function presentUser(db: Executor, tenantId: string, row: Row<"users">): Promise<User> {
  const [user] = await presentUsers(db, tenantId, [row]);
  return user!;
}
