import type { SipTransport, Trunk, TrunkInput } from "@yixian/contracts";
import type { Strings } from "./i18n.tsx";

/**
 * The trunk form's draft: what the admin types, checked the way the server's `ZTrunkInput` checks
 * it (the patterns are the contracts', kept here so that the page does not bundle zod), and turned
 * into the body of POST or PUT /voice/trunks.
 *
 * Secrets are write-only: an edited trunk's draft starts with its digest user and registration
 * but no passwords. PUT replaces the whole trunk, so a section left on without its password is
 * removed on save: `drops` says which, and the form says so next to the password.
 */

export interface DidDraft {
  /** Stable React key of the row. */
  key: number;
  number: string;
  label: string;
  /** "" when the navigation rules decide. */
  queueId: string;
}

export interface TrunkDraft {
  name: string;
  enabled: boolean;
  hosts: string;
  transport: SipTransport;
  sources: string;
  digestOn: boolean;
  digestUser: string;
  digestPassword: string;
  registrationOn: boolean;
  registrar: string;
  registrationUser: string;
  registrationPassword: string;
  expires: string;
  callerId: string;
  dids: DidDraft[];
}

/** Which secrets the trunk being edited has stored (none for a new trunk). */
export interface StoredSecrets {
  digest: boolean;
  registration: boolean;
}

export const TRANSPORTS: readonly SipTransport[] = ["udp", "tcp", "tls"];
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;
const SOURCE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)(?:\/\d{1,3})?$/;
const E164 = /^\+[1-9]\d{5,14}$/;
const MIN_PASSWORD = 12;

let nextKey = 0;
export function emptyDid(): DidDraft {
  nextKey += 1;
  return { key: nextKey, number: "", label: "", queueId: "" };
}

export function draftOf(trunk: Trunk | null): TrunkDraft {
  return {
    name: trunk?.name ?? "",
    enabled: trunk?.enabled ?? true,
    hosts: trunk?.hosts.join("\n") ?? "",
    transport: trunk?.transport ?? "udp",
    sources: trunk?.allowedSources.join("\n") ?? "",
    digestOn: Boolean(trunk?.digestUsername),
    digestUser: trunk?.digestUsername ?? "",
    digestPassword: "",
    registrationOn: Boolean(trunk?.registration),
    registrar: trunk?.registration?.registrar ?? "",
    registrationUser: trunk?.registration?.username ?? "",
    registrationPassword: "",
    expires: String(trunk?.registration?.expiresSeconds ?? 3600),
    callerId: trunk?.callerId ?? "",
    dids: trunk?.dids.map((d) => ({ ...emptyDid(), number: d.number, label: d.label ?? "", queueId: d.queueId ?? "" })) ?? [],
  };
}

export function storedSecrets(trunk: Trunk | null): StoredSecrets {
  return { digest: Boolean(trunk?.digestUsername), registration: Boolean(trunk?.registration) };
}

/** The non-empty lines (or comma-separated entries) of a text box, trimmed, each once. */
export function lines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

/** The sections that saving removes: left on, but without their password, on a trunk that had them. */
export function drops(draft: TrunkDraft, stored: StoredSecrets): StoredSecrets {
  return {
    digest: draft.digestOn && draft.digestPassword === "" && stored.digest,
    registration: draft.registrationOn && draft.registrationPassword === "" && stored.registration,
  };
}

/**
 * What is wrong with the draft, by the name of the input at fault (`dids.0.number` for a number's
 * row); empty when it can be saved.
 */
export function problems(draft: TrunkDraft, stored: StoredSecrets, e: Strings["trunks"]["errors"]): Record<string, string> {
  const found: Record<string, string> = {};
  const removing = drops(draft, stored);
  if (!draft.name.trim()) found.name = e.name;
  const hosts = lines(draft.hosts);
  const badHosts = hosts.filter((h) => !HOST.test(h) || h.length > 255);
  if (hosts.length === 0) found.hosts = e.hosts;
  else if (badHosts.length) found.hosts = e.badHosts(badHosts.join(", "));
  const badSources = lines(draft.sources).filter((s) => !SOURCE.test(s));
  if (badSources.length) found.sources = e.badSources(badSources.join(", "));

  if (draft.digestOn && !removing.digest) {
    if (!draft.digestUser.trim()) found.digestUser = e.username;
    if (draft.digestPassword.length < MIN_PASSWORD) found.digestPassword = e.password;
  }
  const digestKept = draft.digestOn && !removing.digest;
  if (lines(draft.sources).length === 0 && !digestKept) found.sources ??= e.open;

  if (draft.registrationOn && !removing.registration) {
    if (!HOST.test(draft.registrar.trim())) found.registrar = e.registrar;
    if (!draft.registrationUser.trim()) found.registrationUser = e.username;
    if (draft.registrationPassword.length < MIN_PASSWORD) found.registrationPassword = e.password;
    const expires = Number(draft.expires);
    if (!Number.isInteger(expires) || expires < 60 || expires > 86_400) found.expires = e.expires;
  }
  if (draft.callerId.trim() && !E164.test(draft.callerId.trim())) found.callerId = e.e164;

  const seen = new Set<string>();
  draft.dids.forEach((d, i) => {
    const number = d.number.trim();
    if (!E164.test(number)) found[`dids.${i}.number`] = e.e164;
    else if (seen.has(number)) found[`dids.${i}.number`] = e.duplicate;
    seen.add(number);
  });
  return found;
}

/** The body of POST/PUT /voice/trunks; a section without its password is sent as removed. */
export function toInput(draft: TrunkDraft): TrunkInput {
  const digest = draft.digestOn && draft.digestPassword ? { username: draft.digestUser.trim(), password: draft.digestPassword } : null;
  const registration =
    draft.registrationOn && draft.registrationPassword
      ? { registrar: draft.registrar.trim(), username: draft.registrationUser.trim(), password: draft.registrationPassword, expiresSeconds: Number(draft.expires) }
      : null;
  return {
    name: draft.name.trim(),
    hosts: lines(draft.hosts),
    transport: draft.transport,
    allowedSources: lines(draft.sources),
    digest,
    registration,
    callerId: draft.callerId.trim() || null,
    dids: draft.dids.map((d) => ({ number: d.number.trim(), label: d.label.trim() || null, queueId: d.queueId || null })),
    enabled: draft.enabled,
  };
}
