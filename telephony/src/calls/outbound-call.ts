import type { PlacedCall } from "@yixian/server/domain";
import type { MediaProfile } from "../media/index.ts";
import type { Dialog, IncomingInvite, OutgoingInvite } from "../sip/index.ts";

/** setup: checked, stored, the trunk INVITE on its way · ringing: the far end rings · bridged: talking · ended. */
export type OutboundState = "setup" | "ringing" | "bridged" | "ended";

/**
 * A call an agent's phone places through the tenant's trunk, on the node that took the phone's
 * INVITE: the device leg (our UAS side), the trunk leg (our UAC side) and one rtpengine call,
 * keyed by the trunk leg's Call-ID (also the CDR's and the conversation's ref).
 */
export class OutboundCall {
  state: OutboundState = "setup";
  placed: PlacedCall | null = null;
  trunk: OutgoingInvite | null = null;
  trunkDialog: Dialog | null = null;
  deviceDialog: Dialog | null = null;
  /** The SDP rtpengine made for the trunk (its port receives the customer's audio). */
  trunkSdp = "";
  /** The SDP rtpengine made for the agent's phone (its port receives the agent's audio). */
  deviceSdp = "";
  /** The far end's early media (183 with SDP: a ring-back tone, an announcement) reaches the agent's phone. */
  earlyMedia = false;
  /** The agent put the customer on hold (they hear music). */
  held = false;
  /** The agent's phone cancelled (or the node is stopping) before the far end answered. */
  cancelled = false;
  /** The CDR's end is stored (once, whichever side ends the call first). */
  recordEnded = false;
  recordingId: string | null = null;
  private doneResolve!: () => void;
  /** Resolves once the call is finished: media deleted, the recording kept. */
  readonly finished = new Promise<void>((resolve) => (this.doneResolve = resolve));

  constructor(
    readonly sipCallId: string,
    readonly device: IncomingInvite,
    /** The agent's tag in rtpengine: their INVITE's From tag. */
    readonly deviceTag: string,
    readonly deviceProfile: MediaProfile,
  ) {}

  done(): void {
    this.doneResolve();
  }
}
