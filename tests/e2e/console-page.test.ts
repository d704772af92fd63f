import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClockedServer, type ClockedServer } from "./support.ts";

// The server hands out the built console at / and at every console route (a reload of
// /conversations/:id works), while /api, /wallboard and missing asset files keep their own answers.
let server: ClockedServer;

beforeAll(async () => {
  server = await startClockedServer(new Date().toISOString());
});
afterAll(async () => {
  await server?.stop();
});

describe("serving the agent console", () => {
  it("answers the page at / and at its client-side routes, with a strict content policy", async () => {
    for (const path of ["/", "/conversations/01a2011a-4c56-73c1-9915-0701b53d170c", "/supervisor"]) {
      const res = await supertest(server.url).get(path).set("Accept", "text/html");
      expect(res.status, path).toBe(200);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    }
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await supertest(server.url).get("/").set("Accept", "text/html")).text)?.[1];
    expect(script).toBeTruthy();
    const asset = await supertest(server.url).get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("leaves the API, the wallboard and missing files alone", async () => {
    const api = await supertest(server.url).get("/api/no-such-thing").set("Accept", "text/html");
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe("NOT_FOUND");
    const wallboard = await supertest(server.url).get("/wallboard/").set("Accept", "text/html");
    expect(wallboard.status).toBe(200);
    expect(wallboard.text).toContain("Wallboard");
    const missing = await supertest(server.url).get("/assets/nothing-here.js");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
  });
});

describe("compression and caching", () => {
  /** The raw bytes of a GET (not decoded), with its headers. */
  async function raw(path: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = httpGet(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
    });
  }

  async function consoleScript(): Promise<string> {
    const page = await supertest(server.url).get("/").set("Accept", "text/html");
    return /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
  }

  it("sends the widget script and the console bundle compressed with br or gzip, whichever the browser accepts", async () => {
    for (const path of ["/widget.js", await consoleScript()]) {
      const plain = await raw(path);
      expect(plain.status).toBe(200);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      for (const [accept, encoding, decode] of [
        ["gzip, deflate", "gzip", gunzipSync],
        ["gzip, deflate, br", "br", brotliDecompressSync],
      ] as const) {
        const packed = await raw(path, { "Accept-Encoding": accept });
        expect(packed.headers["content-encoding"], `${path} ${accept}`).toBe(encoding);
        expect(packed.headers.vary).toContain("Accept-Encoding");
        // the widget is ~97 KB as it is and ~32 KB gzipped
        expect(packed.body.length, `${path} ${encoding}`).toBeLessThan(plain.body.length * 0.45);
        expect(Buffer.compare(decode(packed.body), plain.body)).toBe(0);
      }
    }
  });

  it("lets browsers keep hashed assets for a year and revalidate the page and the widget script", async () => {
    const asset = await raw(await consoleScript(), { "Accept-Encoding": "br" });
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    for (const [path, accept] of [
      ["/widget.js", "*/*"],
      ["/", "text/html"],
    ] as const) {
      const first = await raw(path, { Accept: accept, "Accept-Encoding": "gzip" });
      expect(first.headers["cache-control"], path).toContain("no-cache");
      const etag = first.headers.etag;
      expect(etag, path).toBeTruthy();
      const again = await raw(path, { Accept: accept, "Accept-Encoding": "gzip", "If-None-Match": etag! });
      expect(again.status, path).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });
});
