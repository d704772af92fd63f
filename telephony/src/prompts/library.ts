import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { wavFile, wavSamples } from "../media/recording/wav.ts";
import { spokenNumber, type PromptLanguage, type PromptName } from "./catalogue.ts";

/** The committed prompts (telephony/prompts). */
export const BUILT_IN_PROMPTS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "prompts");

/**
 * The files the IVR plays. A sentence made of several prompts ("you are number" + 12 + "in the
 * queue") is joined into one WAV once and kept in `cacheDir`, so rtpengine plays it as one file
 * without gaps. `overrides` are a tenant's own uploaded prompts, by name, already converted to
 * 8 kHz mono WAV.
 */
export class PromptLibrary {
  constructor(
    private readonly cacheDir: string,
    private readonly builtIn = BUILT_IN_PROMPTS,
  ) {}

  file(name: PromptName | `number-${number}`, language: PromptLanguage, overrides: Partial<Record<string, string>> = {}): string {
    return overrides[name] ?? join(this.builtIn, language, `${name}.wav`);
  }

  get holdMusic(): string {
    return join(this.builtIn, "hold-music.wav");
  }

  get beep(): string {
    return join(this.builtIn, "beep.wav");
  }

  /** "You are number N in the queue." / 「您前面还有 N 位客户在等待。」 */
  queuePosition(position: number, language: PromptLanguage): string {
    const ahead = language === "zh-CN" ? Math.max(0, position - 1) : position;
    return this.sentence([
      this.file("queue-position-before", language),
      ...spokenNumber(ahead, language).map((n) => this.file(`number-${n}`, language)),
      this.file("queue-position-after", language),
    ]);
  }

  /** "The expected wait is about N minutes", or "shortly" under a minute. */
  expectedWait(seconds: number, language: PromptLanguage): string {
    const minutes = Math.round(seconds / 60);
    if (minutes < 1) return this.file("expected-wait-short", language);
    return this.sentence([
      this.file("expected-wait-before", language),
      ...spokenNumber(minutes, language).map((n) => this.file(`number-${n}`, language)),
      this.file("expected-wait-minutes", language),
    ]);
  }

  /** The files joined into one WAV (cached by their paths). */
  sentence(files: string[]): string {
    const key = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 24);
    const out = join(this.cacheDir, `${key}.wav`);
    if (existsSync(out)) return out;
    const parts = files.map((f) => wavSamples(readFileSync(f)));
    const rate = parts[0]?.sampleRate ?? 8000;
    if (parts.some((p) => p.sampleRate !== rate)) throw new Error("prompts of different sample rates cannot be joined");
    const joined = new Int16Array(parts.reduce((n, p) => n + p.samples.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p.samples, at);
      at += p.samples.length;
    }
    mkdirSync(this.cacheDir, { recursive: true });
    const temp = `${out}.${process.pid}.tmp`;
    writeFileSync(temp, wavFile(joined, rate));
    renameSync(temp, out);
    return out;
  }
}
