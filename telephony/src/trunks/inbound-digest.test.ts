import type { InboundTrunk } from "@yixian/server/domain";
import { describe, expect, it } from "vitest";
import { authorize, digestHa1, parseMessage, type SipRequest } from "../sip/index.ts";
import { TrunkDigest, type DigestCheck } from "./inbound-digest.ts";

const REALM = "yixian";
const trunk: InboundTrunk = {
  id: "t1",
  tenantId: "x",
  name: "电信",
  allowedSources: [],
  digest: { username: "carrier", md5: digestHa1("MD5", "carrier", REALM, "secret secret"), sha256: digestHa1("SHA-256", "carrier", REALM, "secret secret") },
  enabled: true,
};

function invite(headers: string[] = []): SipRequest {
  const text = ["INVITE sip:+864001234567@127.0.0.1:5060 SIP/2.0", "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKabc", "From: <sip:13800138000@carrier.example>;tag=1", "To: <sip:+864001234567@127.0.0.1>", "Call-ID: c1", "CSeq: 1 INVITE", ...headers, "Content-Length: 0", "", ""].join("\r\n");
  return parseMessage(Buffer.from(text), { datagram: true }) as SipRequest;
}

/** The challenge's header values (none unless it is a 407). */
const challengeOf = (result: DigestCheck): string[] => (!result.ok && result.status === 407 ? result.headers.map((h) => `${h.name}: ${h.value}`) : []);

async function answered(digest: TrunkDigest, password: string, uri = "sip:+864001234567@127.0.0.1:5060") {
  const first = await digest.check(invite(), trunk);
  if (first.ok || first.status !== 407) throw new Error("no challenge");
  const answer = authorize(first.headers[0]!.value, { username: "carrier", password, method: "INVITE", uri });
  return digest.check(invite([`Proxy-Authorization: ${answer}`]), trunk);
}

describe("a trunk's inbound digest", () => {
  it("challenges with 407 Proxy-Authenticate, MD5 first", async () => {
    const result = await new TrunkDigest(REALM).check(invite(), trunk);
    expect(result).toMatchObject({ ok: false, status: 407 });
    const headers = challengeOf(result);
    expect(headers).toHaveLength(2);
    expect(headers[0]).toMatch(/^Proxy-Authenticate: Digest .*algorithm=MD5/);
    expect(headers[1]).toMatch(/^Proxy-Authenticate: Digest .*algorithm=SHA-256/);
  });

  it("admits the right password, with the Request-URI or its host as the digest uri", async () => {
    expect(await answered(new TrunkDigest(REALM), "secret secret")).toEqual({ ok: true });
    expect(await answered(new TrunkDigest(REALM), "secret secret", "sip:127.0.0.1:5060")).toEqual({ ok: true });
  });

  it("refuses a wrong password or another URI with 403", async () => {
    expect(await answered(new TrunkDigest(REALM), "wrong wrong")).toMatchObject({ ok: false, status: 403 });
    expect(await answered(new TrunkDigest(REALM), "secret secret", "sip:elsewhere.example")).toMatchObject({ ok: false, status: 403 });
  });

  it("asks again with stale=true for a right answer to an old nonce", async () => {
    let now = 1_000_000;
    const digest = new TrunkDigest(REALM, () => now);
    const first = await digest.check(invite(), trunk);
    if (first.ok || first.status !== 407) throw new Error("no challenge");
    now += 10 * 60_000;
    const answer = authorize(first.headers[0]!.value, { username: "carrier", password: "secret secret", method: "INVITE", uri: "sip:+864001234567@127.0.0.1:5060" });
    const result = await digest.check(invite([`Proxy-Authorization: ${answer}`]), trunk);
    expect(result).toMatchObject({ ok: false, status: 407 });
    expect(challengeOf(result)[0]).toMatch(/stale=true/);
  });
});
