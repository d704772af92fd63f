import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { wavSamples } from "../media/recording/wav.ts";
import { speechKey, SPOKEN_MAX_CHARS, SpokenMessages, spokenText } from "./speech.ts";

const dir = mkdtempSync(join(tmpdir(), "yx-speech-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const installed = (() => {
  try {
    execFileSync("espeak-ng", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

describe("a navigation rule's message, spoken", () => {
  it("is keyed by language and words, white space and control characters aside, and bounded", () => {
    expect(speechKey("zh-CN", "热线今天休息，请明天再来电")).toBe(speechKey("zh-CN", "  热线今天休息，请明天再来电\n"));
    expect(speechKey("zh-CN", "热线今天休息")).not.toBe(speechKey("en", "热线今天休息"));
    expect(speechKey("en", "closed today")).not.toBe(speechKey("en", "closed tomorrow"));
    expect(speechKey("en", "a")).toMatch(/^[0-9a-f]{32}$/);
    expect(spokenText("line one\r\n\tline\u0007 two")).toBe("line one line two");
    expect([...spokenText("休".repeat(SPOKEN_MAX_CHARS + 50))]).toHaveLength(SPOKEN_MAX_CHARS);
    expect(speechKey("en", "x".repeat(SPOKEN_MAX_CHARS + 1))).toBe(speechKey("en", "x".repeat(SPOKEN_MAX_CHARS)));
  });

  it("without espeak-ng there is no file, and it says so once", async () => {
    const warn = vi.fn();
    const messages = new SpokenMessages(join(dir, "missing"), { warn }, "espeak-ng-not-installed");
    expect(await messages.file("closed today", "en")).toBeNull();
    expect(await messages.file("closed tomorrow", "zh-CN")).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it.skipIf(!installed)("is spoken once into an 8 kHz WAV that is not silent, a text starting with a dash too", async () => {
    const messages = new SpokenMessages(join(dir, "cache"), { warn: vi.fn() });
    const [a, b] = await Promise.all([messages.file("-热线今天休息，请明天再来电", "zh-CN"), messages.file("-热线今天休息，请明天再来电", "zh-CN")]);
    expect(a).toBeTruthy();
    expect(b).toBe(a);
    const { sampleRate, samples } = wavSamples(readFileSync(a!));
    expect(sampleRate).toBe(8000);
    expect(samples.length / sampleRate).toBeGreaterThan(1);
    expect(samples.filter((s) => Math.abs(s) > 500).length / samples.length).toBeGreaterThan(0.1);
    expect(await messages.file("  -热线今天休息，请明天再来电 ", "zh-CN")).toBe(a);
  });
});
