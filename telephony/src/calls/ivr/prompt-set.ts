import { existsSync } from "node:fs";
import { expectedWaitWords, queuePositionWords, type PromptFileName, type PromptLanguage, type PromptLibrary, type PromptName } from "../../prompts/index.ts";

/**
 * A tenant's own file for a prompt in a language, or null when it has none (the facade's
 * `tenantPromptFile`, bound to the tenant). Names are the catalogue's, the number words
 * (`number-7`), `hold-music` and `beep`.
 */
export type TenantPromptFile = (name: string, language: PromptLanguage) => Promise<string | null>;

/** The files the IVR plays to one caller: the tenant's own first, the built-in prompts after. */
export interface PromptSet {
  readonly language: PromptLanguage;
  file(name: PromptName): Promise<string>;
  music(): Promise<string>;
  beep(): Promise<string>;
  /** "You are number N in the queue." */
  queuePosition(position: number): Promise<string>;
  /** "The expected wait is about N minutes." */
  expectedWait(seconds: number): Promise<string>;
  /** The menu: the tenant's recorded menu, else "please choose" and "press N" for each key. */
  menu(keys: readonly string[]): Promise<string>;
  /** What the keys do while waiting (voicemail, call-back); null when neither is offered. */
  waitingOptions(voicemailKey: string | null, callbackKey: string | null): Promise<string | null>;
}

/** The word for a key: a digit's number word, or star / hash. */
function keyWord(key: string): PromptFileName {
  if (key === "*") return "star";
  if (key === "#") return "hash";
  if (!/^[0-9]$/.test(key)) throw new Error(`no prompt says the key "${key}"`);
  return `number-${Number(key)}`;
}

class Prompts implements PromptSet {
  constructor(
    private readonly library: PromptLibrary,
    readonly language: PromptLanguage,
    private readonly tenantFile: TenantPromptFile | undefined,
  ) {}

  /** The tenant's file when it has one that is there, else null (a lookup that fails falls back too). */
  private async own(name: string): Promise<string | null> {
    if (!this.tenantFile) return null;
    // the built-in prompt is better than no prompt: a failed lookup does not end the call
    const file = await this.tenantFile(name, this.language).catch(() => null);
    return file && existsSync(file) ? file : null;
  }

  private async word(name: PromptFileName): Promise<string> {
    return (await this.own(name)) ?? this.library.file(name, this.language);
  }

  private async sentence(names: readonly PromptFileName[]): Promise<string> {
    const files = await Promise.all(names.map((name) => this.word(name)));
    if (files.length === 1) return files[0]!;
    try {
      return this.library.sentence(files);
    } catch {
      // a tenant file that cannot be joined with the others (another sample rate): all built-in
      return this.library.sentence(names.map((name) => this.library.file(name, this.language)));
    }
  }

  file(name: PromptName): Promise<string> {
    return this.word(name);
  }

  async music(): Promise<string> {
    return (await this.own("hold-music")) ?? this.library.holdMusic;
  }

  async beep(): Promise<string> {
    return (await this.own("beep")) ?? this.library.beep;
  }

  queuePosition(position: number): Promise<string> {
    return this.sentence(queuePositionWords(position, this.language));
  }

  expectedWait(seconds: number): Promise<string> {
    return this.sentence(expectedWaitWords(seconds, this.language));
  }

  async menu(keys: readonly string[]): Promise<string> {
    return (await this.own("menu")) ?? this.sentence(["menu", ...keys.flatMap((key) => ["press" as const, keyWord(key)])]);
  }

  async waitingOptions(voicemailKey: string | null, callbackKey: string | null): Promise<string | null> {
    if (voicemailKey === null && callbackKey === null) return null;
    // the built-in sentence says "one" and "two": right for the usual keys, composed otherwise
    const own = await this.own("waiting-options");
    if (own || (voicemailKey === "1" && callbackKey === "2")) return own ?? this.library.file("waiting-options", this.language);
    return this.sentence([
      ...(voicemailKey === null ? [] : (["option-voicemail", keyWord(voicemailKey)] as const)),
      ...(callbackKey === null ? [] : (["option-callback", keyWord(callbackKey)] as const)),
    ]);
  }
}

/** The prompts of one language; `tenantFile` gives the tenant's uploaded ones. */
export function createPromptSet(library: PromptLibrary, language: PromptLanguage, tenantFile?: TenantPromptFile): PromptSet {
  return new Prompts(library, language, tenantFile);
}
