import { newCallId, getHeader, getHeaders, parseContact, parseUri, register, formatUri, sipUri, SipParseError, type NameAddr, type SipResponse, type Uri, type UserAgent } from "../sip/index.ts";

/** What one trunk registers with: the provider's registrar, the user and password, the Expires asked for. */
export interface ProviderAccount {
  registrar: string;
  transport: "udp" | "tcp" | "tls";
  username: string;
  password: string;
  expiresSeconds: number;
}

export type RegistrationReport = { state: "registered"; expiresAt: Date } | { state: "failing"; reason: string; retryInMs: number };

export interface ProviderRegistrationOptions {
  /** First wait after a failure; doubled per failure up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  /** Told after every REGISTER's outcome. */
  onReport: (report: RegistrationReport) => void;
}

/** `sip:host[:port]` of the provider's registrar, with `;transport=tcp` or `;transport=tls` when the trunk speaks TCP or TLS. */
export function registrarUri(account: Pick<ProviderAccount, "registrar" | "transport">): Uri {
  const uri = parseUri(`sip:${account.registrar}`);
  if (uri.kind === "sip" && account.transport !== "udp") uri.params.set("transport", account.transport);
  return uri;
}

/** The Expires the registrar granted our Contact: its `expires` parameter, else the Expires header, else what we asked. */
export function grantedSeconds(response: SipResponse, contact: NameAddr, asked: number): number {
  const ours = formatUri(contact.uri).toLowerCase();
  for (const value of getHeaders(response, "Contact")) {
    for (const part of splitContacts(value)) {
      try {
        const parsed = parseContact(part);
        if (parsed === "*" || formatUri(parsed.uri).toLowerCase() !== ours) continue;
        const expires = Number(parsed.params.get("expires"));
        if (Number.isFinite(expires) && expires > 0) return expires;
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
      }
    }
  }
  const header = Number(getHeader(response, "Expires"));
  return Number.isFinite(header) && header > 0 ? header : asked;
}

/** Contact values separated by commas outside <> and quotes. */
function splitContacts(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== "\\") quoted = !quoted;
    else if (!quoted && c === "<") depth++;
    else if (!quoted && c === ">") depth--;
    else if (!quoted && depth === 0 && c === ",") {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * One trunk's registration at its provider (RFC 3261 §10.2): REGISTER with digest, refreshed at
 * half the Expires the provider granted, tried again with back-off after a failure, and removed
 * with Expires: 0 when it stops. One Call-ID for its whole life, CSeq counting up (§10.2.4).
 */
export class ProviderRegistration {
  private readonly callId = newCallId();
  private seq = 1;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private registered = false;
  private stopped = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly ua: UserAgent,
    readonly account: ProviderAccount,
    private readonly options: ProviderRegistrationOptions,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Stops refreshing; with `unregister`, removes the binding at the provider (Expires: 0) if one may be there. */
  async stop(unregister: boolean): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
    if (!unregister || !this.registered) return;
    this.registered = false;
    await this.send(0).catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight = this.refresh();
    }, ms);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    const now = this.options.now ?? Date.now;
    let report: RegistrationReport;
    try {
      const response = await this.send(this.account.expiresSeconds);
      if (response.status >= 200 && response.status < 300) {
        const granted = grantedSeconds(response, this.contact(), this.account.expiresSeconds);
        this.registered = true;
        this.failures = 0;
        report = { state: "registered", expiresAt: new Date(now() + granted * 1000) };
        this.schedule((granted * 1000) / 2);
      } else {
        report = this.failed(response.status === 408 ? "no answer" : `${response.status} ${response.reason}`);
      }
    } catch (error) {
      report = this.failed(error instanceof Error ? error.message : String(error));
    }
    if (!this.stopped) this.options.onReport(report);
  }

  private failed(reason: string): RegistrationReport {
    const base = this.options.backoffMs ?? 5_000;
    const retryInMs = Math.min(base * 2 ** this.failures, this.options.maxBackoffMs ?? 300_000);
    this.failures++;
    this.schedule(retryInMs);
    return { state: "failing", reason, retryInMs };
  }

  private contact(): NameAddr {
    return this.ua.contactFor(this.account.transport);
  }

  private async send(expires: number): Promise<SipResponse> {
    const registrar = registrarUri(this.account);
    if (registrar.kind !== "sip") throw new Error("the registrar is not a SIP address");
    const response = await register(this.ua, {
      registrar,
      aor: { uri: sipUri(registrar.host, { user: this.account.username }), params: new Map() },
      contact: this.contact(),
      expires,
      credentials: { username: this.account.username, password: this.account.password },
      callId: this.callId,
      seq: this.seq,
    });
    this.seq = response.cseq.seq + 1;
    return response;
  }
}
