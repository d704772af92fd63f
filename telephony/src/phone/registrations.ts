import { findSipAccount, removeSipRegistrations, saveSipRegistration, sipRegistrationsByUsername, type Deps, type SipRegistration } from "@yixian/server/domain";
import type { Binding, CredentialStore, Flow, RegistrarStore } from "../sip/index.ts";

/**
 * The registrar's stores on the database (through the domain facade), so every node sees every
 * device's bindings and a restart loses none. An address-of-record is `sip:<user name>@<realm>`;
 * the user name finds the tenant and the agent.
 */
function usernameOf(aor: string): string {
  return aor.slice(4, aor.lastIndexOf("@"));
}

const SESSION = "session:";

export class DatabaseCredentials implements CredentialStore {
  constructor(private readonly deps: Deps) {}

  async lookup(username: string, realm: string) {
    const account = await findSipAccount(this.deps, username);
    if (!account) return undefined;
    // a desk phone's H(A1) is for the realm it was set in; the softphone's for the server's now
    const ha1 = [...(account.realm === realm ? [{ MD5: account.device.md5, "SHA-256": account.device.sha256 }] : []), ...account.sessions.map((s) => ({ MD5: s.md5, "SHA-256": s.sha256 }))];
    const labels = [...(account.realm === realm ? ["device"] : []), ...account.sessions.map((s) => `${SESSION}${s.sessionId}`)];
    return { ha1, labels };
  }
}

function transportOf(flow: Flow | undefined): SipRegistration["transport"] {
  const name = flow?.transport?.toLowerCase();
  return name === "tcp" || name === "tls" || name === "ws" || name === "wss" ? name : "udp";
}

export class DatabaseRegistrarStore implements RegistrarStore {
  constructor(
    private readonly deps: Deps,
    private readonly nodeId: string | null,
  ) {}

  async list(aor: string): Promise<Binding[]> {
    const rows = await sipRegistrationsByUsername(this.deps, usernameOf(aor));
    return rows.map((r) => ({
      aor,
      contact: r.contact,
      expiresAt: r.expiresAt.getTime(),
      callId: r.callId,
      cseq: r.cseq,
      ...(r.flow ? { flow: JSON.parse(r.flow) as Flow } : {}),
      ...(r.sessionId ? { credential: `${SESSION}${r.sessionId}` } : {}),
      ...(r.userAgent ? { userAgent: r.userAgent } : {}),
    }));
  }

  async put(binding: Binding): Promise<void> {
    const username = usernameOf(binding.aor);
    const account = await findSipAccount(this.deps, username);
    if (!account) return;
    await saveSipRegistration(this.deps, account, {
      username,
      contact: binding.contact,
      transport: transportOf(binding.flow),
      flow: binding.flow ? JSON.stringify(binding.flow) : "",
      nodeId: this.nodeId,
      callId: binding.callId,
      cseq: binding.cseq,
      sessionId: binding.credential?.startsWith(SESSION) ? binding.credential.slice(SESSION.length) : null,
      userAgent: binding.userAgent?.slice(0, 200) ?? null,
      expiresAt: new Date(binding.expiresAt),
    });
  }

  async remove(aor: string, contact: string): Promise<void> {
    await removeSipRegistrations(this.deps, usernameOf(aor), contact);
  }

  async removeAll(aor: string): Promise<void> {
    await removeSipRegistrations(this.deps, usernameOf(aor));
  }
}
