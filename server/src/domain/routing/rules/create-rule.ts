import type { RoutingRule, RuleAction, RuleConditions } from "@yixian/contracts";
import { newId } from "../../../platform/ids.ts";
import { inTransaction, type Ctx } from "../../context.ts";
import { recordAudit } from "../../shared/audit.ts";
import { checkRuleRefs, lockRules, renumber } from "./check-rule-refs.ts";
import { prepareSpeech } from "./prepare-speech.ts";
import { presentRule } from "./rule-store.ts";

export interface CreateRule {
  name: string;
  enabled: boolean;
  conditions: RuleConditions;
  action: RuleAction;
  position?: number | undefined;
}

/** Adds a navigation rule at the given position (1 = evaluated first) or at the end. */
export async function createRule(ctx: Ctx, input: CreateRule): Promise<RoutingRule> {
  const rule = await inTransaction(ctx, async (tx) => {
    await checkRuleRefs(tx, ctx, input.conditions, input.action);
    const rules = await lockRules(tx, ctx.tenantId);
    const now = ctx.deps.clock.now();
    const at = Math.min(input.position ?? rules.length + 1, rules.length + 1);
    const id = newId(now.getTime());
    // the rules from `at` on move down one place; the others keep 1…at-1
    await renumber(tx, ctx.tenantId, [...rules.slice(0, at - 1), { id, position: at }, ...rules.slice(at - 1)], now);
    const row = await tx
      .insertInto("routing_rules")
      .values({
        id,
        tenant_id: ctx.tenantId,
        name: input.name,
        position: at,
        enabled: input.enabled,
        conditions: JSON.stringify(input.conditions),
        action: JSON.stringify(input.action),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "routing_rule.created", entityType: "routing_rule", entityId: id, changes: { name: input.name, position: at, conditions: input.conditions, action: input.action } });
    return presentRule(row);
  });
  prepareSpeech(ctx, rule.action);
  return rule;
}
