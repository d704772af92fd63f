import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { LocalDiskStorage } from "./adapters/local-disk-storage.ts";
import { SoxAudioConverter } from "./adapters/sox-audio.ts";
import type { Config } from "./config.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import type { Deps } from "./domain/context.ts";
import { Outbox } from "./domain/events/outbox.ts";
import { OutboundPorts } from "./domain/channels/outbound-port.ts";
import { replyDelivery } from "./domain/channels/deliver-replies.ts";
import { createApp, type AppState } from "./http/app.ts";
import { systemClock, type Clock } from "./platform/clock.ts";
import { createLogger, type Logger } from "./platform/logger.ts";
import { attachRedisAdapter } from "./realtime/redis-adapter.ts";
import { createSocketServer, socketFanout, type SocketHooks, type YxServer } from "./realtime/socket-server.ts";
import { attachWallboard } from "./realtime/wallboard-namespace.ts";
import { attachVisitorNamespace, webchatRoutes, widgetCors } from "../../channels/src/webchat/index.ts";
import { trackAgentConnections } from "./realtime/agent-connections.ts";
import { attachPhone, type Phone } from "../../telephony/src/phone/index.ts";
import { promptCatalogueRoutes } from "../../telephony/src/prompts/routes.ts";
import { runHousekeeping } from "./domain/housekeeping.ts";
import { startSlaWatcher } from "./domain/sla/sla-watcher.ts";
import { Dispatcher } from "./domain/routing/runtime.ts";

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  io: YxServer;
  http: HttpServer;
  /** The SIP side: the registrar and UA on /sip (and UDP/TCP when configured). */
  phone: Phone;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Runs after migrations and before the server listens (the demo seed, test fixtures). */
  beforeListen?: (deps: Deps) => Promise<void>;
}

/** Opens the database, migrates, wires the app and socket.io, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const database: Database = config.databaseUrl
    ? await openDatabase({
        kind: "postgres",
        url: config.databaseUrl,
        poolSize: config.databasePoolSize,
        onIdleError: (err) => log.warn({ err }, "idle PostgreSQL connection lost"),
      })
    : await openDatabase({ kind: "pglite", dataDir: config.dataDir });
  const closers: (() => Promise<void>)[] = [];
  try {
    const applied = await migrate(database.db);
    if (applied.length > 0) log.info({ applied }, "migrations applied");

    const outbox = new Outbox(database.db, log);
    const dispatcher = new Dispatcher();
    const deps: Deps = {
      db: database.db,
      dbKind: database.kind,
      autocommit: database.autocommit,
      config,
      log,
      clock: options.clock ?? systemClock,
      outbox,
      storage: new LocalDiskStorage(join(config.dataDir, "attachments")),
      audio: new SoxAudioConverter(),
      channels: new OutboundPorts(),
      routing: dispatcher,
    };
    if (options.beforeListen) await options.beforeListen(deps);

    const state: AppState = { ready: false };
    const app = createApp(deps, state, { routes: [...webchatRoutes, ...promptCatalogueRoutes], cors: [{ path: "/widget", handler: widgetCors(deps) }] });
    const http = createServer(app);
    const hooks: SocketHooks = {};
    const io = createSocketServer(http, deps, hooks);
    if (config.redisUrl) closers.push(await attachRedisAdapter(io, config.redisUrl, log));
    outbox.subscribe(socketFanout(io, { clustered: config.redisUrl !== null }));
    outbox.subscribe(replyDelivery(deps));
    // first of the closers: the pusher stops before the Redis adapter it emits through
    closers.unshift(attachWallboard(io, deps).stop);
    const visitors = attachVisitorNamespace(io, deps);
    deps.channels.register(visitors.port);
    hooks.agentTyping = (tenantId, e) => deps.channels.typing(tenantId, e);
    closers.unshift(visitors.stop);
    const connections = await trackAgentConnections(io, deps);
    closers.unshift(connections.stop);
    const phone = await attachPhone(deps, http, { nodeId: connections.nodeId });
    outbox.subscribe(phone.subscriber);
    outbox.start();
    const stopHousekeeping = runHousekeeping(deps);
    const stopSlaWatcher = config.slaWatchMs > 0 ? startSlaWatcher(deps, { everyMs: config.slaWatchMs }) : async () => undefined;
    dispatcher.start(deps);

    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(config.port, config.host, () => resolve());
    });
    state.ready = true;
    const port = (http.address() as AddressInfo).port;
    const url = config.publicUrl ?? `http://localhost:${port}`;

    let closed = false;
    return {
      url,
      port,
      deps,
      io,
      http,
      phone,
      close: async () => {
        if (closed) return;
        closed = true;
        state.ready = false;
        stopHousekeeping();
        await dispatcher.stop();
        await stopSlaWatcher();
        await outbox.stop();
        // SIP WebSocket connections first: the HTTP server's close waits for every connection
        await phone.stop();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        for (const close of closers) await close();
        await database.close();
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    await database.close();
    throw err;
  }
}
