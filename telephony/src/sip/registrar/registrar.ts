/** REGISTER processing (RFC 3261 §10.3): digest first, then the bindings of the To's address-of-record. */
import type { DigestAuthenticator } from "../auth/authenticator.ts";
import { createResponse, newTag } from "../build.ts";
import { getHeader, getHeaders, type SipHeader, type SipRequest } from "../message.ts";
import { parseContact, type NameAddr } from "../parser/name-addr.ts";
import { formatUri, unescapeUri, type Uri } from "../parser/uri.ts";
import type { ServerNonInviteTransaction } from "../transaction/server-non-invite.ts";
import { silentLogger, type Flow, type SipLogger } from "../transport/types.ts";
import type { RegisterHandler } from "../ua/user-agent.ts";
import type { Binding, RegistrarStore } from "./store.ts";

export interface RegistrarOptions {
  store: RegistrarStore;
  /** Without one every REGISTER is taken (tests, a trusted network). */
  authenticator?: DigestAuthenticator;
  minExpires?: number;
  maxExpires?: number;
  defaultExpires?: number;
  now?: () => number;
  log?: SipLogger;
  /** Told after an AOR's bindings changed (presence: a device came or went). */
  onChange?: (aor: string, bindings: Binding[]) => void;
  /**
   * Told of a REGISTER that failed: wrong or unknown credentials, not the caller's address-of-record,
   * a malformed one (a rate limit per source charges it). The first challenge of a REGISTER without
   * credentials is no failure.
   */
  onFailed?: (request: SipRequest, flow: Flow) => void;
}

/** `sip:user@host` of a To URI: the key bindings are filed under. */
export function addressOfRecord(uri: Uri): string | undefined {
  if (uri.kind !== "sip" || uri.user === undefined) return undefined;
  return `sip:${unescapeUri(uri.user)}@${uri.host}`;
}

export class Registrar implements RegisterHandler {
  private readonly now: () => number;
  private readonly log: SipLogger;

  constructor(private readonly options: RegistrarOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
  }

  register(request: SipRequest, transaction: ServerNonInviteTransaction): void {
    const toTag = newTag();
    // a right answer to an old nonce is asked again with stale=true: no failure
    const challenge = { stale: false };
    const reply = (status: number, headers: SipHeader[] = [], reason?: string) => {
      const failed = status >= 400 && status !== 423 && (status !== 401 || (getHeader(request, "Authorization") !== undefined && !challenge.stale));
      if (failed && status < 500) this.options.onFailed?.(request, transaction.flow);
      transaction.respond(createResponse(request, status, { toTag, headers, reason }));
    };
    this.process(request, transaction, reply, challenge).catch((error: unknown) => {
      this.log.warn({ err: error instanceof Error ? error.message : String(error), callId: request.callId }, "sip: REGISTER failed");
      reply(500);
    });
  }

  private async process(
    request: SipRequest,
    transaction: ServerNonInviteTransaction,
    reply: (status: number, headers?: SipHeader[], reason?: string) => void,
    challenge: { stale: boolean },
  ): Promise<void> {
    const aor = addressOfRecord(request.to.uri);
    if (!aor) return reply(404, [], "Not a SIP address-of-record");
    const authenticator = this.options.authenticator;
    let credential: string | undefined;
    if (authenticator) {
      const result = await authenticator.verify(request);
      if (!result.ok) {
        if (getHeader(request, "Authorization") !== undefined) this.log.debug({ aor, reason: result.reason }, "sip: REGISTER not authenticated");
        challenge.stale = result.stale;
        return reply(401, authenticator.challenge(result.stale));
      }
      if (`sip:${result.username}@` !== aor.slice(0, aor.indexOf("@") + 1)) return reply(403, [], "Not your address-of-record");
      credential = result.credential;
    }
    const contacts = getHeaders(request, "Contact").map((value) => parseContact(value));
    const expiresHeader = getHeader(request, "Expires");
    const store = this.options.store;
    if (contacts.includes("*")) {
      if (contacts.length !== 1 || expiresHeader !== "0") return reply(400, [], "Contact: * needs Expires: 0 and no other Contact");
      await store.removeAll(aor);
      return this.answer(aor, reply);
    }
    const min = this.options.minExpires ?? 60;
    const existing = new Map((await store.list(aor)).map((b) => [b.contact, b]));
    const changes: { contact: string; expires: number }[] = [];
    for (const contact of contacts as NameAddr[]) {
      const expires = Math.min(Number(contact.params.get("expires") ?? expiresHeader ?? this.options.defaultExpires ?? 3600), this.options.maxExpires ?? 3600);
      if (!Number.isFinite(expires) || expires < 0) return reply(400, [], "Bad expires");
      if (expires > 0 && expires < min) return reply(423, [{ name: "Min-Expires", value: String(min) }]);
      const key = formatUri(contact.uri);
      const old = existing.get(key);
      if (old && old.callId === request.callId && request.cseq.seq <= old.cseq) return reply(500, [], "Out of order REGISTER");
      changes.push({ contact: key, expires });
    }
    const flow = transaction.flow;
    for (const change of changes) {
      if (change.expires === 0) await store.remove(aor, change.contact);
      else {
        const userAgent = getHeader(request, "User-Agent");
        await store.put({
          aor,
          contact: change.contact,
          expiresAt: this.now() + change.expires * 1000,
          callId: request.callId,
          cseq: request.cseq.seq,
          flow,
          ...(credential !== undefined ? { credential } : {}),
          ...(userAgent !== undefined ? { userAgent } : {}),
        });
      }
    }
    if (changes.length > 0) this.options.onChange?.(aor, await store.list(aor));
    return this.answer(aor, reply);
  }

  /** 200 with every current binding and its time left. */
  private async answer(aor: string, reply: (status: number, headers?: SipHeader[]) => void): Promise<void> {
    const bindings = await this.options.store.list(aor);
    const now = this.now();
    const headers: SipHeader[] = bindings.map((b) => ({
      name: "Contact",
      value: `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
    }));
    headers.push({ name: "Date", value: new Date(now).toUTCString() });
    reply(200, headers);
  }
}
