import { describe, expect, it } from "vitest";
import { getHeader, getHeaders } from "../message.ts";
import { SipParseError } from "./errors.ts";
import { formatNameAddr, parseNameAddr } from "./name-addr.ts";
import { parseMessage } from "./parse-message.ts";
import { SipBuildError, serializeMessage } from "./serialize.ts";
import { formatUri, parseUri, unescapeUri } from "./uri.ts";
import { parseVia, sentByOf } from "./via.ts";

const crlf = (lines: string[]) => Buffer.from(lines.join("\r\n"), "utf8");

// RFC 3261 §24.2, F1 (Alice's INVITE through atlanta.com's proxy), in compact form where it can be
const INVITE = crlf([
  "INVITE sip:bob@biloxi.example.com SIP/2.0",
  "v: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9",
  "Max-Forwards: 70",
  "f: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
  "t: Bob <sip:bob@biloxi.example.com>",
  "i: 3848276298220188511@atlanta.example.com",
  "CSeq: 1 INVITE",
  "m: <sip:alice@client.atlanta.example.com;transport=tcp>",
  "c: application/sdp",
  "l: 151",
  "k: timer, 100rel",
  "",
  "v=0",
  "o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com",
  "s=-",
  "c=IN IP4 192.0.2.101",
  "t=0 0",
  "m=audio 49172 RTP/AVP 0",
  "a=rtpmap:0 PCMU/8000",
  "",
]);

// §24.1 Bob's REGISTER, with two Contacts on one line
const REGISTER = crlf([
  "REGISTER sips:ss2.biloxi.example.com SIP/2.0",
  "Via: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashds7",
  "Max-Forwards: 70",
  "From: Bob <sips:bob@biloxi.example.com>;tag=a73kszlfl",
  "To: Bob <sips:bob@biloxi.example.com>",
  "Call-ID: 1j9FpLxk3uxtm8tn@biloxi.example.com",
  "CSeq: 1 REGISTER",
  'Contact: <sips:bob@client.biloxi.example.com>;expires=3600, "Bob mobile" <sip:bob@[2001:db8::10]:5070>;q=0.5',
  "Content-Length: 0",
  "",
  "",
]);

describe("RFC 3261 examples", () => {
  it("compact header names come out in their long form, and the body is framed by Content-Length", () => {
    const msg = parseMessage(INVITE, { datagram: false });
    expect(msg.kind === "request" && formatUri(msg.uri)).toBe("sip:bob@biloxi.example.com");
    expect(msg.from).toMatchObject({ displayName: "Alice" });
    expect(msg.from.params.get("tag")).toBe("9fxced76sl");
    expect(msg.to.params.get("tag")).toBeUndefined();
    expect(msg.callId).toBe("3848276298220188511@atlanta.example.com");
    expect(getHeader(msg, "Content-Type")).toBe("application/sdp");
    expect(getHeaders(msg, "Supported")).toEqual(["timer", "100rel"]);
    expect(msg.body.toString()).toMatch(/^v=0\r\n[\s\S]*PCMU\/8000\r\n$/);
    expect(msg.via[0] && sentByOf(msg.via[0])).toBe("client.atlanta.example.com:5060");
  });

  it("a multi-value Contact line gives one value each, IPv6 and sips included", () => {
    const msg = parseMessage(REGISTER, { datagram: false });
    const contacts = getHeaders(msg, "Contact").map((c) => parseNameAddr(c, "Contact"));
    expect(contacts.map((c) => formatNameAddr(c))).toEqual([
      "<sips:bob@client.biloxi.example.com>;expires=3600",
      '"Bob mobile" <sip:bob@[2001:db8::10]:5070>;q=0.5',
    ]);
    expect(contacts[1]?.uri).toMatchObject({ host: "[2001:db8::10]", port: 5070 });
  });

  it("serialises what it parsed to the same message", () => {
    const msg = parseMessage(INVITE, { datagram: false });
    expect(parseMessage(serializeMessage(msg), { datagram: false })).toEqual(msg);
  });

  it("Via: received, rport and the RFC 2543 form without branch", () => {
    const via = parseVia("SIP/2.0/UDP 192.0.2.1:5062;rport=5062;received=198.51.100.7;branch=z9hG4bKx");
    expect([...via.params]).toEqual([["rport", "5062"], ["received", "198.51.100.7"], ["branch", "z9hG4bKx"]]);
    expect(parseVia("SIP/2.0/UDP iftgw.example.com").params.size).toBe(0);
    expect(() => parseVia("SIP/2.0/UDP host;branch")).toThrow(SipParseError);
  });

  it("escaped and unescaped URIs compare equal once unescaped", () => {
    const uri = parseUri("sip:%75se%72@example.com");
    expect(uri.kind === "sip" && unescapeUri(uri.user ?? "")).toBe("user");
  });

  it("refuses to write a header that would inject another", () => {
    const msg = parseMessage(INVITE, { datagram: false });
    msg.headers.push({ name: "Subject", value: "hi\r\nVia: SIP/2.0/UDP evil" });
    expect(() => serializeMessage(msg)).toThrow(SipBuildError);
  });

  it("refuses oversized messages and stream messages without Content-Length", () => {
    const big = Buffer.concat([INVITE, Buffer.alloc(70_000, 0x61)]);
    expect(() => parseMessage(big, { datagram: true })).toThrow(expect.objectContaining({ reason: "TOO_LARGE", status: 513 }));
    const noLength = crlf(["OPTIONS sip:a@b SIP/2.0", "Via: SIP/2.0/TCP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1", "To: <sip:a@b>", "Call-ID: x", "CSeq: 1 OPTIONS", "", ""]);
    expect(() => parseMessage(noLength, { datagram: false })).toThrow(expect.objectContaining({ reason: "CONTENT_LENGTH" }));
    expect(parseMessage(noLength, { datagram: true }).body.length).toBe(0);
  });
});
