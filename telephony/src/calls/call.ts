import type { InboundNumber, StartedCall } from "@yixian/server/domain";
import type { MediaProfile } from "../media/index.ts";
import type { Dialog, IncomingInvite, OutgoingInvite } from "../sip/index.ts";

/**
 * Where a call is: being set up (trunk INVITE admitted, media and records made), waiting (the
 * IVR answered: prompts, music, queued), bridged to an agent, after (the agent hung up: rating),
 * ended.
 */
export type CallState = "setup" | "waiting" | "bridged" | "after" | "ended";

/** One INVITE to one registration of the agent an offer went to. */
export interface AgentLeg {
  /** rtpengine's branch for this leg's media. */
  id: string;
  offerId: string;
  agentId: string;
  profile: MediaProfile;
  /** The SDP rtpengine made for this agent (its port receives the agent's audio). */
  sdp: string;
  outgoing: OutgoingInvite;
  state: "ringing" | "answered" | "bridged" | "ended";
  dialog?: Dialog;
  /** The agent's answer (its DTLS role is kept on re-INVITEs). */
  answer?: string;
}

/** The caller's tag in rtpengine: the party who hears prompts and music. */
export const CALLER = "caller";

export class Call {
  state: CallState = "setup";
  started: StartedCall | null = null;
  /** The trunk leg once answered (200 and ACK). */
  dialog: Dialog | null = null;
  /** The SDP we answered the trunk with (rtpengine's port for the caller). */
  callerAnswer = "";
  readonly legs = new Map<string, AgentLeg>();
  /** The leg that answered and is talking. */
  bridged: AgentLeg | null = null;
  held = false;
  /** The attachment the recording was kept as, once kept. */
  recordingId: string | null = null;
  /** What the IVR has played to the caller, in order (for watchers: tests, diagnostics). */
  readonly heard: string[] = [];
  /**
   * The caller chose to leave a voicemail or be called back: no agent is rung any more, and the
   * IVR ends the call (a hang-up meanwhile only stops what plays; the message is still kept).
   */
  leaving: "voicemail" | "callback" | null = null;
  /** The IVR's part of the call (welcome to the end of the wait), while it runs. */
  ivr: Promise<void> | null = null;
  /** Aborted when the caller hangs up (or the call is torn down). */
  readonly hungUp = new AbortController();
  /** Aborted when the waiting part (welcome, music) ends: bridged, or gone. */
  waiting = new AbortController();
  private answeredResolve!: () => void;
  private doneResolve!: () => void;
  /** Resolves once the call is finished: media deleted, the recording kept. */
  readonly finished = new Promise<void>((resolve) => (this.doneResolve = resolve));
  /** Resolves once the trunk leg is answered (ringing agents waits for it). */
  readonly answered = new Promise<void>((resolve) => (this.answeredResolve = resolve));

  constructor(
    readonly sipCallId: string,
    readonly invite: IncomingInvite,
    readonly number: InboundNumber,
    /** The trunk's offer: every agent leg's media is offered from it. */
    readonly callerOffer: string,
    readonly caller: { number: string | null; name: string | null },
  ) {}

  get tenantId(): string {
    return this.number.tenantId;
  }

  done(): void {
    this.doneResolve();
  }

  markAnswered(): void {
    this.answeredResolve();
  }

  legsOfOffer(offerId: string): AgentLeg[] {
    return [...this.legs.values()].filter((l) => l.offerId === offerId);
  }
}
