import type { Row } from "../../db/schema.ts";

type PolicyMatchFields = Pick<Row<"sla_policies">, "id" | "is_default" | "position" | "priorities" | "service_packs">;

/**
 * The policy for a ticket: the first non-default policy by position (then creation order) whose
 * priorities and service packs both match (an empty list matches anything), else the default
 * policy, else none. `servicePack` is the company's unexpired pack, or null.
 */
export function matchPolicy<P extends PolicyMatchFields>(policies: readonly P[], priority: string, servicePack: string | null): P | null {
  const ordered = [...policies].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hit = ordered.find(
    (p) =>
      !p.is_default &&
      (p.priorities.length === 0 || p.priorities.includes(priority)) &&
      (p.service_packs.length === 0 || (servicePack !== null && p.service_packs.includes(servicePack))),
  );
  return hit ?? ordered.find((p) => p.is_default) ?? null;
}
