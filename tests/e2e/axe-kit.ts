import axe from "axe-core";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/**
 * axe-core in a page under test: injected through the DevTools protocol (so no page's content
 * policy stands in the way), run over the whole document including open shadow roots (the chat
 * widget lives in one). A finding is one rule that failed, with the elements it failed on.
 */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

type AxeWindow = Window & { axe?: typeof axe };

/**
 * Every serious or critical axe finding on the page once what is animating in has arrived (a
 * toast fading in is measured at its final colours, not half-transparent; endless animations
 * such as a pulsing badge are taken as they are).
 */
export async function seriousFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  if (!(await page.evaluate(() => Boolean((window as AxeWindow).axe)))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const run = (window as AxeWindow).axe!;
    const result = await run.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        rule: v.id,
        impact: v.impact ?? "",
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), summary: n.failureSummary ?? "" })),
      }));
  });
}

/** Fails with the findings spelled out (rule, elements, why) when there is any. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const findings = await seriousFindings(page);
  const report = findings.map((f) => `${f.impact} ${f.rule} (${f.help}):\n${f.nodes.map((n) => `  ${n.target}: ${n.summary.replace(/\n/g, " ")}`).join("\n")}`).join("\n");
  expect(report, `axe on ${what}`).toBe("");
}
