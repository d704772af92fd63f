import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../config.ts";

const cache = new Map<string, Buffer>();

/** WIDGET_SECRET, or a random one generated once and kept in DATA_DIR (restarts keep tokens valid). */
export function widgetSecret(config: Pick<Config, "widgetSecret" | "dataDir">): Buffer {
  if (config.widgetSecret) return Buffer.from(config.widgetSecret, "utf8");
  const cached = cache.get(config.dataDir);
  if (cached) return cached;
  const file = join(config.dataDir, "widget-secret");
  let secret: Buffer;
  try {
    secret = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const fresh = randomBytes(32).toString("hex");
    // "wx": a second process that raced us keeps the first file; read what won
    try {
      writeFileSync(file, fresh, { flag: "wx", mode: 0o600 });
    } catch {
      // exists now
    }
    secret = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  }
  cache.set(config.dataDir, secret);
  return secret;
}
