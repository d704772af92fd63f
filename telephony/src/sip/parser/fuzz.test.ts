import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorResponseFor } from "./error-response.ts";
import { SipParseError } from "./errors.ts";
import { StreamFramer } from "./framer.ts";
import { parseMessage } from "./parse-message.ts";
import { serializeMessage } from "./serialize.ts";

const folder = new URL("./__fixtures__/rfc4475/", import.meta.url);
const seeds = readdirSync(folder).map((name) => readFileSync(new URL(name, folder)));

/** mulberry32: the same mutations on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [";", ",", '"', "<", ">", "\r\n", "\r\n ", " ", ":", "%", "%0", "\0", "@", "\\", "=", "SIP/2.0", "99999999999", "-1", "[", "]", "\r\n\r\n", "z9hG4bK", "Content-Length: 7\r\n", "é"];

function mutate(input: Buffer, next: () => number): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + Math.floor(next() * 2);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(next() * b.length);
    switch (Math.floor(next() * 6)) {
      case 0:
        b[at] = Math.floor(next() * 256);
        break;
      case 1: {
        const piece = Buffer.from(PIECES[Math.floor(next() * PIECES.length)] ?? "");
        b = Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]);
        break;
      }
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(next() * 20))]);
        break;
      case 3:
        b = b.subarray(0, at);
        break;
      case 4: {
        const lineEnd = b.indexOf("\r\n", at);
        const line = b.subarray(b.lastIndexOf("\n", at) + 1, lineEnd < 0 ? b.length : lineEnd + 2);
        b = Buffer.concat([b.subarray(0, at), line, b.subarray(at)]);
        break;
      }
      default:
        b = Buffer.concat([b.subarray(at), b.subarray(0, at)]);
    }
  }
  return b;
}

function parseOrRefuse(data: Buffer, datagram: boolean): boolean {
  let parsed;
  try {
    parsed = parseMessage(data, { datagram });
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
    errorResponseFor(data, error);
    return false;
  }
  // whatever parses serialises, and what it serialises to parses again to the same message
  expect(parseMessage(serializeMessage(parsed), { datagram: false })).toEqual(parsed);
  return true;
}

describe("fuzzing the parser", () => {
  it("4,000 mutated messages: parsed and stable, or refused with a SipParseError, nothing else", () => {
    const next = random(4475);
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      const seed = seeds[i % seeds.length] ?? Buffer.alloc(0);
      const data = mutate(seed, next);
      try {
        if (parseOrRefuse(data, i % 2 === 0)) parsed++;
      } catch (error) {
        throw new Error(`mutation ${i} of seed ${i % seeds.length}: ${JSON.stringify(data.toString("latin1"))}`, { cause: error });
      }
    }
    // the mutations are small enough that many messages still parse: both paths are exercised
    expect(parsed).toBeGreaterThan(200);
    expect(parsed).toBeLessThan(3200);
  }, 60_000);

  it("the stream framer takes mutated streams in random pieces without throwing", () => {
    const next = random(3261);
    for (let i = 0; i < 500; i++) {
      const framer = new StreamFramer(4096);
      const stream = Buffer.concat([0, 1, 2].map((k) => mutate(seeds[(i + k) % seeds.length] ?? Buffer.alloc(0), next)));
      for (let at = 0; at < stream.length; ) {
        const size = 1 + Math.floor(next() * 300);
        for (const item of framer.push(stream.subarray(at, at + size))) if (item.kind === "message") parseOrRefuse(item.data, false);
        at += size;
      }
    }
  }, 60_000);
});
