/**
 * Characters that change how the text around them is displayed: bidi embeddings, overrides,
 * isolates and marks. In a file name, "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** `text` without bidi controls, e.g. for a file name shown to people or sent in a header. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * Where `value` (a parsed JSON body, a query, a socket payload) holds U+0000 in a string or a
 * key, as `where.field.0.name`; null when nowhere. PostgreSQL cannot store NUL in text, so such
 * input is refused at the edge, naming the field, instead of failing in the database.
 */
export function nulPath(value: unknown, where: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? where : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${where}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes("\u0000") ? `${where}.${key.replaceAll("\u0000", "\\u0000")}` : nulPath(item, `${where}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
