import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { HOLD_MUSIC, TENANT_PROMPT_NAMES, ZBuiltInPromptList, ZTenantPromptSlot, type BuiltInPrompt } from "@yixian/contracts";
import { defineRoute, sendDownload } from "@yixian/server/http";
import { PROMPTS } from "./catalogue.ts";
import { PromptLibrary } from "./library.ts";

// Only built-in files are read here: no sentence is joined, so the library's cache stays unused.
const library = new PromptLibrary("/nonexistent");

/** The built-in file of a prompt (or of the music) in a language. */
function builtInFile(name: (typeof TENANT_PROMPT_NAMES)[number], language: "zh-CN" | "en"): string {
  return name === HOLD_MUSIC ? library.holdMusic : library.file(name, language);
}

const hashes = new Map<string, Promise<string>>();
/** The file's SHA-256 (its ETag), computed once: the built-in files change only with a release. */
function sha256Of(file: string): Promise<string> {
  let hash = hashes.get(file);
  if (!hash) {
    hash = readFile(file).then((bytes) => createHash("sha256").update(bytes).digest("hex"));
    hashes.set(file, hash);
  }
  return hash;
}

/**
 * The prompts the product ships, for the console's page of a tenant's own recordings: what each
 * says, and its sound, so an admin hears what a recording of theirs would replace.
 */
export const promptCatalogueRoutes = [
  defineRoute({
    method: "get",
    path: "/voice/prompt-catalogue",
    tag: "voice",
    summary: "The built-in phone prompts and what each says in zh-CN and en (a tenant may replace any of them, and the music on hold)",
    auth: "tenant:manage",
    response: ZBuiltInPromptList,
    handler: async () =>
      TENANT_PROMPT_NAMES.map((name): BuiltInPrompt => ({ name, words: name === HOLD_MUSIC ? null : { "zh-CN": PROMPTS[name]["zh-CN"], en: PROMPTS[name].en } })),
  }),
  defineRoute({
    method: "get",
    path: "/voice/prompt-catalogue/audio",
    tag: "voice",
    summary: "A built-in prompt's sound (8 kHz WAV), or the built-in music on hold; byte ranges answer 206",
    auth: "tenant:manage",
    query: ZTenantPromptSlot,
    responseContentType: "audio/wav",
    handler: async ({ query, req, res }) => {
      const file = builtInFile(query.name, query.language);
      const [{ size }, sha256] = await Promise.all([stat(file), sha256Of(file)]);
      await sendDownload(
        req,
        res,
        {
          attachment: { filename: `${query.name}.${query.language}.wav`, content_type: "audio/wav", size_bytes: size, sha256 },
          read: async (range) => createReadStream(file, range ? { start: range.start, end: range.end } : {}),
        },
        86_400,
      );
    },
  }),
];
