import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../../config.ts";

/**
 * Where this node keeps local copies of tenants' prompts for the media server to play:
 * `DATA_DIR/prompt-cache/<tenant>/<name>.<language>.<upload id>.wav`. A new upload has a new id,
 * so a copy is never stale; older copies of the same prompt are removed when a newer one is made.
 */
export function cacheDir(config: Config, tenantId: string): string {
  return join(config.dataDir, "prompt-cache", tenantId);
}

export function cachedName(name: string, language: string, id: string): string {
  return `${name}.${language}.${id}.wav`;
}

/** Removes this node's copies of a prompt, all but `keep`. */
export async function dropCachedCopies(config: Config, tenantId: string, name: string, language: string, keep: string | null = null): Promise<void> {
  const dir = cacheDir(config, tenantId);
  const files = await readdir(dir).catch(() => [] as string[]);
  const prefix = `${name}.${language}.`;
  await Promise.all(files.filter((f) => f.startsWith(prefix) && f !== keep).map((f) => rm(join(dir, f), { force: true })));
}
