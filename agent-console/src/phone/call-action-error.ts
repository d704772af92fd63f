import { useState } from "react";
import { errorText } from "../error-text.ts";
import { useLang } from "../i18n.tsx";
import { SoftphoneError } from "./SoftphoneProvider.tsx";

/**
 * The error line of a card whose actions dial or call the API: a softphone refusal in the
 * softphone's words, anything else after the card's "could not …" prefix; `clear` before a retry.
 */
export function useCallActionError(failedPrefix: string): { error: string | null; say: (err: unknown) => void; clear: () => void } {
  const { t, lang } = useLang();
  const [error, setError] = useState<string | null>(null);
  const say = (err: unknown) => setError(err instanceof SoftphoneError ? t.softphone.errors[err.code] : `${failedPrefix}${errorText(err, lang)}`);
  return { error, say, clear: () => setError(null) };
}
