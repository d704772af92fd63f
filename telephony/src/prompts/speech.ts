/**
 * Speech from text with espeak-ng, turned by sox into the phone's 8 kHz 16-bit mono WAV: the
 * built-in prompts (`npm run prompts`) and a navigation rule's message said to a caller
 * (`SpokenMessages`). Both tools run as programs with arguments, never through a shell; the text
 * goes to espeak-ng in a file, so no text is read as an option.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { PROMPT_LANGUAGES, type PromptLanguage } from "./catalogue.ts";

const run = promisify(execFile);

const VOICES: Record<PromptLanguage, string[]> = { "zh-CN": ["-v", "cmn", "-s", "150"], en: ["-v", "en-us", "-s", "155"] };
export const TO_8K = ["-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer"];
/** The longest a speech run may take. */
const SPEAK_TIMEOUT_MS = 30_000;
/** The most characters of a message that are spoken (a few sentences, well under a minute). */
export const SPOKEN_MAX_CHARS = 300;

/** The text as spoken: control characters out, white space folded, at most `SPOKEN_MAX_CHARS`. */
export function spokenText(text: string): string {
  const visible = [...text].map((c) => (c < " " || c === "\u007f" ? " " : c)).join("");
  return [...visible.replace(/\s+/g, " ").trim()].slice(0, SPOKEN_MAX_CHARS).join("");
}

/** The cache file name of a text said in a language: the same words make the same file. */
export function speechKey(language: PromptLanguage, text: string): string {
  return createHash("sha256").update(`${language}\n${spokenText(text)}`).digest("hex").slice(0, 32);
}

/**
 * Says `text` in `language` into `out` (8 kHz mono WAV, normalised, silence trimmed), using
 * `work` for the intermediate files. Rejects with espeak-ng's or sox's error (ENOENT: not installed).
 */
export async function speak(language: PromptLanguage, text: string, out: string, work: string, espeak = "espeak-ng"): Promise<void> {
  const words = join(work, "words.txt");
  const raw = join(work, "speech.wav");
  await writeFile(words, text);
  await run(espeak, [...VOICES[language], "-b", "1", "-f", words, "-w", raw], { timeout: SPEAK_TIMEOUT_MS });
  await run("sox", [raw, ...TO_8K, out, "norm", "-3", "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse", "pad", "0.05", "0.15"], { timeout: SPEAK_TIMEOUT_MS });
}

interface WarnLog {
  warn(fields: object, message: string): void;
}

/**
 * A navigation rule's message as the caller hears it, spoken once per language and words and
 * kept in `cacheDir` by `speechKey`. `prepare` speaks it ahead (when the rule is saved), `file`
 * when a call needs it and it is not there yet. Without espeak-ng (or sox) there is no file
 * (null), logged once: the IVR says its own prompt instead.
 */
export class SpokenMessages {
  private readonly making = new Map<string, Promise<string | null>>();
  private unavailable = false;

  constructor(
    private readonly cacheDir: string,
    private readonly log: WarnLog,
    private readonly espeak = "espeak-ng",
  ) {}

  /** The WAV that says `text` in `language`; null: it cannot be spoken here. */
  file(text: string, language: PromptLanguage): Promise<string | null> {
    const words = spokenText(text);
    if (!words || this.unavailable) return Promise.resolve(null);
    const out = join(this.cacheDir, `${speechKey(language, words)}.wav`);
    if (existsSync(out)) return Promise.resolve(out);
    let made = this.making.get(out);
    if (!made) {
      made = this.make(language, words, out).finally(() => this.making.delete(out));
      this.making.set(out, made);
    }
    return made;
  }

  /** Speaks `text` in every language ahead of the calls that need it; never rejects. */
  prepare(text: string): void {
    for (const language of PROMPT_LANGUAGES) void this.file(text, language);
  }

  private async make(language: PromptLanguage, words: string, out: string): Promise<string | null> {
    await mkdir(this.cacheDir, { recursive: true });
    const work = await mkdtemp(join(this.cacheDir, ".speaking-"));
    try {
      await speak(language, words, join(work, "out.wav"), work, this.espeak);
      await rename(join(work, "out.wav"), out);
      return out;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        if (!this.unavailable) this.log.warn({ err }, "espeak-ng or sox is not installed: the phone says its closed prompt instead of a navigation rule's message");
        this.unavailable = true;
      } else {
        this.log.warn({ err, language }, "a navigation rule's message could not be spoken");
      }
      return null;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
