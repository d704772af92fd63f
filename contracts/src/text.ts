/**
 * Characters that change how the text around them is displayed: bidi embeddings, overrides,
 * isolates and marks. In a file name, "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** `text` without bidi controls, e.g. for a file name shown to people or sent in a header. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}
