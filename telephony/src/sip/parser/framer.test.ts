import { describe, expect, it } from "vitest";
import { StreamFramer, type Framed } from "./framer.ts";
import { parseMessage } from "./parse-message.ts";

const options = (n: number, body = "") =>
  Buffer.from(
    [`OPTIONS sip:u@example.com SIP/2.0`, `Via: SIP/2.0/TCP h.example.com;branch=z9hG4bK${n}`, "From: <sip:a@example.com>;tag=1", "To: <sip:u@example.com>", `Call-ID: c${n}`, `CSeq: ${n} OPTIONS`, `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n"),
  );

const messages = (items: Framed[]) => items.flatMap((i) => (i.kind === "message" ? [parseMessage(i.data, { datagram: false }).callId] : []));

describe("stream framing", () => {
  it("puts a message split into single bytes back together", () => {
    const framer = new StreamFramer();
    const out: Framed[] = [];
    for (const byte of options(1, "hello")) out.push(...framer.push(Buffer.from([byte])));
    expect(messages(out)).toEqual(["c1"]);
  });

  it("separates pipelined messages and keeps the tail of a partial one", () => {
    const framer = new StreamFramer();
    const all = Buffer.concat([options(1, "body one"), options(2), options(3, "three")]);
    const cut = all.length - 7;
    expect(messages(framer.push(all.subarray(0, cut)))).toEqual(["c1", "c2"]);
    expect(messages(framer.push(all.subarray(cut)))).toEqual(["c3"]);
  });

  it("answers CRLFCRLF keep-alives and skips single CRLFs", () => {
    const framer = new StreamFramer();
    const out = framer.push(Buffer.concat([Buffer.from("\r\n\r\n"), options(1), Buffer.from("\r\n"), options(2)]));
    expect(out.map((i) => i.kind)).toEqual(["ping", "message", "message"]);
  });

  it("gives up on a stream without Content-Length, a negative one, or one past the size limit", () => {
    const noLength = Buffer.from("OPTIONS sip:u@h SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n");
    expect(new StreamFramer().push(noLength)).toMatchObject([{ kind: "fatal", error: { reason: "CONTENT_LENGTH" } }]);
    const negative = Buffer.from(options(1).toString().replace("Content-Length: 0", "Content-Length: -5"));
    expect(new StreamFramer().push(negative)).toMatchObject([{ kind: "fatal" }]);
    const framer = new StreamFramer(1000);
    expect(framer.push(Buffer.alloc(1001, 0x41))).toMatchObject([{ kind: "fatal", error: { reason: "TOO_LARGE" } }]);
    expect(framer.push(options(1))).toEqual([]);
  });
});
