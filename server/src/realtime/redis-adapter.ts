import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { Logger } from "../platform/logger.ts";
import type { YxServer } from "./socket-server.ts";

/** Shares socket.io rooms between server nodes through Redis pub/sub. Returns a closer. */
export async function attachRedisAdapter(io: YxServer, url: string, log: Logger): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (err: unknown) => log.error({ err }, "redis error"));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  log.info("socket.io redis adapter attached");
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
