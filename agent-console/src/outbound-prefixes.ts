/**
 * The denied prefixes as the admin types them, one a line (spaces and dashes ignored): the
 * prefixes, or the first line that is not one (+ and 1 to 15 digits, as the server checks).
 */
export function parsePrefixes(text: string): { prefixes: string[]; bad: string | null } {
  const prefixes: string[] = [];
  for (const line of text.split(/[\n,，;；]/)) {
    const typed = line.trim();
    if (!typed) continue;
    const prefix = typed.replace(/[\s-]/g, "");
    if (!/^\+\d{1,15}$/.test(prefix)) return { prefixes: [], bad: typed };
    if (!prefixes.includes(prefix)) prefixes.push(prefix);
  }
  return { prefixes, bad: null };
}
