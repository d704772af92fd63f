import type { RoutingRule, RuleAction, RuleConditions } from "@yixian/contracts";
import { inTransaction, type Ctx } from "../../context.ts";
import { DomainError, found } from "../../errors.ts";
import { diff, recordAudit } from "../../shared/audit.ts";
import { checkRuleRefs, lockRules, renumber } from "./check-rule-refs.ts";
import { prepareSpeech } from "./prepare-speech.ts";
import { loadRules, presentRule } from "./rule-store.ts";

export async function listRules(ctx: Ctx): Promise<RoutingRule[]> {
  return (await loadRules(ctx.deps.db, ctx.tenantId)).map(presentRule);
}

export interface UpdateRule {
  name?: string | undefined;
  enabled?: boolean | undefined;
  conditions?: RuleConditions | undefined;
  action?: RuleAction | undefined;
}

/** Renames, enables or disables a rule, or replaces its conditions or action. */
export async function updateRule(ctx: Ctx, ruleId: string, input: UpdateRule): Promise<RoutingRule> {
  const rule = await inTransaction(ctx, async (tx) => {
    const before = found(await tx.selectFrom("routing_rules").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", ruleId).forUpdate().executeTakeFirst(), "routing rule");
    await checkRuleRefs(tx, ctx, input.conditions, input.action);
    const changes = diff({ name: before.name, enabled: before.enabled, conditions: before.conditions, action: before.action }, input);
    const row = await tx
      .updateTable("routing_rules")
      .set({
        name: input.name,
        enabled: input.enabled,
        ...(input.conditions ? { conditions: JSON.stringify(input.conditions) } : {}),
        ...(input.action ? { action: JSON.stringify(input.action) } : {}),
        updated_at: ctx.deps.clock.now(),
      })
      .where("tenant_id", "=", ctx.tenantId)
      .where("id", "=", ruleId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { action: "routing_rule.updated", entityType: "routing_rule", entityId: ruleId, changes });
    return presentRule(row);
  });
  prepareSpeech(ctx, rule.action);
  return rule;
}

/** Deletes a rule; the ones after it move up. Work items it routed keep their recorded decision. */
export async function deleteRule(ctx: Ctx, ruleId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const rules = await lockRules(tx, ctx.tenantId);
    const rule = found(rules.find((r) => r.id === ruleId), "routing rule");
    const now = ctx.deps.clock.now();
    await tx.updateTable("work_items").set({ rule_id: null }).where("tenant_id", "=", ctx.tenantId).where("rule_id", "=", ruleId).execute();
    await tx.deleteFrom("routing_rules").where("tenant_id", "=", ctx.tenantId).where("id", "=", ruleId).execute();
    await renumber(tx, ctx.tenantId, rules.filter((r) => r.id !== ruleId), now);
    await recordAudit(tx, ctx, { action: "routing_rule.deleted", entityType: "routing_rule", entityId: ruleId, changes: { position: rule.position } });
  });
}

/** Puts the rules in the given order; the list must name every rule of the tenant once. */
export async function reorderRules(ctx: Ctx, ruleIds: string[]): Promise<RoutingRule[]> {
  await inTransaction(ctx, async (tx) => {
    const rules = await lockRules(tx, ctx.tenantId);
    const known = new Map(rules.map((r) => [r.id, r]));
    for (const id of ruleIds) found(known.get(id), "routing rule");
    if (new Set(ruleIds).size !== ruleIds.length || ruleIds.length !== rules.length) {
      throw new DomainError("VALIDATION_FAILED", `name every rule exactly once (${rules.length} rules)`);
    }
    await renumber(tx, ctx.tenantId, ruleIds.map((id) => known.get(id)!), ctx.deps.clock.now());
    await recordAudit(tx, ctx, { action: "routing_rule.reordered", entityType: "routing_rule", entityId: null, changes: { order: ruleIds } });
  });
  return listRules(ctx);
}
