import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { wavFile, wavSamples } from "../media/recording/wav.ts";
import { spokenNumber, type PromptLanguage, type PromptName } from "./catalogue.ts";

/** A prompt of the catalogue or a number word. */
export type PromptFileName = PromptName | `number-${number}`;

/** The prompts, in order, that say a caller's place: the zh-CN sentence counts those ahead. */
export function queuePositionWords(position: number, language: PromptLanguage): PromptFileName[] {
  const ahead = language === "zh-CN" ? Math.max(0, position - 1) : position;
  return ["queue-position-before", ...spokenNumber(ahead, language).map((n) => `number-${n}` as const), "queue-position-after"];
}

/** The prompts, in order, that say the expected wait in whole minutes ("shortly" under one). */
export function expectedWaitWords(seconds: number, language: PromptLanguage): PromptFileName[] {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return ["expected-wait-short"];
  return ["expected-wait-before", ...spokenNumber(minutes, language).map((n) => `number-${n}` as const), "expected-wait-minutes"];
}

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

  file(name: PromptFileName, language: PromptLanguage, overrides: Partial<Record<string, string>> = {}): string {
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
    return this.sentence(queuePositionWords(position, language).map((name) => this.file(name, language)));
  }

  /** "The expected wait is about N minutes", or "shortly" under a minute. */
  expectedWait(seconds: number, language: PromptLanguage): string {
    const words = expectedWaitWords(seconds, language);
    return words.length === 1 ? this.file(words[0]!, language) : this.sentence(words.map((name) => this.file(name, language)));
  }

  /** The files joined into one WAV (cached by their paths and versions: a tenant may upload a prompt again). */
  sentence(files: string[]): string {
    const versions = files.map((f) => {
      const { size, mtimeMs } = statSync(f);
      return `${f}\t${size}\t${mtimeMs}`;
    });
    const key = createHash("sha256").update(versions.join("\n")).digest("hex").slice(0, 24);
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
