import { describe, expect, it } from "vitest";
import { SESSION_COOKIE, bearerToken, handshakeToken, tokenFrom } from "./callers.ts";

const cookie = `theme=dark; ${SESSION_COOKIE}=from-cookie`;

describe("session tokens", () => {
  it("reads a bearer token, else the session cookie", () => {
    expect(tokenFrom({ authorization: "Bearer abc " })).toBe("abc");
    expect(tokenFrom({ authorization: "Bearer abc", cookie })).toBe("abc");
    expect(tokenFrom({ cookie })).toBe("from-cookie");
    expect(tokenFrom({ authorization: "Basic dXNlcg==", cookie })).toBe("from-cookie");
    expect(tokenFrom({ authorization: "Bearer  " })).toBeNull();
    expect(tokenFrom({ cookie: "theme=dark" })).toBeNull();
    expect(bearerToken({ authorization: "bearer abc" })).toBeNull();
  });

  it("takes a socket's auth.token first, then a bearer header, then the cookie from the console's own origin only", () => {
    const headers = { host: "desk.example.com", cookie };
    expect(handshakeToken({ auth: { token: "from-auth" }, headers: { ...headers, authorization: "Bearer b" } }, null)).toBe("from-auth");
    expect(handshakeToken({ auth: { token: "" }, headers: { ...headers, authorization: "Bearer b" } }, null)).toBe("b");
    expect(handshakeToken({ auth: {}, headers: { ...headers, origin: "http://desk.example.com" } }, null)).toBe("from-cookie");
    expect(handshakeToken({ auth: {}, headers }, null)).toBe("from-cookie");
    expect(handshakeToken({ auth: {}, headers: { ...headers, origin: "https://evil.example" } }, null)).toBeNull();
    expect(handshakeToken({ auth: { token: 42 }, headers: { host: "desk.example.com" } }, null)).toBeNull();
  });
});
