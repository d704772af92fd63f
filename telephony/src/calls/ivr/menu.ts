import { ALL_KEYS, type CallerLine } from "./caller-line.ts";
import type { PromptSet } from "./prompt-set.ts";

export interface MenuOptions {
  /** Times the menu is said before giving up (default 3). */
  tries?: number;
  /** How long to wait for a key after the menu (default 6 s). */
  timeoutMs?: number;
}

/**
 * The menu ("press 1 for …"): resolves with the key among `keys` the caller pressed (the routing
 * rules' menu choice), or null after `tries` times without one, or when the caller hangs up. A
 * key that is not a choice hears "not one of the choices" and the menu again.
 */
export async function askMenu(line: CallerLine, prompts: PromptSet, keys: string[], o: MenuOptions = {}): Promise<string | null> {
  if (keys.length === 0) return null;
  const menu = await prompts.menu(keys);
  for (let round = 0; round < (o.tries ?? 3); round++) {
    const { key: interrupted } = await line.play(menu, { interruptKeys: ALL_KEYS });
    const key = interrupted ?? (await line.nextKey({ timeoutMs: o.timeoutMs ?? 6000 }));
    if (line.hungUp.aborted) return null;
    if (key !== null && keys.includes(key)) return key;
    if (key !== null) await line.play(await prompts.file("key-invalid"));
  }
  return null;
}
