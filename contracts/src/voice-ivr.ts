import { z } from "zod";

/**
 * What a caller hears and may key on one number (DID): the IVR settings the call controller
 * follows. Stored per number; a number never configured gets `DEFAULT_IVR` in the tenant's
 * language.
 *
 * A menu key is the `menuChoice` the navigation rules match on ("press 1 for invoices" → a rule
 * with menuChoices ["1"] picks the queue). The voicemail and call-back keys are what a caller
 * presses while waiting in the queue; they cannot also be menu keys, so that one key never means
 * two things on the same number.
 */

export const IVR_LANGUAGES = ["zh-CN", "en"] as const;
export const ZIvrLanguage = z.enum(IVR_LANGUAGES);
export type IvrLanguage = (typeof IVR_LANGUAGES)[number];

export const IVR_VERIFICATION = ["off", "unknown-callers"] as const;
export type IvrVerification = (typeof IVR_VERIFICATION)[number];

export const ZIvrMenuEntry = z.object({
  key: z.string().regex(/^[1-9]$/, "a key from 1 to 9"),
  label: z.string().trim().min(1, "name the choice").max(50).describe("What the choice is for, e.g. 发票 / Invoices (for the admin; the caller hears the menu prompt)"),
});
export type IvrMenuEntry = z.infer<typeof ZIvrMenuEntry>;

/** A key the caller presses while waiting: 0–9, * or #. */
const ZWaitingKey = z.string().regex(/^[0-9*#]$/, "a key 0–9, * or #");

export const ZVoiceIvr = z.object({
  welcome: z.boolean().describe("Play the welcome prompt"),
  verification: z.enum(IVR_VERIFICATION).describe("unknown-callers: a caller whose number is not known keys their company's service verification code (# ends, 3 tries)"),
  menu: z.array(ZIvrMenuEntry).describe("[] = no menu; a key is the navigation rules' menuChoice"),
  announceEverySeconds: z.number().int().describe("Position and expected wait every N seconds while queued; 0 = never"),
  voicemailKey: ZWaitingKey.nullable().describe("While queued: leave a voicemail; null = not offered"),
  callbackKey: ZWaitingKey.nullable().describe("While queued: ask to be called back; null = not offered"),
  rating: z.boolean().describe("Ask for a 1–5 rating after the agent hangs up"),
  ratingTimeoutSeconds: z.number().int().describe("No key within this time: no rating"),
  language: ZIvrLanguage.describe("The prompts' language"),
});
export type VoiceIvr = z.infer<typeof ZVoiceIvr>;

/** The settings of a number never configured (the language is the tenant's). */
export const DEFAULT_IVR: Omit<VoiceIvr, "language"> = {
  welcome: true,
  verification: "off",
  menu: [],
  announceEverySeconds: 30,
  voicemailKey: "1",
  callbackKey: "2",
  rating: true,
  ratingTimeoutSeconds: 8,
};

export const IVR_LIMITS = {
  menuEntries: 9,
  /** announceEverySeconds: 0, or within these bounds */
  announceMin: 10,
  announceMax: 600,
  ratingTimeoutMin: 3,
  ratingTimeoutMax: 30,
} as const;

/**
 * The IVR settings as sent: anything left out takes its default (the language: the tenant's).
 * Checked: menu keys 1–9 each once, neither the voicemail nor the call-back key; those two
 * different from each other.
 */
export const ZVoiceIvrInput = z
  .object({
    welcome: z.boolean().default(DEFAULT_IVR.welcome),
    verification: z.enum(IVR_VERIFICATION).default(DEFAULT_IVR.verification),
    menu: z.array(ZIvrMenuEntry).max(IVR_LIMITS.menuEntries).default([]),
    announceEverySeconds: z
      .number()
      .int()
      .min(0)
      .max(IVR_LIMITS.announceMax)
      .refine((s) => s === 0 || s >= IVR_LIMITS.announceMin, `0 (never) or ${IVR_LIMITS.announceMin}–${IVR_LIMITS.announceMax} seconds`)
      .default(DEFAULT_IVR.announceEverySeconds),
    voicemailKey: ZWaitingKey.nullable().default(DEFAULT_IVR.voicemailKey),
    callbackKey: ZWaitingKey.nullable().default(DEFAULT_IVR.callbackKey),
    rating: z.boolean().default(DEFAULT_IVR.rating),
    ratingTimeoutSeconds: z.number().int().min(IVR_LIMITS.ratingTimeoutMin).max(IVR_LIMITS.ratingTimeoutMax).default(DEFAULT_IVR.ratingTimeoutSeconds),
    language: ZIvrLanguage.optional().describe("Left out: the tenant's language"),
  })
  .superRefine((ivr, check) => {
    const seen = new Set<string>();
    ivr.menu.forEach((entry, i) => {
      if (seen.has(entry.key)) check.addIssue({ code: "custom", path: ["menu", i, "key"], message: `key ${entry.key} is used twice in the menu` });
      seen.add(entry.key);
      if (entry.key === ivr.voicemailKey) check.addIssue({ code: "custom", path: ["menu", i, "key"], message: `key ${entry.key} is the voicemail key` });
      if (entry.key === ivr.callbackKey) check.addIssue({ code: "custom", path: ["menu", i, "key"], message: `key ${entry.key} is the call-back key` });
    });
    if (ivr.voicemailKey !== null && ivr.voicemailKey === ivr.callbackKey) {
      check.addIssue({ code: "custom", path: ["callbackKey"], message: "the call-back key must differ from the voicemail key" });
    }
  });
export type VoiceIvrInput = z.input<typeof ZVoiceIvrInput>;
/** The settings as checked and stored: defaults filled in, the language possibly left to the tenant. */
export type VoiceIvrSettings = z.output<typeof ZVoiceIvrInput>;

/** The language the tenant's locale speaks, among the prompts' languages. */
export function ivrLanguageOf(locale: string | null | undefined): IvrLanguage {
  return locale?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}
