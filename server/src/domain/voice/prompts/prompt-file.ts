import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { IVR_LANGUAGES, TENANT_PROMPT_NAMES } from "@yixian/contracts";
import { randomToken } from "../../../platform/ids.ts";
import type { Deps } from "../../context.ts";
import { cacheDir, cachedName, dropCachedCopies } from "./prompt-cache.ts";

const NAMES = new Set<string>(TENANT_PROMPT_NAMES);
const LANGUAGES = new Set<string>(IVR_LANGUAGES);

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

interface StoredPrompt {
  id: string;
  storage_key: string;
}

/** The cached local copy of a stored prompt; null when its stored file is gone. */
async function localCopy(deps: Deps, tenantId: string, name: string, language: string, row: StoredPrompt): Promise<string | null> {
  const dir = cacheDir(deps.config, tenantId);
  const fileName = cachedName(name, language, row.id);
  const file = join(dir, fileName);
  if (await exists(file)) return file;
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${randomToken(6)}.part`;
  try {
    await pipeline(await deps.storage.get(row.storage_key), createWriteStream(temp));
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    if ((err as { code?: unknown }).code !== "ENOENT") throw err;
    deps.log.warn({ tenantId, prompt: name, language, storageKey: row.storage_key }, "a tenant's prompt file is missing from storage; the built-in one plays");
    return null;
  }
  await dropCachedCopies(deps.config, tenantId, name, language, fileName);
  return file;
}

/**
 * The local file of a tenant's own recording of a prompt (or of "hold-music") in a language, for
 * the media server to play; null when the tenant has none (the built-in one plays). Copied from
 * storage into this node's cache the first time; a recording whose stored file is gone is
 * logged and treated as none, so a call never fails for want of a prompt.
 */
export async function tenantPromptFile(deps: Deps, tenantId: string, name: string, language: string): Promise<string | null> {
  return tenantPromptFiles(deps, tenantId)(name, language);
}

/**
 * `tenantPromptFile` for the prompts of one call: the tenant's recordings are read with one
 * query, the first time one is asked for, instead of one query per prompt the call plays. A
 * recording replaced during the call is heard from the next call on.
 */
export function tenantPromptFiles(deps: Deps, tenantId: string): (name: string, language: string) => Promise<string | null> {
  let rows: Promise<Map<string, StoredPrompt>> | null = null;
  const key = (name: string, language: string) => `${language}/${name}`;
  const load = async () => {
    const found = await deps.db.selectFrom("tenant_prompts").select(["id", "storage_key", "name", "language"]).where("tenant_id", "=", tenantId).execute();
    return new Map(found.map((r) => [key(r.name, r.language), { id: r.id, storage_key: r.storage_key }]));
  };
  return async (name, language) => {
    if (!NAMES.has(name) || !LANGUAGES.has(language)) return null;
    rows ??= load();
    const row = (await rows).get(key(name, language));
    return row ? localCopy(deps, tenantId, name, language, row) : null;
  };
}
