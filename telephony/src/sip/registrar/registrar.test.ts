import { afterEach, describe, expect, it } from "vitest";
import { DigestAuthenticator, type CredentialStore } from "../auth/authenticator.ts";
import { authorize, digestHa1 } from "../auth/digest.ts";
import { newBranch } from "../build.ts";
import { TEST_TIMERS } from "../interop/test-peers.ts";
import { getHeader, getHeaders } from "../message.ts";
import { formatUri, sipUri } from "../parser/uri.ts";
import { startSipStack, type SipStack } from "../stack.ts";
import { register } from "../ua/register-client.ts";
import { Registrar } from "./registrar.ts";
import { MemoryRegistrarStore } from "./store.ts";

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function setUp(algorithms?: ("MD5" | "SHA-256")[], credentials?: CredentialStore) {
  let now = Date.UTC(2026, 11, 7);
  const clock = () => now;
  const store = new MemoryRegistrarStore(clock);
  const authenticator = new DigestAuthenticator({
    realm: "yixian.test",
    credentials: credentials ?? { lookup: async (username) => (username === "1001" ? { password: "s3cret" } : undefined) },
    algorithms,
    nonceTtlMs: 30_000,
    now: clock,
  });
  const changes: string[] = [];
  const registrar = new Registrar({ store, authenticator, now: clock, onChange: (aor, bindings) => changes.push(`${aor}:${bindings.length}`) });
  const server = await startSipStack({ udp: { port: 0 }, timers: TEST_TIMERS, ua: { registrar } });
  const phone = await startSipStack({ udp: { port: 0 }, timers: TEST_TIMERS });
  stacks.push(server, phone);
  const port = server.transports.get("udp").local.port;
  const options = (password: string, expires = 600) => ({
    registrar: sipUri("127.0.0.1", { port }),
    aor: { uri: sipUri("yixian.test", { user: "1001" }), params: new Map() },
    expires,
    credentials: { username: "1001", password },
    destination: { transport: "udp" as const, address: "127.0.0.1", port },
    callId: "reg-1",
  });
  return { store, changes, phone, options, advance: (ms: number) => (now += ms) };
}

describe("REGISTER with digest", () => {
  it("challenges (SHA-256 first, then MD5), takes the right password and keeps the binding", async () => {
    const { store, changes, phone, options } = await setUp();
    const response = await register(phone.ua, options("s3cret"));
    expect(response.status).toBe(200);
    expect(getHeader(response, "Contact")).toMatch(/^<sip:yixian@127\.0\.0\.1:\d+>;expires=600$/);
    const bindings = await store.list("sip:1001@yixian.test");
    expect(bindings).toHaveLength(1);
    expect(bindings[0]?.flow?.transport).toBe("udp");
    expect(changes).toEqual(["sip:1001@yixian.test:1"]);
  });

  it("an MD5-only registrar works the same", async () => {
    const { phone, options } = await setUp(["MD5"]);
    expect((await register(phone.ua, options("s3cret"))).status).toBe(200);
  });

  it("a store that keeps H(A1)s, several per user (desk phone, softphone sessions), takes any of them", async () => {
    const ha1s = ["desk", "session-1"].map((password) => ({ MD5: digestHa1("MD5", "1001", "yixian.test", password), "SHA-256": digestHa1("SHA-256", "1001", "yixian.test", password) }));
    const { phone, options } = await setUp(undefined, { lookup: async () => ({ ha1: ha1s }) });
    expect((await register(phone.ua, options("session-1"))).status).toBe(200);
    expect((await register(phone.ua, { ...options("desk"), seq: 5 })).status).toBe(200);
    expect((await register(phone.ua, { ...options("s3cret"), seq: 9 })).status).toBe(401);
  });

  it("a wrong password is refused with a new challenge and stores nothing", async () => {
    const { store, phone, options } = await setUp();
    const response = await register(phone.ua, options("guess"));
    expect(response.status).toBe(401);
    expect(getHeaders(response, "WWW-Authenticate").map((c) => /algorithm=([\w-]+)/.exec(c)?.[1])).toEqual(["SHA-256", "MD5"]);
    expect(await store.list("sip:1001@yixian.test")).toEqual([]);
  });

  it("a right answer to an expired nonce gets stale=true with a fresh nonce", async () => {
    const { phone, options, advance } = await setUp();
    const { credentials, destination, ...rest } = options("s3cret");
    const { request } = await phone.ua.newRequest("REGISTER", { uri: rest.registrar, from: rest.aor, to: rest.aor, destination, headers: [{ name: "Expires", value: "600" }] });
    const challenge = getHeaders(await phone.ua.resend(request, destination), "WWW-Authenticate")[0] ?? "";
    advance(31_000);
    const answer = authorize(challenge, { ...credentials, method: "REGISTER", uri: formatUri(rest.registrar) }) ?? "";
    const again = { ...request, cseq: { seq: 2, method: "REGISTER" }, via: [{ ...request.via[0]!, params: new Map([["branch", newBranch()]]) }], headers: [...request.headers, { name: "Authorization", value: answer }] };
    const stale = await phone.ua.resend(again, destination);
    expect(stale.status).toBe(401);
    expect(getHeaders(stale, "WWW-Authenticate").every((c) => c.endsWith("stale=true"))).toBe(true);
  });

  it("too short an expiry gets 423 with Min-Expires; expires 0 removes the binding; bindings lapse", async () => {
    const { phone, options, store, advance } = await setUp();
    const brief = await register(phone.ua, options("s3cret", 30));
    expect(brief.status).toBe(423);
    expect(getHeader(brief, "Min-Expires")).toBe("60");
    expect((await register(phone.ua, { ...options("s3cret", 120), seq: 5 })).status).toBe(200);
    advance(121_000);
    expect(await store.list("sip:1001@yixian.test")).toEqual([]);
    expect((await register(phone.ua, { ...options("s3cret", 120), seq: 9 })).status).toBe(200);
    expect((await register(phone.ua, { ...options("s3cret", 0), seq: 20 })).status).toBe(200);
    expect(await store.list("sip:1001@yixian.test")).toEqual([]);
  });
});
