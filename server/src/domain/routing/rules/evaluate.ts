import type { RoutingFacts, RuleAction, RuleConditions } from "@yixian/contracts";

/** A navigation rule as the evaluator needs it. */
export interface RuleInput {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  /** Null when the stored conditions are not understood: such a rule never matches. */
  conditions: RuleConditions | null;
  action: RuleAction;
}

export interface ConditionCheck {
  condition: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

export interface RuleVerdict {
  ruleId: string;
  name: string;
  position: number;
  outcome: "matched" | "not_matched" | "disabled" | "not_reached";
  checks: ConditionCheck[];
}

/** Is the calendar open at the instant? Null when the calendar is unknown (the condition fails). */
export type CalendarOpen = (calendarId: string, at: Date) => boolean | null;

/** "zh" matches "zh-CN"; case does not matter. */
function languageMatches(wanted: string, actual: string | null): boolean {
  if (!actual) return false;
  const w = wanted.toLowerCase();
  const a = actual.toLowerCase();
  return a === w || a.startsWith(`${w}-`) || w.startsWith(`${a}-`);
}

function inList<T>(condition: string, expected: readonly T[] | undefined, actual: T | null, same: (a: T, b: T) => boolean = (a, b) => a === b): ConditionCheck | null {
  if (!expected) return null;
  return { condition, expected, actual, ok: actual !== null && expected.some((e) => same(e, actual)) };
}

function flag(condition: string, expected: boolean | undefined, actual: boolean): ConditionCheck | null {
  return expected === undefined ? null : { condition, expected, actual, ok: expected === actual };
}

/** Every condition of the rule checked against the facts, in a fixed order. */
export function checkConditions(conditions: RuleConditions, facts: RoutingFacts, calendarOpen: CalendarOpen): ConditionCheck[] {
  const at = new Date(facts.at);
  const checks = [
    inList("channel", conditions.channels, facts.channel),
    inList("entryPoint", conditions.entryPoints, facts.entryPoint),
    flag("identified", conditions.identified, facts.identified),
    inList("serviceStatus", conditions.serviceStatuses, facts.serviceStatus),
    inList("servicePack", conditions.servicePacks, facts.servicePack),
    flag("vip", conditions.vip, facts.vip),
    inList("customerGroup", conditions.customerGroupIds, facts.customerGroupId),
    inList("language", conditions.languages, facts.language, languageMatches),
    inList("menuChoice", conditions.menuChoices, facts.menuChoice),
  ];
  if (conditions.calendar) {
    const open = calendarOpen(conditions.calendar.calendarId, at);
    checks.push({
      condition: "calendar",
      expected: conditions.calendar.open ? "open" : "closed",
      actual: open === null ? "unknown calendar" : open ? "open" : "closed",
      ok: open !== null && open === conditions.calendar.open,
    });
  }
  return checks.filter((c): c is ConditionCheck => c !== null);
}

/**
 * Navigation: the rules in position order, the first enabled rule whose every condition holds
 * wins (a rule without conditions matches everything). Each rule gets a verdict with the checks
 * that decided it, so a supervisor can see why a contact went where it went.
 */
export function evaluateRules(rules: readonly RuleInput[], facts: RoutingFacts, calendarOpen: CalendarOpen): { matched: RuleInput | null; verdicts: RuleVerdict[] } {
  const ordered = [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  let matched: RuleInput | null = null;
  const verdicts: RuleVerdict[] = ordered.map((rule) => {
    const base = { ruleId: rule.id, name: rule.name, position: rule.position };
    if (matched) return { ...base, outcome: "not_reached", checks: [] };
    if (!rule.enabled) return { ...base, outcome: "disabled", checks: [] };
    if (!rule.conditions) return { ...base, outcome: "not_matched", checks: [{ condition: "conditions", expected: "valid", actual: "unreadable", ok: false }] };
    const checks = checkConditions(rule.conditions, facts, calendarOpen);
    const ok = checks.every((c) => c.ok);
    if (ok) matched = rule;
    return { ...base, outcome: ok ? "matched" : "not_matched", checks };
  });
  return { matched, verdicts };
}

function describeCheck(c: ConditionCheck): string {
  return Array.isArray(c.expected) ? `${c.condition} ${String(c.actual)} in [${c.expected.join(", ")}]` : `${c.condition} is ${String(c.actual)}`;
}

/** One sentence: which rule matched and why, or why none did. */
export function explain(matched: RuleInput | null, verdicts: readonly RuleVerdict[]): string {
  if (!matched) {
    const tried = verdicts.filter((v) => v.outcome === "not_matched").length;
    return tried === 0 ? "no enabled navigation rule" : `no rule matched (${tried} tried)`;
  }
  const verdict = verdicts.find((v) => v.ruleId === matched.id);
  const why = verdict && verdict.checks.length > 0 ? verdict.checks.map(describeCheck).join("; ") : "no conditions";
  const skipped = verdicts.filter((v) => v.position < matched.position && v.outcome === "not_matched").length;
  return `rule #${matched.position} "${matched.name}" matched (${why})${skipped > 0 ? ` after ${skipped} that did not` : ""}`;
}
