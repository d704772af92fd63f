import { describe, expect, it } from "vitest";
import { fromOwnOrigin } from "./csrf.ts";

describe("own-origin check (CSRF)", () => {
  const host = "desk.example.com:3000";
  it("accepts the Host it was sent to, over http or https, and PUBLIC_URL's origin", () => {
    expect(fromOwnOrigin({ host, origin: "http://desk.example.com:3000" }, null)).toBe(true);
    expect(fromOwnOrigin({ host, origin: "https://desk.example.com:3000" }, null)).toBe(true);
    expect(fromOwnOrigin({ host: "10.0.0.5:3000", origin: "https://yixian.example.com" }, "https://yixian.example.com/")).toBe(true);
  });

  it("falls back to the Referer's origin only when there is no Origin", () => {
    expect(fromOwnOrigin({ host, referer: "http://desk.example.com:3000/tickets/1" }, null)).toBe(true);
    expect(fromOwnOrigin({ host, origin: "https://evil.example", referer: "http://desk.example.com:3000/" }, null)).toBe(false);
  });

  it("refuses other sites, look-alikes, Origin: null and requests that say nothing", () => {
    expect(fromOwnOrigin({ host, origin: "https://evil.example" }, null)).toBe(false);
    expect(fromOwnOrigin({ host, origin: "http://desk.example.com:3000.evil.example" }, null)).toBe(false);
    expect(fromOwnOrigin({ host, origin: "null" }, null)).toBe(false);
    expect(fromOwnOrigin({ host }, null)).toBe(false);
    expect(fromOwnOrigin({ host, referer: "not a url" }, null)).toBe(false);
  });
});
