import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { wavSamples } from "../media/recording/wav.ts";
import { NUMBER_WORDS, PROMPT_LANGUAGES, PROMPTS, spokenNumber } from "./catalogue.ts";
import { PromptLibrary } from "./library.ts";

const cache = mkdtempSync(join(tmpdir(), "yx-prompts-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const library = new PromptLibrary(cache);

function seconds(file: string): number {
  const { sampleRate, samples } = wavSamples(readFileSync(file));
  return samples.length / sampleRate;
}

function loudness(file: string): number {
  const { samples } = wavSamples(readFileSync(file));
  return samples.filter((s) => Math.abs(s) > 500).length / samples.length;
}

describe("the phone's prompts", () => {
  it("exist for every prompt and number word in both languages, as 8 kHz speech that is not silent", () => {
    for (const language of PROMPT_LANGUAGES) {
      const names = [...Object.keys(PROMPTS), ...Object.keys(NUMBER_WORDS[language]).map((n) => `number-${n}`)];
      for (const name of names) {
        const file = library.file(name as keyof typeof PROMPTS, language);
        expect(wavSamples(readFileSync(file)).sampleRate, file).toBe(8000);
        expect(seconds(file), file).toBeGreaterThan(0.2);
        expect(loudness(file), file).toBeGreaterThan(0.1);
      }
    }
    expect(seconds(library.holdMusic)).toBeGreaterThan(10);
    expect(loudness(library.holdMusic)).toBeGreaterThan(0.1);
  });

  it("says numbers the way each language does", () => {
    expect(spokenNumber(7, "zh-CN")).toEqual([7]);
    expect(spokenNumber(10, "zh-CN")).toEqual([10]);
    expect(spokenNumber(12, "zh-CN")).toEqual([10, 2]); // 十二
    expect(spokenNumber(20, "zh-CN")).toEqual([2, 10]); // 二十
    expect(spokenNumber(35, "zh-CN")).toEqual([3, 10, 5]); // 三十五
    expect(spokenNumber(13, "en")).toEqual([13]);
    expect(spokenNumber(40, "en")).toEqual([40]);
    expect(spokenNumber(47, "en")).toEqual([40, 7]);
    expect(spokenNumber(120, "en")).toEqual([1, 2, 0]);
  });

  it("joins a queue announcement into one file as long as its parts, made once", () => {
    const file = library.queuePosition(12, "en");
    const parts = ["queue-position-before", "number-12", "queue-position-after"].map((n) => seconds(library.file(n as "press", "en")));
    expect(seconds(file)).toBeCloseTo(parts.reduce((a, b) => a + b, 0), 3);
    expect(library.queuePosition(12, "en")).toBe(file);
    // 「您前面还有十一位客户在等待」: the twelfth in line has eleven ahead
    const zh = library.queuePosition(12, "zh-CN");
    const zhParts = ["queue-position-before", "number-10", "number-1", "queue-position-after"].map((n) => seconds(library.file(n as "press", "zh-CN")));
    expect(seconds(zh)).toBeCloseTo(zhParts.reduce((a, b) => a + b, 0), 3);
    expect(library.expectedWait(20, "en")).toBe(library.file("expected-wait-short", "en"));
    expect(seconds(library.expectedWait(300, "zh-CN"))).toBeGreaterThan(seconds(library.file("expected-wait-before", "zh-CN")));
  });
});
