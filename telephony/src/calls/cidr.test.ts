import { describe, expect, it } from "vitest";
import { addressAllowed } from "./cidr.ts";

describe("a trunk's allowed sources", () => {
  it("matches single addresses and IPv4 networks", () => {
    expect(addressAllowed("198.51.100.7", ["198.51.100.0/28"])).toBe(true);
    expect(addressAllowed("198.51.100.16", ["198.51.100.0/28"])).toBe(false);
    expect(addressAllowed("127.0.0.1", ["10.0.0.1", "127.0.0.1"])).toBe(true);
    expect(addressAllowed("127.0.0.2", ["127.0.0.1"])).toBe(false);
    expect(addressAllowed("203.0.113.9", ["0.0.0.0/0"])).toBe(true);
  });

  it("matches IPv6 networks, and IPv4-mapped addresses as IPv4", () => {
    expect(addressAllowed("2001:db8::1", ["2001:db8::/32"])).toBe(true);
    expect(addressAllowed("2001:db9::1", ["2001:db8::/32"])).toBe(false);
    expect(addressAllowed("::1", ["::1"])).toBe(true);
    expect(addressAllowed("::ffff:198.51.100.3", ["198.51.100.0/24"])).toBe(true);
    expect(addressAllowed("198.51.100.3", ["::ffff:0:0/96"])).toBe(false);
  });

  it("refuses what is not an address, and ignores malformed sources", () => {
    expect(addressAllowed("not an address", ["0.0.0.0/0"])).toBe(false);
    expect(addressAllowed("198.51.100.7", ["198.51.100.0/33", "garbage", ""])).toBe(false);
    expect(addressAllowed("198.51.100.7", [])).toBe(false);
  });
});
