import { ZRuleAction, ZRuleConditions, type RoutingRule } from "@yixian/contracts";
import type { Executor } from "../../../db/database.ts";
import type { Row } from "../../../db/schema.ts";
import { DomainError } from "../../errors.ts";
import { isoRequired } from "../../shared/pagination.ts";
import type { RuleInput } from "./evaluate.ts";

/** A stored rule for the evaluator; conditions it cannot read make it never match. */
export function ruleInput(row: Row<"routing_rules">): RuleInput | null {
  const action = ZRuleAction.safeParse(row.action);
  if (!action.success) return null;
  const conditions = ZRuleConditions.safeParse(row.conditions);
  return { id: row.id, name: row.name, position: row.position, enabled: row.enabled, conditions: conditions.success ? conditions.data : null, action: action.data };
}

export function presentRule(row: Row<"routing_rules">): RoutingRule {
  const input = ruleInput(row);
  if (!input) throw new DomainError("INTERNAL", `routing rule ${row.id} has an unreadable action`);
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    conditions: input.conditions ?? {},
    action: input.action,
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}

export async function loadRules(db: Executor, tenantId: string): Promise<Row<"routing_rules">[]> {
  return db.selectFrom("routing_rules").selectAll().where("tenant_id", "=", tenantId).orderBy("position").orderBy("id").execute();
}
