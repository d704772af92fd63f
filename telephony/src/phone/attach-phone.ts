import type { Server as HttpServer } from "node:http";
import { rooms } from "@yixian/contracts";
import { removeSessionRegistrations, sweepExpiredRegistrations, type Deps, type OutboxSubscriber } from "@yixian/server/domain";
import { DigestAuthenticator, Registrar, startSipStack, type SipLogger, type SipStack } from "../sip/index.ts";
import { DatabaseCredentials, DatabaseRegistrarStore } from "./registrations.ts";

/**
 * The phone channel on a running server: SIP over WebSocket on the app's own HTTP server at
 * `/sip` (the console's softphone), and over UDP and TCP when SIP_UDP_PORT / SIP_TCP_PORT are set
 * (trunks, desk phones), on the server's HOST. REGISTER is answered by the registrar with digest
 * against the agents' devices and their sessions' softphone passwords; bindings live in the
 * database. The composition root wires it like the web chat adapter.
 */
export interface Phone {
  stack: SipStack;
  /** Ends a signed-out session's softphone registrations. */
  subscriber: OutboxSubscriber;
  stop(): Promise<void>;
}

const SWEEP_EVERY_MS = 30_000;

export async function attachPhone(deps: Deps, http: HttpServer, options: { nodeId: string | null }): Promise<Phone> {
  const { config } = deps;
  const log: SipLogger = {
    warn: (fields, message) => deps.log.warn(fields, message),
    debug: (fields, message) => deps.log.debug(fields, message),
  };
  const registrar = new Registrar({
    store: new DatabaseRegistrarStore(deps, options.nodeId),
    authenticator: new DigestAuthenticator({ realm: config.sipRealm, credentials: new DatabaseCredentials(deps) }),
    minExpires: 60,
    maxExpires: 3600,
    defaultExpires: 600,
    now: () => deps.clock.now().getTime(),
    log,
  });
  const stack = await startSipStack({
    ws: { path: "/sip" },
    ...(config.sipUdpPort !== null ? { udp: { address: config.host, port: config.sipUdpPort } } : {}),
    ...(config.sipTcpPort !== null ? { tcp: { address: config.host, port: config.sipTcpPort } } : {}),
    log,
    ua: { product: "Yixian", registrar },
  });
  const detach = stack.ws!.attach(http);
  // bindings that expired without an unREGISTER: supervisors see the agent can no longer be rung
  const sweeper = setInterval(() => {
    sweepExpiredRegistrations(deps).catch((err: unknown) => deps.log.warn({ err }, "sip: sweeping expired registrations failed"));
  }, SWEEP_EVERY_MS);
  sweeper.unref();
  const sessionRoom = rooms.session("");
  return {
    stack,
    subscriber: {
      name: "softphone registrations",
      async handle({ event, rooms: targets }) {
        if (event !== "session:revoked") return;
        for (const room of targets) if (room.startsWith(sessionRoom)) await removeSessionRegistrations(deps, room.slice(sessionRoom.length));
      },
    },
    async stop() {
      clearInterval(sweeper);
      detach();
      await stack.close();
    },
  };
}
