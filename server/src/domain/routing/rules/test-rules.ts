import type { RoutingTest, RoutingTestResult } from "@yixian/contracts";
import type { Ctx } from "../../context.ts";
import { found } from "../../errors.ts";
import { evaluateRules, explain, type RuleInput } from "./evaluate.ts";
import { calendarsOf, loadFacts } from "./facts.ts";
import { loadRules, ruleInput } from "./rule-store.ts";

/**
 * Evaluates a described contact against the tenant's navigation rules without routing anything:
 * which rule matched, its action, and for every rule the checks that decided it.
 */
export async function testRules(ctx: Ctx, input: RoutingTest): Promise<RoutingTestResult> {
  const { db } = ctx.deps;
  const groupId = input.customer?.customerGroupId;
  if (groupId) found(await db.selectFrom("customer_groups").select("id").where("tenant_id", "=", ctx.tenantId).where("id", "=", groupId).executeTakeFirst(), "customer group");
  const facts = await loadFacts(db, ctx.tenantId, {
    channel: input.channel,
    contactId: input.contactId ?? null,
    entryPoint: input.entryPoint,
    menuChoice: input.menuChoice,
    language: input.language,
    customer: input.customer,
    at: input.at ? new Date(input.at) : ctx.deps.clock.now(),
  });
  const rules = (await loadRules(db, ctx.tenantId)).map(ruleInput).filter((r): r is RuleInput => r !== null);
  const { matched, verdicts } = evaluateRules(rules, facts, await calendarsOf(db, ctx.tenantId, rules));
  return {
    matched: matched ? { ruleId: matched.id, name: matched.name, position: matched.position } : null,
    action: matched?.action ?? null,
    explanation: explain(matched, verdicts),
    facts,
    rules: verdicts,
  };
}
