import { describe, expect, it } from "vitest";
import { clockTime, duration, percent, secondsSince } from "./format.ts";
import { fitGrid } from "./fit.ts";
import { pickLang } from "./i18n.ts";
import { abandonLevel, serviceLevelLevel, waitLevel } from "./thresholds.ts";

describe("wallboard colour thresholds", () => {
  it("colours a wait against the queue's T: green to T/2, amber to T, red beyond", () => {
    expect([0, 10, 11, 20, 21].map((s) => waitLevel(s, 20))).toEqual(["good", "good", "warn", "warn", "bad"]);
    expect(waitLevel(null, 20)).toBe("none");
  });

  it("colours service level against 80 %, and abandon rate against 5 % and 10 %", () => {
    expect([1, 0.8, 0.79, 0.7, 0.69].map(serviceLevelLevel)).toEqual(["good", "good", "warn", "warn", "bad"]);
    expect(serviceLevelLevel(null)).toBe("none");
    expect([0, 0.05, 0.06, 0.1, 0.11].map(abandonLevel)).toEqual(["good", "good", "warn", "warn", "bad"]);
  });
});

describe("wallboard formats", () => {
  it("shows durations as m:ss and h:mm:ss, ratios as whole percents, nothing as a dash", () => {
    expect([0, 9.9, 58.333, 270, 3599, 3600, 45_296].map(duration)).toEqual(["0:00", "0:09", "0:58", "4:30", "59:59", "1:00:00", "12:34:56"]);
    expect(duration(null)).toBe("—");
    expect([2 / 3, 0.25, 1, 0].map(percent)).toEqual(["67%", "25%", "100%", "0%"]);
    expect(percent(null)).toBe("—");
  });

  it("tells wall-clock time in the tenant's zone and seconds since an instant", () => {
    expect(clockTime("2026-11-20T02:15:00.000Z", "Asia/Shanghai")).toBe("10:15");
    expect(clockTime("2026-11-20T02:15:07.000Z", "Asia/Shanghai", true)).toBe("10:15:07");
    expect(secondsSince("2026-11-20T02:15:00.000Z", Date.parse("2026-11-20T02:16:30.500Z"))).toBe(90.5);
    expect(secondsSince(null, 0)).toBeNull();
  });

  it("picks the language from ?lang=, then the tenant, then the browser", () => {
    expect(pickLang("en", "zh-CN", "zh-CN")).toBe("en");
    expect(pickLang(null, "en-US", "zh-CN")).toBe("en");
    expect(pickLang("fr", "zh-CN", "en")).toBe("zh");
    expect(pickLang(null, null, "en-GB")).toBe("en");
    expect(pickLang(null, null, "de")).toBe("zh");
  });
});

describe("the agents grid on a TV", () => {
  it("fits 60 agents into the space left at 1920×1080 and 1280×720, every row inside", () => {
    for (const [w, h] of [
      [1860, 420],
      [1240, 260],
    ] as const) {
      const fit = fitGrid(w, h, 60, 8)!;
      const rows = Math.ceil(60 / fit.columns);
      expect(rows * fit.rowHeight + (rows - 1) * 8).toBeLessThanOrEqual(h);
      expect(fit.columns * 10 * fit.fontSize + (fit.columns - 1) * 8).toBeLessThanOrEqual(w);
      expect(fit.fontSize).toBeGreaterThan(9);
    }
  });
  it("keeps few agents in wide tiles with large text, and has nothing to lay out without agents", () => {
    const fit = fitGrid(1860, 420, 3, 8)!;
    expect(fit.fontSize).toBe(22);
    expect(fit.columns).toBe(3);
    expect(fitGrid(1860, 420, 0, 8)).toBeNull();
  });
});
