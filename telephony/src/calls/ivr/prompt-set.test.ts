import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { wavFile, wavSamples } from "../../media/index.ts";
import { PromptLibrary } from "../../prompts/index.ts";
import { createPromptSet } from "./prompt-set.ts";

const dir = mkdtempSync(join(tmpdir(), "yx-prompt-set-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const library = new PromptLibrary(join(dir, "sentences"));

const samples = (file: string) => wavSamples(readFileSync(file)).samples.length;
function tenantWav(name: string, ms: number, rate = 8000): string {
  const file = join(dir, `${name}-${rate}.wav`);
  writeFileSync(file, wavFile(new Int16Array((ms * rate) / 1000).fill(3000), rate));
  return file;
}

describe("a caller's prompts", () => {
  it("are the tenant's own where it has them, the built-in ones otherwise, in the caller's language", async () => {
    const welcome = tenantWav("welcome", 300);
    const prompts = createPromptSet(library, "zh-CN", async (name, language) => (name === "welcome" && language === "zh-CN" ? welcome : name === "thanks" ? join(dir, "gone.wav") : null));
    expect(await prompts.file("welcome")).toBe(welcome);
    expect(await prompts.file("rate")).toBe(library.file("rate", "zh-CN"));
    expect(await prompts.file("thanks")).toBe(library.file("thanks", "zh-CN")); // the tenant's file is not there
    expect(await prompts.music()).toBe(library.holdMusic);
    const failing = createPromptSet(library, "en", () => Promise.reject(new Error("database down")));
    expect(await failing.file("welcome")).toBe(library.file("welcome", "en"));
  });

  it("say the queue position and the wait with the tenant's words where it has them", async () => {
    const before = tenantWav("queue-position-before", 200);
    const prompts = createPromptSet(library, "en", async (name) => (name === "queue-position-before" ? before : null));
    const parts = [before, library.file("number-3", "en"), library.file("queue-position-after", "en")];
    expect(samples(await prompts.queuePosition(3))).toBe(parts.map(samples).reduce((a, b) => a + b));
    expect(await prompts.expectedWait(20)).toBe(library.file("expected-wait-short", "en"));
    // a tenant file of another sample rate cannot be joined: the built-in sentence is said
    const odd = createPromptSet(library, "en", async (name) => (name === "queue-position-before" ? tenantWav("queue-position-before", 200, 16000) : null));
    expect(await odd.queuePosition(3)).toBe(library.queuePosition(3, "en"));
  });

  it("say the menu keys and the waiting options for the keys configured", async () => {
    const prompts = createPromptSet(library, "en");
    const menu = ["menu", "press", "number-1", "press", "number-2"].map((n) => library.file(n as "menu", "en"));
    expect(samples(await prompts.menu(["1", "2"]))).toBe(menu.map(samples).reduce((a, b) => a + b));
    expect(await prompts.waitingOptions("1", "2")).toBe(library.file("waiting-options", "en"));
    expect(await prompts.waitingOptions(null, null)).toBeNull();
    const hashOnly = ["option-callback", "hash"].map((n) => library.file(n as "hash", "en"));
    expect(samples((await prompts.waitingOptions(null, "#"))!)).toBe(hashOnly.map(samples).reduce((a, b) => a + b));
    const recorded = tenantWav("menu", 500);
    expect(await createPromptSet(library, "en", async (name) => (name === "menu" ? recorded : null)).menu(["1"])).toBe(recorded);
  });
});
