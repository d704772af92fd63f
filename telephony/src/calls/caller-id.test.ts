import { describe, expect, it } from "vitest";
import { parseMessage, type SipRequest } from "../sip/index.ts";
import { callerIdOf } from "./caller-id.ts";

function invite(from: string, extra: string[] = []): SipRequest {
  const text = [
    "INVITE sip:4001234567@127.0.0.1 SIP/2.0",
    "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKabc",
    `From: ${from};tag=1`,
    "To: <sip:4001234567@127.0.0.1>",
    "Call-ID: c1",
    "CSeq: 1 INVITE",
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
  return parseMessage(Buffer.from(text), { datagram: true }) as SipRequest;
}

describe("the caller's number", () => {
  it("comes from P-Asserted-Identity before From", () => {
    expect(callerIdOf(invite('"Trunk" <sip:0000@carrier.example>', ['P-Asserted-Identity: "王先生" <sip:+8613800138000@carrier.example>']))).toEqual({ number: "+8613800138000", name: "王先生" });
    expect(callerIdOf(invite("<sip:02161234567@carrier.example>", ["P-Asserted-Identity: <sip:anonymous@anonymous.invalid>, <tel:+862161234567>"]))).toEqual({ number: "+862161234567", name: null });
    expect(callerIdOf(invite('"Li" <sip:13800138000@carrier.example>'))).toEqual({ number: "13800138000", name: "Li" });
  });

  it("is withheld for anonymous URIs, Privacy: id, and user parts that are not numbers", () => {
    expect(callerIdOf(invite('"Anonymous" <sip:anonymous@anonymous.invalid>')).number).toBeNull();
    expect(callerIdOf(invite("<sip:13800138000@carrier.example>", ["Privacy: id"])).number).toBeNull();
    expect(callerIdOf(invite("<sip:unknown@carrier.example>")).number).toBeNull();
    expect(callerIdOf(invite("<sip:alice@carrier.example>")).number).toBeNull();
    expect(callerIdOf(invite("<sip:carrier.example>")).number).toBeNull();
  });
});
