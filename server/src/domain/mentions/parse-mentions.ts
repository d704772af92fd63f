export interface Mentionable {
  id: string;
  name: string;
}

const LATIN_WORD = /[\p{Script=Latin}\p{N}_]/u;
/** Characters of an e-mail's local part: an @ after one of these is an address, not a mention. */
const ADDRESS_CHAR = /[A-Za-z0-9._%+-]/;

/**
 * The people an `@name` in the text names, in order of first mention. Names are matched against
 * the display names given (case-insensitive, longest first, so `@Li Lei` beats `@Li`); a Latin
 * name must end at a word boundary, a Chinese one may run straight into the text (`@李雷请看`).
 * `someone@example.com` is an address, not a mention.
 */
export function parseMentions(text: string, people: readonly Mentionable[]): string[] {
  const byLength = [...people].filter((p) => p.name.trim()).sort((a, b) => b.name.length - a.name.length);
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && ADDRESS_CHAR.test(text[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    const hit = byLength.find((p) => {
      const name = p.name.trim().toLowerCase();
      if (!rest.startsWith(name)) return false;
      const next = rest.charAt(name.length);
      const last = name.charAt(name.length - 1);
      return !(next && LATIN_WORD.test(last) && LATIN_WORD.test(next));
    });
    if (hit && !found.includes(hit.id)) found.push(hit.id);
  }
  return found;
}

/** The first characters of a note, for a mention's list entry. */
export function excerptOf(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat;
}
