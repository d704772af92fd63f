import { DigestAuthenticator, MemoryRegistrarStore, Registrar, startSipStack, type Binding, type SipRequest, type SipStack } from "../../telephony/src/sip/index.ts";
import { TEST_TIMERS } from "../../telephony/src/sip/interop/test-peers.ts";

/**
 * A SIP provider's registrar for trunks to register at: our own stack with digest (user
 * `yixian-trunk`, PROVIDER_PASSWORD, realm provider.example) granting at most 2 s, so a refresh
 * comes after 1 s.
 */
export const PROVIDER_PASSWORD = "provider secret 42";

export interface Provider {
  stack: SipStack;
  port: number;
  /** Every REGISTER the provider received. */
  registers: SipRequest[];
  /** The source port of each REGISTER: which server sent it. */
  ports: number[];
  /** The bindings after each change: one per successful REGISTER (refreshes too) and unREGISTER. */
  changes: Binding[][];
  /** Resolves once `ok` holds for the changes. */
  until(ok: (changes: Binding[][]) => boolean, what: string): Promise<void>;
  close(): Promise<void>;
}

/** With `tls` (a certificate and key) the provider takes REGISTER over TLS only. */
export async function provider(options: { tls?: { cert: string; key: string } } = {}): Promise<Provider> {
  const registers: SipRequest[] = [];
  const ports: number[] = [];
  const changes: Binding[][] = [];
  const waiters: { ok: (c: Binding[][]) => boolean; resolve: () => void }[] = [];
  const registrar = new Registrar({
    store: new MemoryRegistrarStore(),
    authenticator: new DigestAuthenticator({ realm: "provider.example", credentials: { lookup: async (username) => (username === "yixian-trunk" ? { password: PROVIDER_PASSWORD } : undefined) } }),
    minExpires: 1,
    maxExpires: 2,
    onChange: (_aor, bindings) => {
      changes.push(bindings);
      for (const w of waiters.filter((w) => w.ok(changes))) w.resolve();
    },
  });
  const stack = await startSipStack({
    ...(options.tls ? { tls: options.tls } : { udp: { port: 0 } }),
    timers: TEST_TIMERS,
    ua: {
      registrar: {
        register(request, transaction) {
          registers.push(request);
          ports.push(transaction.flow.remote.port);
          registrar.register(request, transaction);
        },
      },
    },
  });
  return {
    stack,
    port: stack.transports.get(options.tls ? "tls" : "udp").local.port,
    registers,
    ports,
    changes,
    until: (ok, what) =>
      new Promise((resolve, reject) => {
        if (ok(changes)) return resolve();
        const timer = setTimeout(() => reject(new Error(`the provider never saw ${what}`)), 15_000);
        waiters.push({ ok, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: () => stack.close(),
  };
}

