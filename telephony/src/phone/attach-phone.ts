import { readFileSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import { rooms } from "@yixian/contracts";
import { removeSessionRegistrations, sweepExpiredRegistrations, type Deps, type OutboxSubscriber } from "@yixian/server/domain";
import { startCallMedia } from "../calls/call-media.ts";
import { CallController } from "../calls/controller.ts";
import { DigestAuthenticator, Registrar, startSipStack, type SipLogger, type SipStack } from "../sip/index.ts";
import { createSourceGate, TrunkRegistrations, TrustedSources } from "../trunks/index.ts";
import { DatabaseCredentials, DatabaseRegistrarStore } from "./registrations.ts";

/**
 * The phone channel on a running server: SIP over WebSocket on the app's own HTTP server at
 * `/sip` (the console's softphone), and over UDP, TCP and TLS when SIP_UDP_PORT / SIP_TCP_PORT /
 * SIP_TLS_PORT are set (trunks, desk phones), on the server's HOST; out to TLS trunks always. REGISTER is answered by the registrar with digest
 * against the agents' devices and their sessions' softphone passwords; bindings live in the
 * database. The composition root wires it like the web chat adapter.
 */
export interface Phone {
  stack: SipStack;
  /** The call controller; null when there is no call media (rtpengine off or not installed). */
  calls: CallController | null;
  /** One line on call media for the banner: where it runs, or how to turn it on. */
  mediaStatus: string;
  /** Ends a signed-out session's softphone registrations. */
  subscriber: OutboxSubscriber;
  /** The trunks' source addresses, exempt from the rate limit per source. */
  trusted: TrustedSources;
  stop(): Promise<void>;
}

const SWEEP_EVERY_MS = 30_000;

export async function attachPhone(deps: Deps, http: HttpServer, options: { nodeId: string | null }): Promise<Phone> {
  const { config } = deps;
  const log: SipLogger = {
    warn: (fields, message) => deps.log.warn(fields, message),
    debug: (fields, message) => deps.log.debug(fields, message),
  };
  const authenticator = new DigestAuthenticator({ realm: config.sipRealm, credentials: new DatabaseCredentials(deps) });
  const trusted = new TrustedSources(deps);
  await trusted.refresh();
  const sources = createSourceGate(config, log, trusted);
  const registrar = new Registrar({
    store: new DatabaseRegistrarStore(deps, options.nodeId),
    authenticator,
    minExpires: 60,
    maxExpires: 3600,
    defaultExpires: 600,
    now: () => deps.clock.now().getTime(),
    log,
    onFailed: sources.registerFailed,
  });
  const { media, status: mediaStatus } = await startCallMedia(deps);
  if (!media) deps.log.warn(mediaStatus);
  // Via and Contact name the address phones reach (never 0.0.0.0; the public one behind NAT)
  const advertisedAddress = config.sipPublicAddress ?? (config.sipAddress !== config.host ? config.sipAddress : null);
  const advertised = advertisedAddress ? { publicAddress: advertisedAddress } : {};
  const { sipTls } = config;
  const own = sipTls.certFile && sipTls.keyFile ? { cert: readFileSync(sipTls.certFile), key: readFileSync(sipTls.keyFile) } : {};
  // TLS always connects out (to trunks that want it); it listens only on SIP_TLS_PORT
  const tls = { address: config.host, ...own, listen: sipTls.port !== null, port: sipTls.port ?? 0, ...(sipTls.caFile ? { ca: readFileSync(sipTls.caFile) } : {}), ...advertised };
  let calls: CallController | null = null;
  let stack: SipStack;
  try {
    stack = await startSipStack({
      ws: { path: "/sip" },
      ...(config.sipUdpPort !== null ? { udp: { address: config.host, port: config.sipUdpPort, ...advertised } } : {}),
      ...(config.sipTcpPort !== null ? { tcp: { address: config.host, port: config.sipTcpPort, ...advertised } } : {}),
      tls,
      log,
      gate: sources.gate,
      ua: {
        product: "Yixian",
        registrar,
        onInvite: (invite) => {
          if (calls) calls.onInvite(invite);
          else invite.reject(503);
        },
        onReInvite: (dialog, invite) => {
          if (calls) calls.onReInvite(dialog, invite);
          else if (dialog.localBody) invite.accept(dialog.localBody).catch(() => undefined);
          else invite.reject(488);
        },
      },
    });
  } catch (err) {
    await media?.stop();
    throw err;
  }
  if (media) {
    calls = new CallController(deps, stack.ua, media, options.nodeId, authenticator);
    await calls.sweep();
    // the console's softphone hears from GET /me/softphone that this server carries call audio
    const controller = calls;
    deps.phoneMedia = { ready: () => !controller.stopping };
    // a rule's message is spoken when the rule is saved, not on its first caller's time
    deps.phoneSpeech = controller.speech;
  }
  const detach = stack.ws!.attach(http);
  // registering trunks at their providers needs a SIP port they can send calls to
  const trunks = config.sipUdpPort !== null || config.sipTcpPort !== null || sipTls.port !== null ? new TrunkRegistrations(deps, stack.ua, { nodeId: options.nodeId }) : null;
  await trunks?.start();
  // bindings that expired without an unREGISTER: supervisors see the agent can no longer be rung
  const sweeper = setInterval(() => {
    void trusted.refresh();
    sweepExpiredRegistrations(deps).catch((err: unknown) => deps.log.warn({ err }, "sip: sweeping expired registrations failed"));
  }, SWEEP_EVERY_MS);
  sweeper.unref();
  const sessionRoom = rooms.session("");
  return {
    stack,
    calls,
    mediaStatus,
    trusted,
    subscriber: {
      name: "softphone registrations",
      async handle(delivery) {
        await trunks?.subscriber.handle(delivery);
        const { event, rooms: targets } = delivery;
        if (event === "trunk:changed") await trusted.refresh();
        if (event !== "session:revoked") return;
        for (const room of targets) if (room.startsWith(sessionRoom)) await removeSessionRegistrations(deps, room.slice(sessionRoom.length));
      },
    },
    async stop() {
      clearInterval(sweeper);
      await trunks?.stop();
      await calls?.stop();
      detach();
      await stack.close();
      await media?.stop();
    },
  };
}
