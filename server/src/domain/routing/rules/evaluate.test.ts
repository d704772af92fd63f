import type { RoutingFacts } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { evaluateRules, explain, type CalendarOpen, type RuleInput } from "./evaluate.ts";

const AT = "2026-11-23T02:00:00.000Z"; // a Monday, 10:00 in Shanghai

const facts = (o: Partial<RoutingFacts> = {}): RoutingFacts => ({
  channel: "phone",
  entryPoint: "4008123456",
  identified: true,
  serviceStatus: "active",
  servicePack: "standard",
  vip: false,
  customerGroupId: "group-retail",
  language: "zh-CN",
  menuChoice: "2",
  at: AT,
  ...o,
});

let seq = 0;
const rule = (name: string, conditions: RuleInput["conditions"], o: Partial<RuleInput> = {}): RuleInput => ({
  id: `rule-${name}`,
  name,
  position: ++seq,
  enabled: true,
  conditions,
  action: { type: "queue", queueId: `queue-${name}`, priorityBoost: 0 },
  ...o,
});

// office hours 09:00–18:00 Shanghai = 01:00–10:00 UTC
const officeHours: CalendarOpen = (id, at) => (id === "cal-office" ? at.getUTCHours() >= 1 && at.getUTCHours() < 10 : null);

describe("navigation rules", () => {
  it("takes the first enabled rule whose every condition holds, in position order", () => {
    const rules = [
      rule("vip", { vip: true }, { position: 1 }),
      rule("off", {}, { position: 2, enabled: false }),
      rule("finance", { channels: ["phone"], entryPoints: ["4008123456"], menuChoices: ["2"] }, { position: 3 }),
      rule("anything", {}, { position: 4 }),
    ];
    const { matched, verdicts } = evaluateRules([...rules].reverse(), facts(), officeHours);
    expect(matched?.name).toBe("finance");
    expect(verdicts.map((v) => [v.name, v.outcome])).toEqual([
      ["vip", "not_matched"],
      ["off", "disabled"],
      ["finance", "matched"],
      ["anything", "not_reached"],
    ]);
    expect(verdicts[2]!.checks.map((c) => c.condition)).toEqual(["channel", "entryPoint", "menuChoice"]);
  });

  it("matches service status, pack, VIP, customer group and identification exactly", () => {
    const expired = rule("expired", { identified: true, serviceStatuses: ["expired"], servicePacks: ["vip", "standard"] });
    const group = rule("group", { customerGroupIds: ["group-key-accounts"] });
    const anonymous = rule("anonymous", { identified: false });
    expect(evaluateRules([expired, group, anonymous], facts({ serviceStatus: "expired" }), officeHours).matched?.name).toBe("expired");
    expect(evaluateRules([expired, group, anonymous], facts({ serviceStatus: "expiring" }), officeHours).matched).toBeNull();
    expect(evaluateRules([expired, group, anonymous], facts({ customerGroupId: "group-key-accounts" }), officeHours).matched?.name).toBe("group");
    const unknown = facts({ identified: false, serviceStatus: "none", servicePack: null, customerGroupId: null });
    expect(evaluateRules([expired, group, anonymous], unknown, officeHours).matched?.name).toBe("anonymous");
  });

  it("matches a language by its primary tag, either way round, ignoring case", () => {
    const english = rule("english", { languages: ["en"] });
    expect(evaluateRules([english], facts({ language: "EN-us" }), officeHours).matched?.name).toBe("english");
    expect(evaluateRules([rule("us", { languages: ["en-US"] })], facts({ language: "en" }), officeHours).matched?.name).toBe("us");
    expect(evaluateRules([english], facts({ language: "zh-CN" }), officeHours).matched).toBeNull();
    expect(evaluateRules([english], facts({ language: null }), officeHours).matched).toBeNull();
  });

  it("matches the time of day by a calendar being open or closed; an unknown calendar never matches", () => {
    const night = rule("night", { calendar: { calendarId: "cal-office", open: false } });
    const day = rule("day", { calendar: { calendarId: "cal-office", open: true } });
    expect(evaluateRules([night, day], facts(), officeHours).matched?.name).toBe("day");
    expect(evaluateRules([night, day], facts({ at: "2026-11-23T12:00:00.000Z" }), officeHours).matched?.name).toBe("night");
    const lost = rule("lost", { calendar: { calendarId: "cal-gone", open: true } });
    const { matched, verdicts } = evaluateRules([lost], facts(), officeHours);
    expect(matched).toBeNull();
    expect(verdicts[0]!.checks).toEqual([{ condition: "calendar", expected: "open", actual: "unknown calendar", ok: false }]);
  });

  it("never matches a rule whose stored conditions could not be read", () => {
    const broken = rule("broken", null);
    const { matched, verdicts } = evaluateRules([broken, rule("next", {})], facts(), officeHours);
    expect(matched?.name).toBe("next");
    expect(verdicts[0]!.outcome).toBe("not_matched");
  });

  it("explains the match in one sentence", () => {
    const rules = [rule("vip", { vip: true }, { position: 1 }), rule("renewal", { serviceStatuses: ["expired"] }, { position: 2 })];
    const expired = evaluateRules(rules, facts({ serviceStatus: "expired" }), officeHours);
    expect(explain(expired.matched, expired.verdicts)).toBe('rule #2 "renewal" matched (serviceStatus expired in [expired]) after 1 that did not');
    const none = evaluateRules(rules, facts(), officeHours);
    expect(explain(none.matched, none.verdicts)).toBe("no rule matched (2 tried)");
    expect(explain(null, [])).toBe("no enabled navigation rule");
  });
});
