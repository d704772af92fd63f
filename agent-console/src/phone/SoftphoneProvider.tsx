import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { queries } from "../queries.ts";
import { createRinger } from "./ring.ts";
import { OFF, Softphone, SoftphoneError, type CallSummary, type PhoneCall, type PhoneState, type SoftphoneSnapshot } from "./softphone.ts";

export { SoftphoneError } from "./softphone.ts";
export type { CallSummary, EndCause, PhoneCall, PhoneState } from "./softphone.ts";

/** What the rest of the console uses of the phone (the missed-call list dials with it). */
export interface SoftphoneApi {
  /** Registration: off, connecting, registered, unregistered, refused. */
  state: PhoneState;
  registered: boolean;
  /** The call ringing or in progress, if any. */
  call: PhoneCall | null;
  lastCall: CallSummary | null;
  /** The ringer is sounding. */
  ringing: boolean;
  /** This agent may take calls (a softphone exists for them). */
  available: boolean;
  /** Whether the server carries call audio now; "unavailable": the phone bar says how to enable it. */
  media: "ready" | "unavailable" | null;
  /** The SIP user and realm the softphone registers as. */
  identity: { username: string; realm: string } | null;
  answer(): void;
  hangup(): void;
  hold(on: boolean): void;
  mute(on: boolean): void;
  dtmf(key: string): void;
  /** Throws SoftphoneError: NOT_REGISTERED, CALL_IN_PROGRESS, INVALID_NUMBER. */
  dial(number: string, options?: { ticketId?: string }): void;
  /** Un-registers (before signing out). */
  stop(): Promise<void>;
  /** Where the other party is heard. */
  attachAudio(element: HTMLAudioElement | null): void;
}

const noPhone = (): never => {
  throw new SoftphoneError("NOT_REGISTERED", "the phone is not started");
};

const NONE: SoftphoneApi = {
  ...OFF,
  registered: false,
  available: false,
  media: null,
  identity: null,
  answer: noPhone,
  hangup: noPhone,
  hold: noPhone,
  mute: noPhone,
  dtmf: noPhone,
  dial: noPhone,
  stop: async () => undefined,
  attachAudio: () => undefined,
};

const SoftphoneContext = createContext<SoftphoneApi>(NONE);

/** The console's phone: `{ state, registered, call, answer, hangup, hold, mute, dtmf, dial, … }`. */
export function useSoftphone(): SoftphoneApi {
  return useContext(SoftphoneContext);
}

const subscribeNothing = () => () => undefined;
const offSnapshot = () => OFF;

function websocketUrl(path: string): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

const token = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");

/** This tab's SIP contact for a user: the same after a reload (sessionStorage), another in another tab. */
function tabContact(username: string): string {
  const key = `yx.softphone.contact.${username}`;
  try {
    const kept = sessionStorage.getItem(key);
    if (kept && /^sip:[a-z0-9]{8}@[a-z0-9]{12}\.invalid;transport=ws$/.test(kept)) return kept;
    const made = `sip:${token(8)}@${token(12)}.invalid;transport=ws`;
    sessionStorage.setItem(key, made);
    return made;
  } catch {
    return `sip:${token(8)}@${token(12)}.invalid;transport=ws`;
  }
}

/**
 * Starts the softphone for a signed-in agent who may take calls (`enabled`): fetches this
 * session's credentials, registers, and stops (un-registers) when the console signs out.
 */
export function SoftphoneProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const credentials = useQuery({ ...queries.softphone(), enabled });
  const [phone, setPhone] = useState<Softphone | null>(null);
  const creds = credentials.data;
  // a new registration only when what it registers with changes (not when the media state does)
  const registration = creds ? JSON.stringify([creds.uri, creds.username, creds.password, creds.realm, creds.websocketPath]) : null;

  useEffect(() => {
    if (!registration || !creds) return;
    const next = new Softphone({ credentials: creds, websocketUrl: websocketUrl(creds.websocketPath), ringer: createRinger(), contactUri: tabContact(creds.username) });
    setPhone(next);
    void next.start();
    return () => {
      void next.stop();
      setPhone(null);
    };
    // `creds` is the registration's: they change together
  }, [registration]);

  useEffect(() => {
    if (phone && creds) phone.configureIce(creds.iceServers, creds.iceGatheringTimeoutMs);
  }, [phone, creds]);

  const snap: SoftphoneSnapshot = useSyncExternalStore(phone?.subscribe ?? subscribeNothing, phone?.snapshot ?? offSnapshot);
  const value = useMemo<SoftphoneApi>(() => {
    if (!phone || !creds) return { ...NONE, available: enabled && credentials.isSuccess };
    return {
      ...snap,
      registered: snap.state === "registered",
      available: true,
      media: creds.media,
      identity: { username: creds.username, realm: creds.realm },
      answer: () => phone.answer(),
      hangup: () => phone.hangup(),
      hold: (on) => phone.hold(on),
      mute: (on) => phone.mute(on),
      dtmf: (key) => phone.dtmf(key),
      dial: (number, options) => phone.dial(number, options),
      stop: () => phone.stop(),
      attachAudio: (element) => phone.attachAudio(element),
    };
  }, [phone, creds, snap, enabled, credentials.isSuccess]);

  return <SoftphoneContext.Provider value={value}>{children}</SoftphoneContext.Provider>;
}
