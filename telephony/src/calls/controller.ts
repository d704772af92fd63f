import { EventEmitter } from "node:events";
import { rooms, type OfferClosedEvent, type OfferEvent } from "@yixian/contracts";
import { closeOrphanedCalls, endCall, type Deps, type OutboxSubscriber } from "@yixian/server/domain";
import { join } from "node:path";
import { PromptLibrary, SpokenMessages } from "../prompts/index.ts";
import type { DigestAuthenticator, Dialog, IncomingInvite, UserAgent } from "../sip/index.ts";
import { TrunkDigest } from "../trunks/index.ts";
import type { Call, CallState } from "./call.ts";
import type { CallMedia } from "./call-media.ts";
import { finishCall } from "./finish.ts";
import { takeTrunkCall } from "./inbound.ts";
import { failOutboundCalls, fromAgentPhone, placeAgentCall } from "./outbound.ts";
import { outboundReInvited } from "./outbound-hold.ts";
import type { OutboundCall } from "./outbound-call.ts";
import { ringAgent, stopRinging } from "./ringing.ts";
import { CallRegistry, type Runtime } from "./runtime.ts";
import { apologiseOnNewMedia } from "./restart-apology.ts";
import { reInvited } from "./talking.ts";

const MEDIA_RESTARTED = "media server restarted";

/** A call as tests and the console's diagnostics see it. */
export interface CallView {
  sipCallId: string;
  /** inbound: from a trunk; outbound: placed by an agent's phone. */
  direction: "inbound" | "outbound";
  state: CallState;
  conversationId: string | null;
  callRecordId: string | null;
  held: boolean;
  /** Each agent leg rung: its offer, agent and state. */
  legs: { offerId: string; agentId: string; state: string }[];
  recordingId: string | null;
  /** What the IVR has played to the caller so far, in order (prompt names; `position 2`, `expected wait`). */
  heard: string[];
  /** The caller left the queue with a voicemail or asked for a call-back. */
  leaving: "voicemail" | "callback" | null;
}

function view(call: Call): CallView {
  return {
    sipCallId: call.sipCallId,
    direction: "inbound",
    state: call.state,
    conversationId: call.started?.conversationId ?? null,
    callRecordId: call.started?.callRecordId ?? null,
    held: call.held,
    legs: [...call.legs.values()].map((l) => ({ offerId: l.offerId, agentId: l.agentId, state: l.state })),
    recordingId: call.recordingId,
    heard: [...call.heard],
    leaving: call.leaving,
  };
}

function outboundView(call: OutboundCall): CallView {
  const state = call.state === "ringing" ? "setup" : call.state;
  return { sipCallId: call.sipCallId, direction: "outbound", state, conversationId: call.placed?.conversationId ?? null, callRecordId: call.placed?.callRecordId ?? null, held: call.held, legs: [], recordingId: call.recordingId, heard: [], leaving: null };
}

const AGENT_ROOM = rooms.agent("");

/**
 * The call controller (decision 0018): the B2BUA between trunks and agents' phones on this node.
 * It takes INVITEs from trunks, rings agents when routing offers them a call this node owns
 * (an outbox subscriber on `offer:new`), bridges, holds, rates, records and ends calls, and closes
 * call records that a dead node left open.
 */
export class CallController {
  private readonly events = new EventEmitter<{ change: [CallView] }>();
  private readonly calls = new CallRegistry();
  private readonly rt: Runtime;
  private readonly unsubscribe: () => void;
  private readonly sweeper: NodeJS.Timeout | null;
  private stopped = false;

  constructor(deps: Deps, ua: UserAgent, private readonly callMedia: CallMedia, nodeId: string | null, authenticator: DigestAuthenticator) {
    this.rt = {
      deps,
      ua,
      media: callMedia.media,
      keypad: callMedia.keypad,
      dtmf: callMedia.dtmf,
      recordingDir: callMedia.recordingDir,
      listenAddress: callMedia.listenAddress,
      prompts: new PromptLibrary(join(deps.config.dataDir, "prompt-cache")),
      speech: new SpokenMessages(join(deps.config.dataDir, "speech"), deps.log),
      nodeId,
      calls: this.calls,
      outbound: new Map(),
      authenticator,
      trunkDigest: new TrunkDigest(deps.config.sipRealm),
      log: deps.log.child({ component: "calls" }),
      changed: (call) => this.events.emit("change", view(call)),
      outboundChanged: (call) => this.events.emit("change", outboundView(call)),
    };
    callMedia.onRestart = () => void this.failAll(MEDIA_RESTARTED);
    this.unsubscribe = deps.outbox.subscribe(this.subscriber());
    this.sweeper = nodeId ? setInterval(() => void this.sweep(), deps.config.nodeTimeoutMs) : null;
    this.sweeper?.unref();
  }

  /** Closes the call records of nodes that are gone; runs at start-up and then every NODE_TIMEOUT_MS. */
  async sweep(): Promise<number> {
    if (!this.rt.nodeId) return 0;
    return closeOrphanedCalls(this.rt.deps, this.rt.nodeId).catch((err: unknown) => {
      this.rt.log.error({ err }, "closing the calls of dead nodes failed");
      return 0;
    });
  }

  /** A new INVITE (not in a dialog). */
  onInvite(invite: IncomingInvite): void {
    if (this.stopped) {
      invite.reject(503);
      return;
    }
    (fromAgentPhone(invite) ? placeAgentCall(this.rt, invite) : takeTrunkCall(this.rt, invite)).catch((err: unknown) => {
      this.rt.log.error({ err, callId: invite.request.callId }, "taking a call failed");
      invite.reject(500);
    });
  }

  onReInvite(dialog: Dialog, invite: IncomingInvite): void {
    if (outboundReInvited(this.rt, dialog, invite)) return;
    reInvited(this.rt, dialog, invite).catch((err: unknown) => this.rt.log.error({ err }, "a re-INVITE failed"));
  }

  /** True once the node began to stop: no new call is taken. */
  /** Navigation rules' messages, spoken for this node's calls. */
  get speech(): SpokenMessages {
    return this.rt.speech;
  }

  get stopping(): boolean {
    return this.stopped;
  }

  call(sipCallId: string): CallView | undefined {
    const call = this.calls.get(sipCallId);
    const outbound = this.rt.outbound.get(sipCallId);
    return call ? view(call) : outbound ? outboundView(outbound) : undefined;
  }

  /** RTP packets rtpengine has received from each party of a call, by tag (the caller's is "caller"). */
  packets(sipCallId: string): Promise<Record<string, number>> {
    return this.rt.media.packetsReceived(sipCallId);
  }

  /** Hears every change of every call on this node; answers a function that stops. */
  onChange(listener: (call: CallView) => void): () => void {
    this.events.on("change", listener);
    return () => this.events.off("change", listener);
  }

  private subscriber(): OutboxSubscriber {
    return {
      name: "call controller",
      handle: ({ event, rooms: targets, payload }) => {
        if (event === "offer:new") {
          const offer = payload as OfferEvent;
          if (offer.media !== "voice" || !offer.conversationId) return;
          const call = this.calls.ofConversation(offer.conversationId);
          const agentRoom = targets.find((r) => r.startsWith(AGENT_ROOM));
          if (!call || !agentRoom) return;
          const conversationId = offer.conversationId;
          ringAgent(this.rt, call, { offerId: offer.offerId, agentId: agentRoom.slice(AGENT_ROOM.length), conversationId }).catch((err: unknown) =>
            this.rt.log.error({ err, callId: call.sipCallId }, "ringing the agent failed"),
          );
        } else if (event === "offer:withdrawn") {
          const closed = payload as OfferClosedEvent;
          for (const call of this.calls.all()) if (call.legsOfOffer(closed.offerId).length > 0) stopRinging(this.rt, call, closed.offerId);
        }
      },
    };
  }

  /** Ends every call this node holds (media lost, or the node stopping): records end failed, phones hung up. */
  private async failAll(cause: string): Promise<void> {
    await failOutboundCalls(this.rt, cause);
    await Promise.all(
      this.calls.all().map(async (call) => {
        this.rt.log.warn({ callId: call.sipCallId, cause }, "ending a call");
        if (call.state === "setup") call.invite.reject(503);
        for (const leg of call.legs.values()) {
          if (leg.state === "ringing") leg.outgoing.cancel();
          else if (leg.dialog && leg.dialog.state !== "terminated") void this.rt.ua.bye(leg.dialog).catch(() => undefined);
        }
        const started = call.started;
        const was = call.state;
        // a caller hanging up from here on only finishes the call: its end is stored below
        if (was !== "setup") call.state = "after";
        call.bridged = null;
        call.waiting.abort();
        if (started && was !== "after") {
          await endCall(this.rt.deps, { tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId, side: "system", cause, disposition: "failed" }).catch(
            (err: unknown) => this.rt.log.error({ err }, "a failed call's end could not be stored"),
          );
        }
        if (cause === MEDIA_RESTARTED) await apologiseOnNewMedia(this.rt, call);
        if (call.state === "ended") return;
        if (call.dialog && call.dialog.state !== "terminated") void this.rt.ua.bye(call.dialog).catch(() => undefined);
        await finishCall(this.rt, call);
      }),
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.unsubscribe();
    this.callMedia.onRestart = null;
    await this.failAll("node stopped");
  }
}
