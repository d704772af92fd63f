import { OUTBOUND_REFUSAL_HEADER, type SoftphoneCredentials } from "@yixian/contracts";
import type * as JsSIPModule from "jssip";
import type { UA } from "jssip";
import type { EndEvent, RTCSession } from "jssip/lib/RTCSession";
import type { RTCSessionEvent } from "jssip/lib/UA";
import { dialableNumber, dialTarget, headerId, isDtmfKey } from "./dial-number.ts";
import { outboundFailure, type EndCause } from "./end-cause.ts";

/**
 * The console's softphone: JsSIP (decision 0019) behind a small class whose snapshot React reads
 * with useSyncExternalStore. It registers over the server's /sip WebSocket with the session's
 * credentials, re-registers before expiry and after a reconnect (JsSIP does both), and
 * un-registers on stop(). One call at a time.
 */

/** off: not started or stopped · connecting: the WebSocket or the REGISTER is on its way · registered · unregistered: the registration ended or failed for now · refused: the server refused the credentials. */
export type PhoneState = "off" | "connecting" | "registered" | "unregistered" | "refused";

/** ringing: an incoming call waits for the agent · calling: our INVITE waits for an answer · connecting: answered, media starting · active. */
export type CallStatus = "ringing" | "calling" | "connecting" | "active";

export interface PhoneCall {
  id: string;
  direction: "inbound" | "outbound";
  status: CallStatus;
  /** The other party: the user part of their SIP URI (a phone number), and their display name. */
  number: string;
  name: string | null;
  /** From the server's INVITE: the routing offer and the conversation this call is. */
  offerId: string | null;
  conversationId: string | null;
  /** The ticket an outbound call was placed for. */
  ticketId: string | null;
  held: boolean;
  muted: boolean;
  /** Epoch ms when the call was answered. */
  answeredAt: number | null;
}

export type { EndCause } from "./end-cause.ts";

export interface CallSummary {
  number: string;
  direction: PhoneCall["direction"];
  cause: EndCause;
  /** How long it was answered for; null when it never was. */
  talkedMs: number | null;
}

export interface SoftphoneSnapshot {
  state: PhoneState;
  call: PhoneCall | null;
  lastCall: CallSummary | null;
  /** The ringer is sounding. */
  ringing: boolean;
}

export type SoftphoneErrorCode = "NOT_REGISTERED" | "CALL_IN_PROGRESS" | "NO_CALL" | "INVALID_NUMBER" | "INVALID_KEY";

export class SoftphoneError extends Error {
  override readonly name = "SoftphoneError";
  constructor(
    readonly code: SoftphoneErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface Ringer {
  start(): void;
  stop(): void;
}

export interface SoftphoneOptions {
  credentials: SoftphoneCredentials;
  /** ws(s)://host/sip */
  websocketUrl: string;
  ringer: Ringer;
  /**
   * Our Contact (sip:<user>@<host>.invalid;transport=ws). Kept for the browser tab, so that a reload
   * registers the same contact again and replaces its binding instead of leaving one behind.
   */
  contactUri?: string;
  /** Loads JsSIP (a chunk of its own); tests may hand another. */
  load?: () => Promise<typeof JsSIPModule>;
  now?: () => number;
}

export const OFF: SoftphoneSnapshot = { state: "off", call: null, lastCall: null, ringing: false };
const STOP_WAIT_MS = 2_000;
const REGISTER_EXPIRES_S = 600;
const RETRY_MS = [2_000, 5_000, 15_000, 30_000];

/** JsSIP's end causes (its `C.causes`) in the console's words; anything else is "failed". */
const CAUSES: Record<string, EndCause> = {
  Terminated: "remote-hung-up",
  Busy: "busy",
  Rejected: "declined",
  Unavailable: "unavailable",
  "Not Found": "not-found",
  "Address Incomplete": "not-found",
  Canceled: "cancelled",
  "No Answer": "no-answer",
  Expires: "no-answer",
  "User Denied Media Access": "microphone",
  "Incompatible SDP": "media",
  "Missing SDP": "media",
  "Bad Media Description": "media",
  "WebRTC Error": "media",
  "RTP Timeout": "media",
  "Connection Error": "connection",
  "Request Timeout": "connection",
};

async function loadJsSip(): Promise<typeof JsSIPModule> {
  const mod = await import("jssip");
  // JsSIP is CommonJS: its namespace may come as the default export
  return "UA" in mod ? mod : (mod as unknown as { default: typeof JsSIPModule }).default;
}

export class Softphone {
  private snap: SoftphoneSnapshot = OFF;
  private readonly listeners = new Set<() => void>();
  private jssip: typeof JsSIPModule | null = null;
  private ua: UA | null = null;
  private session: RTCSession | null = null;
  private audio: HTMLAudioElement | null = null;
  private remote: MediaStream | null = null;
  private stopped = false;
  private hangingUp = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly now: () => number;
  private ice: { iceServers: RTCIceServer[]; timeoutMs: number };

  constructor(private readonly options: SoftphoneOptions) {
    this.now = options.now ?? Date.now;
    this.ice = { iceServers: options.credentials.iceServers, timeoutMs: options.credentials.iceGatheringTimeoutMs };
  }

  // ——— for React ———

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): SoftphoneSnapshot => this.snap;

  private set(next: Partial<SoftphoneSnapshot>): void {
    this.snap = { ...this.snap, ...next };
    for (const listener of this.listeners) listener();
  }

  private setCall(change: Partial<PhoneCall>): void {
    if (this.snap.call) this.set({ call: { ...this.snap.call, ...change } });
  }

  /** ICE servers and the gathering timeout for the next calls (the registration is unchanged). */
  configureIce(iceServers: RTCIceServer[], timeoutMs: number): void {
    this.ice = { iceServers, timeoutMs };
  }

  /** The element the other party is heard through. */
  attachAudio(element: HTMLAudioElement | null): void {
    this.audio = element;
    if (element && element.srcObject !== this.remote) element.srcObject = this.remote;
  }

  // ——— registration ———

  async start(): Promise<void> {
    const { credentials, websocketUrl } = this.options;
    this.set({ state: "connecting" });
    const JsSIP = await (this.options.load ?? loadJsSip)();
    if (this.stopped) return;
    // JsSIP's log stays off unless localStorage.debug names it ("JsSIP:*"), as the debug library does
    this.jssip = JsSIP;
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(websocketUrl)],
      uri: credentials.uri,
      authorization_user: credentials.username,
      password: credentials.password,
      realm: credentials.realm,
      register: true,
      register_expires: REGISTER_EXPIRES_S,
      // the B2BUA keeps calls alive; our UA core answers an unknown Require with 420
      session_timers: false,
      user_agent: `Yixian console (JsSIP ${JsSIP.version})`,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
      ...(this.options.contactUri ? { contact_uri: this.options.contactUri } : {}),
    });
    this.ua = ua;
    ua.on("connecting", () => this.snap.state !== "registered" && this.set({ state: "connecting" }));
    // JsSIP reconnects by itself and registers again once connected
    ua.on("disconnected", () => !this.stopped && this.set({ state: "connecting" }));
    ua.on("registered", () => {
      this.retries = 0;
      this.set({ state: "registered" });
    });
    // the socket dropped ends the registration too: while it reconnects, that is "connecting"
    ua.on("unregistered", () => this.set({ state: this.stopped ? "off" : ua.isConnected() ? "unregistered" : "connecting" }));
    ua.on("registrationFailed", (e) => {
      if (this.stopped) return;
      if (e.cause === "Authentication Error") {
        this.set({ state: "refused" });
        return;
      }
      // a timeout or a server error: try again, more slowly each time, while the socket is up
      this.set({ state: "unregistered" });
      this.retryLater();
    });
    ua.on("newRTCSession", (e: RTCSessionEvent) => this.onSession(e));
    ua.start();
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    const wait = RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)]!;
    this.retries += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped && this.ua?.isConnected() && !this.ua.isRegistered()) this.ua.register();
    }, wait);
  }

  /** Ends the call, un-registers (waiting at most 2 s for the answer) and closes the socket. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.options.ringer.stop();
    const ua = this.ua;
    if (!ua) {
      this.set({ ...OFF });
      return;
    }
    const wasRegistered = ua.isRegistered();
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, STOP_WAIT_MS);
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      ua.on("unregistered", finish);
      ua.on("registrationFailed", finish);
      ua.on("disconnected", finish);
    });
    ua.stop();
    if (wasRegistered) await done;
    this.set({ state: "off", call: null, ringing: false });
  }

  // ——— calls ———

  private onSession({ session, request, originator }: RTCSessionEvent): void {
    if (originator === "remote") {
      if (this.session || this.stopped) {
        session.terminate({ status_code: 486, reason_phrase: "Busy Here" });
        return;
      }
      const remote = session.remote_identity;
      this.track(session, {
        direction: "inbound",
        status: "ringing",
        number: remote.uri.user ?? "",
        name: remote.display_name || null,
        offerId: headerId(request.getHeader("X-Yixian-Offer")),
        conversationId: headerId(request.getHeader("X-Yixian-Conversation")),
        ticketId: null,
      });
      this.options.ringer.start();
      this.set({ ringing: true });
    }
  }

  private track(session: RTCSession, call: Omit<PhoneCall, "id" | "held" | "muted" | "answeredAt">): void {
    this.session = session;
    this.hangingUp = false;
    this.set({ call: { id: session.id, held: false, muted: false, answeredAt: null, ...call } });
    session.on("peerconnection", ({ peerconnection }) => this.watchMedia(peerconnection));
    // an outgoing call's connection exists before the event could be heard
    if (session.connection) this.watchMedia(session.connection);
    session.on("icecandidate", ({ ready }) => this.armIceTimeout(ready));
    session.on("accepted", () => this.session === session && this.setCall({ status: "connecting" }));
    session.on("confirmed", () => this.session === session && this.setCall({ status: "active", answeredAt: this.snap.call?.answeredAt ?? this.now() }));
    session.on("hold", () => this.session === session && this.setCall({ held: session.isOnHold().local }));
    session.on("unhold", () => this.session === session && this.setCall({ held: session.isOnHold().local }));
    session.on("muted", () => this.session === session && this.setCall({ muted: true }));
    session.on("unmuted", () => this.session === session && this.setCall({ muted: false }));
    session.on("ended", (e) => this.ended(session, e));
    session.on("failed", (e) => this.ended(session, e));
  }

  private readonly armedIce = new WeakSet<() => void>();

  /** JsSIP waits for the end of ICE gathering; this sends what was gathered after the timeout instead. */
  private armIceTimeout(ready: () => void): void {
    if (this.armedIce.has(ready)) return;
    this.armedIce.add(ready);
    setTimeout(ready, this.ice.timeoutMs);
  }

  private watchMedia(pc: RTCPeerConnection): void {
    pc.addEventListener("track", (e) => {
      this.remote = e.streams[0] ?? new MediaStream([e.track]);
      if (this.audio) this.audio.srcObject = this.remote;
    });
  }

  private stopRinging(): void {
    if (!this.snap.ringing) return;
    this.options.ringer.stop();
    this.set({ ringing: false });
  }

  private ended(session: RTCSession, e: EndEvent): void {
    if (this.session !== session) return;
    const call = this.snap.call;
    this.session = null;
    this.remote = null;
    if (this.audio) this.audio.srcObject = null;
    this.options.ringer.stop();
    const cause: EndCause =
      e.originator === "local" && (this.hangingUp || e.cause === "Terminated" || e.cause === "Canceled" || e.cause === "Rejected")
        ? "hung-up"
        : ((call?.direction === "outbound" ? this.refusedBecause(e) : null) ?? CAUSES[e.cause] ?? "failed");
    this.set({
      call: null,
      ringing: false,
      lastCall: call ? { number: call.number, direction: call.direction, cause, talkedMs: call.answeredAt === null ? null : this.now() - call.answeredAt } : this.snap.lastCall,
    });
  }

  /** A call we placed that the server or the far end refused: why, from the final response. */
  private refusedBecause(e: EndEvent): EndCause | null {
    const response = e.originator === "remote" ? e.message : null;
    if (!response || !("status_code" in response)) return null;
    return outboundFailure(response.status_code, response.getHeader(OUTBOUND_REFUSAL_HEADER));
  }

  private pcConfig(): RTCConfiguration {
    // one audio stream, nothing to bundle: rtpengine's answers carry no a=group:BUNDLE, which max-bundle would refuse
    return { iceServers: this.ice.iceServers, rtcpMuxPolicy: "require" };
  }

  private current(): RTCSession {
    if (!this.session) throw new SoftphoneError("NO_CALL", "there is no call");
    return this.session;
  }

  /** Answers the ringing call. */
  answer(): void {
    const session = this.current();
    if (this.snap.call?.status !== "ringing") return;
    this.stopRinging();
    this.setCall({ status: "connecting" });
    session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: this.pcConfig() });
  }

  /** Hangs up; a ringing call is declined (603), an outgoing one not yet answered is cancelled. */
  hangup(): void {
    const session = this.current();
    this.hangingUp = true;
    if (this.snap.call?.status === "ringing") session.terminate({ status_code: 603, reason_phrase: "Decline" });
    else session.terminate();
  }

  /** Puts the other party on hold (re-INVITE with a=sendonly) or takes them off it. */
  hold(on: boolean): void {
    const session = this.current();
    if (this.snap.call?.status !== "active") return;
    if (on) session.hold();
    else session.unhold();
  }

  /** Stops (or resumes) sending the microphone. */
  mute(on: boolean): void {
    const session = this.current();
    if (on) session.mute({ audio: true });
    else session.unmute({ audio: true });
  }

  /** Sends a key as RFC 2833 telephone-events in the media, as a desk phone does. */
  dtmf(key: string): void {
    const session = this.current();
    if (!isDtmfKey(key)) throw new SoftphoneError("INVALID_KEY", `not a keypad key: ${key}`);
    if (this.snap.call?.status !== "active" || !this.jssip) return;
    session.sendDTMF(key, { transportType: this.jssip.C.DTMF_TRANSPORT.RFC2833, duration: 120, interToneGap: 80 });
  }

  /** Calls a number: INVITE sip:<number>@<realm>, with X-Yixian-Ticket when the call is for a ticket. */
  dial(input: string, options: { ticketId?: string } = {}): void {
    if (this.session) throw new SoftphoneError("CALL_IN_PROGRESS", "a call is in progress");
    if (!this.ua || this.snap.state !== "registered") throw new SoftphoneError("NOT_REGISTERED", "the phone is not registered");
    const number = dialableNumber(input);
    if (!number) throw new SoftphoneError("INVALID_NUMBER", `not a phone number: ${input}`);
    const ticketId = headerId(options.ticketId);
    const session = this.ua.call(dialTarget(number, this.options.credentials.realm), {
      mediaConstraints: { audio: true, video: false },
      pcConfig: this.pcConfig(),
      extraHeaders: ticketId ? [`X-Yixian-Ticket: ${ticketId}`] : [],
    });
    this.track(session, { direction: "outbound", status: "calling", number, name: null, offerId: null, conversationId: null, ticketId });
  }
}
