/**
 * The entries of a widget's allowed origins that admit `origin`: the origin itself and its
 * any-port form (`http://localhost:*`), lower-cased. An entry may wildcard the port and nothing
 * else, so a developer's test page on any local port works without opening the host or scheme.
 */
export function originEntries(origin: string): string[] {
  const exact = origin.toLowerCase();
  try {
    const url = new URL(exact);
    if (url.protocol !== "http:" && url.protocol !== "https:") return [exact];
    return [exact, `${url.protocol}//${url.hostname}:*`];
  } catch {
    return [exact];
  }
}

/** Whether a widget whose allowed origins are `allowed` may be used from `origin`. */
export function originAllowed(allowed: readonly string[], origin: string): boolean {
  const entries = originEntries(origin);
  return allowed.some((a) => entries.includes(a.toLowerCase()));
}
