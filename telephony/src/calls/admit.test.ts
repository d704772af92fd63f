import { describe, expect, it } from "vitest";
import { parseMessage, type SipRequest } from "../sip/index.ts";
import { dialledNumber, trunkDialledNumber } from "./admit.ts";

function invite(uri: string, to: string): SipRequest {
  const text = [`INVITE ${uri} SIP/2.0`, "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKabc", "From: <sip:13800138000@carrier.example>;tag=1", `To: ${to}`, "Call-ID: c1", "CSeq: 1 INVITE", "Content-Length: 0", "", ""].join("\r\n");
  return parseMessage(Buffer.from(text), { datagram: true }) as SipRequest;
}

describe("the number a trunk's call is for", () => {
  it("is the Request-URI's, else To's when the provider calls the Contact we registered", () => {
    expect(trunkDialledNumber(invite("sip:+864001234567@203.0.113.5", "<sip:+864009999999@carrier.example>"))).toBe("+864001234567");
    expect(trunkDialledNumber(invite("sip:yixian@203.0.113.5:5060", "<sip:+864001234567@carrier.example>"))).toBe("+864001234567");
    expect(trunkDialledNumber(invite("tel:4001234567", "<sip:yixian@carrier.example>"))).toBe("4001234567");
    expect(trunkDialledNumber(invite("sip:yixian@203.0.113.5", "<sip:support@carrier.example>"))).toBe("yixian");
  });

  it("stays the Request-URI's alone for an agent's call out", () => {
    expect(dialledNumber(invite("sip:yixian@203.0.113.5", "<sip:+864001234567@carrier.example>"))).toBe("yixian");
  });
});
