import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";
import { ZIvrLanguage } from "./voice-ivr.ts";

/**
 * A tenant's own recordings for the phone: any prompt of the built-in catalogue
 * (telephony/src/prompts/catalogue.ts speaks each of these names in zh-CN and en) and the music
 * on hold, per language. An uploaded WAV (any sox reads) or MP3 is converted to 8 kHz mono
 * 16-bit WAV, the form the media server plays; deleting it brings back the built-in one.
 */

/** The names of the built-in prompts (the catalogue must have exactly these). */
export const PROMPT_NAMES = [
  "welcome",
  "enter-code",
  "code-wrong",
  "code-failed",
  "menu",
  "press",
  "queue-position-before",
  "queue-position-after",
  "expected-wait-before",
  "expected-wait-minutes",
  "expected-wait-short",
  "waiting-options",
  "option-voicemail",
  "option-callback",
  "key-invalid",
  "star",
  "hash",
  "callback-booked",
  "voicemail",
  "voicemail-saved",
  "voicemail-empty",
  "closed",
  "rate",
  "thanks",
  "sorry",
] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

/** The music callers hear while they wait or are on hold. */
export const HOLD_MUSIC = "hold-music";

/** What a tenant may replace: every prompt, and the music on hold. */
export const TENANT_PROMPT_NAMES = [...PROMPT_NAMES, HOLD_MUSIC] as const;
export type TenantPromptName = (typeof TENANT_PROMPT_NAMES)[number];
export const ZTenantPromptName = z.enum(TENANT_PROMPT_NAMES);

export const TENANT_PROMPT_LIMITS = {
  /** The uploaded file. */
  maxBytes: 10 * 1024 * 1024,
  /** The recording, once converted. */
  maxSeconds: 600,
} as const;

export const ZTenantPrompt = z.object({
  id: ZId,
  name: ZTenantPromptName,
  language: ZIvrLanguage,
  durationMs: z.number().int(),
  sizeBytes: z.number().int().describe("Of the converted 8 kHz WAV"),
  originalFilename: z.string(),
  originalFormat: z.enum(["wav", "mp3"]),
  uploadedBy: z.object({ id: ZId, name: z.string() }).nullable(),
  uploadedAt: ZTimestamp,
});
export type TenantPrompt = z.infer<typeof ZTenantPrompt>;

/** Which recording an upload replaces. */
export const ZTenantPromptSlot = z.object({ name: ZTenantPromptName, language: ZIvrLanguage });
export const ZTenantPromptParams = z.object({ promptId: ZId });

/** A prompt as the product ships it: what it says in each language (null: the music). */
export const ZBuiltInPrompt = z.object({
  name: ZTenantPromptName,
  words: z.object({ "zh-CN": z.string(), en: z.string() }).nullable(),
});
export type BuiltInPrompt = z.infer<typeof ZBuiltInPrompt>;
export const ZBuiltInPromptList = z.array(ZBuiltInPrompt);
