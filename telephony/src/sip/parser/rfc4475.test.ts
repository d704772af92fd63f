import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getHeaders, type SipMessage } from "../message.ts";
import { errorResponseFor } from "./error-response.ts";
import { SipParseError, type SipParseReason } from "./errors.ts";
import { parseContact } from "./name-addr.ts";
import { parseMessage } from "./parse-message.ts";
import { serializeMessage } from "./serialize.ts";

/** RFC 4475's messages, byte for byte as in its Appendix A archive. */
function fixture(name: string): Buffer {
  return readFileSync(new URL(`./__fixtures__/rfc4475/${name}.dat`, import.meta.url));
}

function parse(name: string): SipMessage {
  return parseMessage(fixture(name), { datagram: true });
}

function refusal(name: string): SipParseError {
  try {
    parse(name);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error(`${name} parsed, but it should have been refused`);
}

// §3.1.1 valid messages, and §3.2–3.4 messages that are well formed (their faults are for the layers above)
const WELL_FORMED = [
  "wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri", "transports",
  "mpart01", "unreason", "noreason", "badbranch", "unkscm", "novelsc", "unksm2", "bext01", "invut", "regaut01",
  "bcast", "zeromf", "cparam01", "cparam02", "regescrt", "sdp01", "inv2543",
];

// §3.1.2 invalid messages and the §3.3 ones a parser can tell apart, with why each is refused
const REFUSED: [string, SipParseReason, string | undefined][] = [
  ["badinv01", "BAD_HEADER", "Via"],
  ["clerr", "CONTENT_LENGTH", undefined],
  ["ncl", "CONTENT_LENGTH", undefined],
  ["scalar02", "BAD_HEADER", "CSeq"],
  ["scalarlg", "BAD_HEADER", "CSeq"],
  ["quotbal", "BAD_HEADER", "To"],
  ["ltgtruri", "REQUEST_URI", undefined],
  ["lwsruri", "START_LINE", undefined],
  ["lwsstart", "START_LINE", undefined],
  ["trws", "START_LINE", undefined],
  ["escruri", "REQUEST_URI", undefined],
  ["baddate", "BAD_HEADER", "Date"],
  ["regbadct", "BAD_HEADER", "Contact"],
  ["badaspec", "BAD_HEADER", "To"],
  ["baddn", "BAD_HEADER", "From"],
  ["badvers", "VERSION", undefined],
  ["mismatch01", "CSEQ_METHOD", "CSeq"],
  ["mismatch02", "CSEQ_METHOD", "CSeq"],
  ["bigcode", "STATUS_CODE", undefined],
  ["insuf", "MISSING_HEADER", "From"],
  ["multi01", "DUPLICATE_HEADER", undefined],
  ["mcl01", "CONTENT_LENGTH", undefined],
];

describe("RFC 4475 torture messages", () => {
  it.each(WELL_FORMED)("%s parses, and parses the same after serialising", (name) => {
    const msg = parse(name);
    const again = parseMessage(serializeMessage(msg), { datagram: false });
    expect(again).toEqual(msg);
  });

  it.each(REFUSED)("%s is refused (%s)", (name, reason, header) => {
    const error = refusal(name);
    expect(error.reason).toBe(reason);
    if (header) expect(error.header).toBe(header);
  });

  it("all 49 messages are covered", () => {
    expect(WELL_FORMED.length + REFUSED.length).toBe(49);
  });

  it("wsinv: folding, compact forms, escapes and odd spacing come out as values", () => {
    const msg = parse("wsinv");
    if (msg.kind !== "request") throw new Error("a request");
    expect(msg.method).toBe("INVITE");
    expect(msg.uri).toMatchObject({ kind: "sip", user: "vivekg", host: "chair-dnrc.example.com" });
    expect(msg.uri.kind === "sip" && [...msg.uri.params]).toEqual([["unknownparam", null]]);
    expect(msg.to.params.get("tag")).toBe("1918181833n");
    expect(msg.from.displayName).toBe('J Rosenberg \\"');
    expect(msg.from.params.get("tag")).toBe("98asjd8");
    expect(msg.cseq).toEqual({ seq: 9, method: "INVITE" });
    expect(msg.via.map((v) => [v.transport, v.host, v.params.get("branch")])).toEqual([
      ["UDP", "192.0.2.2", "390skdjuw"],
      ["TCP", "spindle.example.com", "z9hG4bK9ikj8"],
      ["UDP", "192.168.255.111", "z9hG4bK30239"],
    ]);
    expect(getHeaders(msg, "Subject")).toEqual([""]);
    expect(getHeaders(msg, "NewFangledHeader")).toEqual(["newfangled value continued newfangled value"]);
    expect(getHeaders(msg, "UnknownHeaderWithUnusualValue")).toEqual([";;,,;;,;"]);
    const contact = parseContact(getHeaders(msg, "Contact")[0] ?? "");
    expect(contact !== "*" && contact.displayName).toBe('Quoted string ""');
    expect(contact !== "*" && [...contact.params]).toEqual([["newparam", "newvalue"], ["secondparam", null], ["q", "0.33"]]);
    expect(msg.body.length).toBe(150);
  });

  it("intmeth: an unusual method, URI and Call-ID are taken as they are", () => {
    const msg = parse("intmeth");
    expect(msg.kind === "request" && msg.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(msg.kind === "request" && msg.uri.kind === "sip" && msg.uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(msg.callId).toBe("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  });

  it("dblreq: a datagram's bytes past Content-Length are dropped", () => {
    const msg = parse("dblreq");
    expect(msg.kind === "request" && msg.method).toBe("REGISTER");
    expect(msg.body.length).toBe(0);
  });

  it("mpart01: a binary body is kept byte for byte", () => {
    const raw = fixture("mpart01");
    const msg = parse("mpart01");
    expect(msg.body.equals(raw.subarray(raw.length - msg.body.length))).toBe(true);
    expect(msg.body.includes(0)).toBe(true);
  });

  it("noreason and unreason: an empty and a UTF-8 reason phrase", () => {
    expect(parse("noreason")).toMatchObject({ kind: "response", status: 100, reason: "" });
    expect(parse("unreason")).toMatchObject({ kind: "response", status: 200 });
  });

  it("a refused request gets its answer; a refused response gets none", () => {
    const answer = (name: string) => errorResponseFor(fixture(name), refusal(name))?.toString("utf8");
    expect(answer("badinv01")).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(answer("badvers")).toMatch(/^SIP\/2\.0 505 Version Not Supported\r\n/);
    expect(answer("mismatch01")).toContain("Call-ID: mismatch01.dj0234sxdfl3\r\n");
    expect(answer("scalarlg")).toBeUndefined();
    // the answer itself parses, with a To tag added
    const reply = parseMessage(Buffer.from(answer("baddate") ?? ""), { datagram: false });
    expect(reply.kind === "response" && reply.status).toBe(400);
  });
});
