import { describe, expect, it } from "vitest";
import { BencodeError, decode, encode } from "./bencode.ts";
import { parseDtmfEvent } from "./dtmf-events.ts";
import { readPcap } from "./recording/pcap.ts";

describe("bencode (rtpengine's NG encoding)", () => {
  it("encodes dictionaries with sorted keys, UTF-8 lengths in bytes, and decodes them back", () => {
    const value = { sdp: "v=0\r\ns=呼叫\r\n", command: "offer", flags: ["generate-mid", "port-latching"], "repeat-times": 3 };
    const bytes = encode(value);
    expect(bytes.toString("utf8")).toBe("d7:command5:offer5:flagsl12:generate-mid13:port-latchinge12:repeat-timesi3e3:sdp15:v=0\r\ns=呼叫\r\ne");
    expect(decode(bytes)).toEqual(value);
  });

  it("refuses truncated or malformed input with a BencodeError, never anything else", () => {
    for (const bad of ["d7:command", "i12", "l", "5:abc", "x", "d1:ai1e", "di1ei2ee", "i1ex"]) {
      expect(() => decode(Buffer.from(bad)), bad).toThrow(BencodeError);
    }
  });
});

describe("DTMF events from rtpengine", () => {
  it("reads the digit and who pressed it, and ignores what is not a DTMF event", () => {
    const event = Buffer.from('{"callid":"c1","source_tag":"caller","tags":["agent","caller"],"type":"DTMF","event":11,"duration":80,"volume":10}');
    expect(parseDtmfEvent(event)).toEqual({ callId: "c1", sourceTag: "caller", digit: "#", durationMs: 80 });
    expect(parseDtmfEvent(Buffer.from("not json"))).toBeNull();
    expect(parseDtmfEvent(Buffer.from('{"callid":"c1","source_tag":"x","event":42}'))).toBeNull();
  });
});

describe("pcap reading", () => {
  it("refuses a file that is not a pcap and keeps the packets before a cut", () => {
    expect(() => readPcap(Buffer.from("hello, this is not a capture file"))).toThrow(/not a pcap/);
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt32LE(101, 20);
    const ip = Buffer.alloc(28 + 4);
    ip[0] = 0x45;
    ip[9] = 17;
    ip.writeUInt16BE(5000, 20);
    ip.writeUInt16BE(6000, 22);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_800_000_000, 0);
    record.writeUInt32LE(500_000, 4);
    record.writeUInt32LE(ip.length, 8);
    const whole = Buffer.concat([header, record, ip]);
    const cut = Buffer.concat([whole, record, ip.subarray(0, 10)]);
    expect(readPcap(cut)).toEqual([{ at: 1_800_000_000_500, srcPort: 5000, dstPort: 6000, payload: Buffer.alloc(4) }]);
  });
});
