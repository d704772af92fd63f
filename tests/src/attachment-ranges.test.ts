import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";
import { pcmWav } from "./voice-kit.ts";

// A call recording plays in the console's <audio>, which asks for byte ranges as it seeks: the
// download answers them (206), refuses the impossible ones (416), and is as private as the ticket.
let server: TestServer;
let tenant: TestTenant;
beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTestTenant(server);
});
afterAll(async () => {
  await server?.stop();
});

// bytes that count up, so any slice is recognisable
const RECORDING = pcmWav(Buffer.from(Array.from({ length: 4000 }, (_, i) => i % 251)));

async function upload(user: TestUser): Promise<{ id: string; url: string; sha256: string }> {
  const res = await api(server, user).post("/api/attachments").attach("file", RECORDING, { filename: "通话录音.wav", contentType: "audio/wav" });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

const bytes = (req: supertest.Test) =>
  req.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on("data", (c: Buffer) => chunks.push(c));
    response.on("end", () => done(null, Buffer.concat(chunks)));
  });

describe("attachment downloads with HTTP ranges", () => {
  it("serves the whole file with Accept-Ranges and an ETag, and one range as 206 with Content-Range", async () => {
    const file = await upload(tenant.users.agent);
    const whole = await bytes(api(server, tenant.users.agent).get(file.url));
    expect(whole.status).toBe(200);
    expect(whole.headers["accept-ranges"]).toBe("bytes");
    expect(whole.headers.etag).toBe(`"${file.sha256}"`);
    expect(whole.headers["content-type"]).toBe("audio/wav");
    expect(whole.headers["content-encoding"]).toBeUndefined();
    expect(Buffer.compare(whole.body as Buffer, RECORDING)).toBe(0);

    const size = RECORDING.length;
    for (const [header, start, end] of [
      ["bytes=0-99", 0, 99],
      ["bytes=1000-", 1000, size - 1],
      ["bytes=-50", size - 50, size - 1],
      ["bytes=4000-999999", 4000, size - 1],
    ] as const) {
      const part = await bytes(api(server, tenant.users.agent).get(file.url).set("Range", header));
      expect(part.status, header).toBe(206);
      expect(part.headers["content-range"]).toBe(`bytes ${start}-${end}/${size}`);
      expect(part.headers["content-length"]).toBe(String(end - start + 1));
      expect(Buffer.compare(part.body as Buffer, RECORDING.subarray(start, end + 1)), header).toBe(0);
    }
  });

  it("answers 416 with the file's size for a range past the end, and the whole file for a range it may ignore", async () => {
    const file = await upload(tenant.users.agent);
    const size = RECORDING.length;
    for (const header of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, "bytes=-0"]) {
      const refused = await api(server, tenant.users.agent).get(file.url).set("Range", header);
      expect(refused.status, header).toBe(416);
      expect(refused.headers["content-range"]).toBe(`bytes */${size}`);
      expect(refused.body.error.code).toBe("RANGE_NOT_SATISFIABLE");
    }
    // malformed, several ranges, another unit, or an If-Range for another version: the whole file
    for (const [range, ifRange] of [["bytes=50-10", null], ["bytes=0-1,10-20", null], ["lines=1-2", null], ["bytes=0-9", '"an-older-version"']] as const) {
      const req = api(server, tenant.users.agent).get(file.url).set("Range", range);
      const whole = await bytes(ifRange ? req.set("If-Range", ifRange) : req);
      expect(whole.status, range).toBe(200);
      expect((whole.body as Buffer).length).toBe(size);
    }
    const same = await bytes(api(server, tenant.users.agent).get(file.url).set("Range", "bytes=0-9").set("If-Range", `"${file.sha256}"`));
    expect(same.status).toBe(206);
  });

  it("is never served to another tenant or without a session, whatever the range", async () => {
    const file = await upload(tenant.users.agent);
    const other = await createTestTenant(server);
    const foreign = await api(server, other.users.admin).get(file.url).set("Range", "bytes=0-99");
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
    const anonymous = await supertest(server.url).get(file.url).set("Range", "bytes=0-99");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHENTICATED");
    // the console's <audio> sends the session cookie, not a bearer header
    const viaCookie = await bytes(supertest(server.url).get(file.url).set("Cookie", `yx_session=${tenant.users.quality_inspector.token}`).set("Range", "bytes=44-63"));
    expect(viaCookie.status).toBe(206);
    expect(Buffer.compare(viaCookie.body as Buffer, RECORDING.subarray(44, 64))).toBe(0);
  });
});
