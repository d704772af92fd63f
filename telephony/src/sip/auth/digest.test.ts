import { describe, expect, it } from "vitest";
import { authorize, digestHa1, digestResponse, NonceIssuer, parseAuthHeader } from "./digest.ts";

describe("digest", () => {
  it("MD5 with qop=auth gives RFC 2617's example response", () => {
    const ha1 = digestHa1("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life");
    const response = digestResponse({ algorithm: "MD5", ha1, method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qop: { nc: "00000001", cnonce: "0a4f113b" } });
    expect(response).toBe("6629fae49393a05397450978507c4ef1");
  });

  it("SHA-256 gives RFC 7616's example response", () => {
    const ha1 = digestHa1("SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life");
    const response = digestResponse({
      algorithm: "SHA-256",
      ha1,
      method: "GET",
      uri: "/dir/index.html",
      nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
      qop: { nc: "00000001", cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ" },
    });
    expect(response).toBe("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  });

  it("parses challenges with quoted commas and answers them", () => {
    const challenge = 'Digest realm="yixian, demo", nonce="abc", algorithm=SHA-256, qop="auth,auth-int", opaque="o"';
    expect([...(parseAuthHeader(challenge)?.params ?? [])]).toEqual([["realm", "yixian, demo"], ["nonce", "abc"], ["algorithm", "SHA-256"], ["qop", "auth,auth-int"], ["opaque", "o"]]);
    const answer = authorize(challenge, { username: "1001", password: "pw", method: "REGISTER", uri: "sip:example.com", cnonce: "c" });
    expect(answer).toMatch(/^Digest username="1001", realm="yixian, demo", nonce="abc", uri="sip:example.com", response="[0-9a-f]{64}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="c", opaque="o"$/);
    expect(authorize('Digest realm="r", nonce="n", algorithm=SHA-512-256', { username: "u", password: "p", method: "REGISTER", uri: "sip:x" })).toBeUndefined();
  });

  it("nonces expire into stale, and a forged one is invalid", () => {
    let now = 1_000_000;
    const nonces = new NonceIssuer(60_000, () => now);
    const nonce = nonces.issue();
    expect(nonces.check(nonce)).toBe("valid");
    now += 60_001;
    expect(nonces.check(nonce)).toBe("stale");
    // its signature's last character changed (to another one: 1 in 64 nonces already ends in x)
    expect(nonces.check(`${nonce.slice(0, -1)}${nonce.endsWith("x") ? "y" : "x"}`)).toBe("invalid");
    expect(new NonceIssuer().check(nonce)).toBe("invalid");
  });
});
