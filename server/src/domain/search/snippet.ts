/**
 * A short excerpt of `text` around the first place a word of the query occurs, so a hit in a
 * long message shows why it matched. Works on code points (Chinese text has no spaces).
 */
export function snippetAround(text: string, query: string, width = 120): string {
  const flat = text.normalize("NFKC").replace(/\s+/g, " ").trim();
  const chars = [...flat];
  if (chars.length <= width) return flat;
  const lower = flat.toLowerCase();
  const positions = query
    .normalize("NFKC")
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((term) => lower.indexOf(term))
    .filter((i) => i >= 0);
  const hit = positions.length > 0 ? [...lower.slice(0, Math.min(...positions))].length : 0;
  const start = Math.max(0, Math.min(hit - Math.floor(width / 4), chars.length - width));
  const end = start + width;
  return `${start > 0 ? "…" : ""}${chars.slice(start, end).join("")}${end < chars.length ? "…" : ""}`;
}
