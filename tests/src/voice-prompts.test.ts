import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TENANT_PROMPT_NAMES } from "@yixian/contracts";
import { tenantPromptFile } from "@yixian/server/domain";
import { api, createTestTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from "./harness.ts";

// A tenant's own phone prompts and music on hold: WAV (any kind sox reads) or MP3 in, 8 kHz mono
// 16-bit WAV stored and played; replaced, deleted (the built-in one again), never another
// tenant's; bad, cut-off, too large and too long files refused with their code and nothing kept.
// The recordings are made here with sox (scripts/test-services.sh installs it with MP3 support).

const run = promisify(execFile);

let server: TestServer;
let work: string;
const files: Record<string, Buffer> = {};

/** A WAV of 8 kHz µ-law samples, all the same value. */
function ulawWav(seconds: number, value: number): Buffer {
  const samples = Math.round(seconds * 8000);
  const head = Buffer.alloc(44);
  head.write("RIFF", 0);
  head.writeUInt32LE(36 + samples, 4);
  head.write("WAVEfmt ", 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(7, 20); // µ-law
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24);
  head.writeUInt32LE(8000, 28);
  head.writeUInt16LE(1, 32);
  head.writeUInt16LE(8, 34);
  head.write("data", 36);
  head.writeUInt32LE(samples, 40);
  return Buffer.concat([head, Buffer.alloc(samples, value)]);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "yx-prompt-files-"));
  const make = async (name: string, ...args: string[]) => {
    const path = join(work, name);
    await run("sox", args.map((a) => (a === "OUT" ? path : a)));
    files[name] = readFileSync(path);
  };
  [server] = await Promise.all([
    startTestServer(),
    make("welcome-16k-stereo.wav", "-n", "-r", "16000", "-c", "2", "-b", "16", "OUT", "synth", "2", "sine", "440"),
    make("welcome-8k.wav", "-n", "-r", "8000", "-c", "1", "-b", "16", "OUT", "synth", "1.5", "sine", "600"),
    make("float-44k.wav", "-n", "-r", "44100", "-c", "2", "-b", "32", "-e", "floating-point", "OUT", "synth", "1", "sine", "500"),
    make("music.mp3", "-n", "-r", "44100", "-c", "2", "OUT", "synth", "3", "sine", "330"),
  ]);
  files["eleven-minutes.wav"] = ulawWav(601, 0x20);
  files["blip.wav"] = ulawWav(0.02, 0x20);
});
afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const bytes = (req: supertest.Test) =>
  req.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on("data", (c: Buffer) => chunks.push(c));
    response.on("end", () => done(null, Buffer.concat(chunks)));
  });

function upload(user: TestUser, name: string, language: string, file: Buffer, filename: string) {
  return api(server, user).post(`/api/voice/prompts?name=${name}&language=${language}`).attach("file", file, { filename, contentType: "application/octet-stream" });
}

/** The WAV's format and length, from its header. */
function wavInfo(buf: Buffer): { format: number; channels: number; rate: number; bits: number; seconds: number } {
  expect(buf.toString("latin1", 0, 4)).toBe("RIFF");
  expect(buf.toString("latin1", 8, 12)).toBe("WAVE");
  let at = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  while (at + 8 <= buf.length) {
    const id = buf.toString("latin1", at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === "fmt ") fmt = { format: buf.readUInt16LE(at + 8), channels: buf.readUInt16LE(at + 10), rate: buf.readUInt32LE(at + 12), bits: buf.readUInt16LE(at + 22) };
    if (id === "data") return { ...fmt!, seconds: size / (fmt!.rate * fmt!.channels * (fmt!.bits / 8)) };
    at += 8 + size + (size % 2);
  }
  throw new Error("no data chunk");
}

/** The stored files of the tenant's recordings (attachment storage under DATA_DIR). */
function storedFiles(tenant: TestTenant): string[] {
  const dir = join(server.dataDir, "attachments", tenant.id, "prompts");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe("a tenant's own prompts and music", () => {
  it("converts a 16 kHz stereo WAV, a float 44.1 kHz WAV and an MP3 into 8 kHz mono 16-bit WAV, lists and plays them", async () => {
    const tenant = await createTestTenant(server);
    const welcome = await upload(tenant.admin, "welcome", "zh-CN", files["welcome-16k-stereo.wav"]!, "欢迎语.wav");
    expect(welcome.status, JSON.stringify(welcome.body)).toBe(201);
    expect(welcome.body.data).toMatchObject({ name: "welcome", language: "zh-CN", originalFilename: "欢迎语.wav", originalFormat: "wav", uploadedBy: { id: tenant.admin.id } });
    expect(Math.abs(welcome.body.data.durationMs - 2000)).toBeLessThan(50);
    const music = await upload(tenant.admin, "hold-music", "en", files["music.mp3"]!, "hold.mp3");
    expect(music.status, JSON.stringify(music.body)).toBe(201);
    expect(music.body.data).toMatchObject({ name: "hold-music", language: "en", originalFormat: "mp3" });
    expect(Math.abs(music.body.data.durationMs - 3000)).toBeLessThan(100);
    const thanks = await upload(tenant.admin, "thanks", "en", files["float-44k.wav"]!, "thanks.wav");
    expect(thanks.status, JSON.stringify(thanks.body)).toBe(201);

    const list = await api(server, tenant.admin).get("/api/voice/prompts");
    expect(list.body.data.map((p: { name: string; language: string }) => `${p.name}/${p.language}`)).toEqual(["hold-music/en", "thanks/en", "welcome/zh-CN"]);

    for (const [prompt, seconds] of [[welcome.body.data, 2], [music.body.data, 3], [thanks.body.data, 1]] as const) {
      const audio = await bytes(api(server, tenant.admin).get(`/api/voice/prompts/${prompt.id}/audio`));
      expect(audio.status).toBe(200);
      expect(audio.headers["content-type"]).toBe("audio/wav");
      expect(audio.headers["accept-ranges"]).toBe("bytes");
      const info = wavInfo(audio.body as Buffer);
      expect(info).toMatchObject({ format: 1, channels: 1, rate: 8000, bits: 16 });
      expect(Math.abs(info.seconds - seconds)).toBeLessThan(0.1);
      expect((audio.body as Buffer).length).toBe(prompt.sizeBytes);
      // the <audio> element seeks with ranges
      const part = await bytes(api(server, tenant.admin).get(`/api/voice/prompts/${prompt.id}/audio`).set("Range", "bytes=0-99"));
      expect(part.status).toBe(206);
      expect((part.body as Buffer).length).toBe(100);
    }
  });

  it("gives the call controller a local file to play, replaced by a new upload and gone after a delete", async () => {
    const tenant = await createTestTenant(server);
    expect(await tenantPromptFile(server.deps, tenant.id, "welcome", "zh-CN")).toBeNull();
    const first = await upload(tenant.admin, "welcome", "zh-CN", files["welcome-16k-stereo.wav"]!, "v1.wav");
    const firstFile = await tenantPromptFile(server.deps, tenant.id, "welcome", "zh-CN");
    expect(firstFile).not.toBeNull();
    const played = readFileSync(firstFile!);
    expect(wavInfo(played)).toMatchObject({ channels: 1, rate: 8000, bits: 16 });
    const served = await bytes(api(server, tenant.admin).get(`/api/voice/prompts/${first.body.data.id}/audio`));
    expect(Buffer.compare(played, served.body as Buffer)).toBe(0);
    // the cached copy is used again; other names and languages stay built-in
    expect(await tenantPromptFile(server.deps, tenant.id, "welcome", "zh-CN")).toBe(firstFile);
    expect(await tenantPromptFile(server.deps, tenant.id, "welcome", "en")).toBeNull();
    expect(await tenantPromptFile(server.deps, tenant.id, "thanks", "zh-CN")).toBeNull();
    expect(await tenantPromptFile(server.deps, tenant.id, "../../etc/passwd", "zh-CN")).toBeNull();
    expect(await tenantPromptFile(server.deps, tenant.id, "number-5", "zh-CN")).toBeNull();

    // replaced: a new file, the old copy and the old stored file gone, one row
    const second = await upload(tenant.admin, "welcome", "zh-CN", files["welcome-8k.wav"]!, "v2.wav");
    expect(second.status).toBe(201);
    expect(second.body.data.id).not.toBe(first.body.data.id);
    const secondFile = await tenantPromptFile(server.deps, tenant.id, "welcome", "zh-CN");
    expect(secondFile).not.toBe(firstFile);
    expect(Math.abs(wavInfo(readFileSync(secondFile!)).seconds - 1.5)).toBeLessThan(0.05);
    expect(existsSync(firstFile!)).toBe(false);
    expect(storedFiles(tenant)).toEqual([`${second.body.data.id}.wav`]);
    expect((await api(server, tenant.admin).get(`/api/voice/prompts/${first.body.data.id}/audio`)).status).toBe(404);
    const audit = await server.deps.db.selectFrom("audit_log").select("action").where("tenant_id", "=", tenant.id).where("entity_type", "=", "prompt").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["prompt.uploaded", "prompt.replaced"]);

    // deleted: the built-in plays again
    expect((await api(server, tenant.admin).delete(`/api/voice/prompts/${second.body.data.id}`)).status).toBe(204);
    expect(await tenantPromptFile(server.deps, tenant.id, "welcome", "zh-CN")).toBeNull();
    expect(existsSync(secondFile!)).toBe(false);
    expect(storedFiles(tenant)).toEqual([]);
    expect((await api(server, tenant.admin).get("/api/voice/prompts")).body.data).toEqual([]);
    expect((await api(server, tenant.admin).delete(`/api/voice/prompts/${second.body.data.id}`)).status).toBe(404);
  });

  it("refuses a file that is not audio, cannot be decoded, is cut off, too large, too long or silent: coded, nothing stored, the previous recording kept", async () => {
    const tenant = await createTestTenant(server);
    const kept = await upload(tenant.admin, "welcome", "en", files["welcome-8k.wav"]!, "good.wav");
    expect(kept.status).toBe(201);
    const keptFile = await tenantPromptFile(server.deps, tenant.id, "welcome", "en");

    const wav = files["welcome-16k-stereo.wav"]!;
    const mp3 = files["music.mp3"]!;
    const riffJunk = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4, 0xff), Buffer.from("WAVE"), Buffer.from("this is not a format chunk at all, only words".repeat(20))]);
    const cases: [string, Buffer, number, string][] = [
      ["notes.txt", Buffer.from("Hello, thank you for calling."), 415, "UNSUPPORTED_MEDIA_TYPE"],
      ["junk.wav", riffJunk, 400, "AUDIO_INVALID"],
      ["cut.wav", wav.subarray(0, Math.floor(wav.length * 0.6)), 400, "AUDIO_TRUNCATED"],
      ["cut.mp3", mp3.subarray(0, Math.floor(mp3.length * 0.6)), 400, "AUDIO_TRUNCATED"],
      ["huge.wav", Buffer.concat([wav.subarray(0, 44), Buffer.alloc(10 * 1024 * 1024)]), 413, "PAYLOAD_TOO_LARGE"],
      ["long.wav", files["eleven-minutes.wav"]!, 400, "AUDIO_TOO_LONG"],
      ["blip.wav", files["blip.wav"]!, 400, "AUDIO_INVALID"],
    ];
    for (const [filename, file, status, code] of cases) {
      const res = await upload(tenant.admin, "welcome", "en", file, filename);
      expect(res.status, `${filename}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.code, filename).toBe(code);
    }
    // a prompt the catalogue does not have, a language without prompts
    const unknown = await upload(tenant.admin, "goodbye", "en", wav, "x.wav");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe("query.name");
    expect((await upload(tenant.admin, "welcome", "fr", wav, "x.wav")).status).toBe(400);

    const list = await api(server, tenant.admin).get("/api/voice/prompts");
    expect(list.body.data).toEqual([kept.body.data]);
    expect(storedFiles(tenant)).toEqual([`${kept.body.data.id}.wav`]);
    expect(await tenantPromptFile(server.deps, tenant.id, "welcome", "en")).toBe(keptFile);
    const audit = await server.deps.db.selectFrom("audit_log").select("action").where("tenant_id", "=", tenant.id).where("entity_type", "=", "prompt").execute();
    expect(audit).toHaveLength(1);
  });

  it("is the tenant's own: another tenant neither lists, plays, deletes nor calls with it, and only admins manage it", async () => {
    const [a, b] = [await createTestTenant(server), await createTestTenant(server)];
    const mine = await upload(a.admin, "rate", "zh-CN", files["welcome-8k.wav"]!, "评价.wav");
    expect(mine.status).toBe(201);
    expect((await api(server, b.admin).get("/api/voice/prompts")).body.data).toEqual([]);
    const play = await api(server, b.admin).get(`/api/voice/prompts/${mine.body.data.id}/audio`);
    expect(play.status).toBe(404);
    expect(play.body.error.code).toBe("NOT_FOUND");
    expect((await api(server, b.admin).delete(`/api/voice/prompts/${mine.body.data.id}`)).status).toBe(404);
    expect(await tenantPromptFile(server.deps, b.id, "rate", "zh-CN")).toBeNull();
    expect(await tenantPromptFile(server.deps, a.id, "rate", "zh-CN")).not.toBeNull();

    expect((await upload(a.users.supervisor, "rate", "zh-CN", files["welcome-8k.wav"]!, "x.wav")).status).toBe(403);
    expect((await api(server, a.users.agent).get("/api/voice/prompts")).status).toBe(403);
    expect((await api(server, a.users.agent).get(`/api/voice/prompts/${mine.body.data.id}/audio`)).status).toBe(403);
    expect((await api(server).get(`/api/voice/prompts/${mine.body.data.id}/audio`)).status).toBe(401);
    expect((await api(server, a.admin).get("/api/voice/prompts")).body.data).toHaveLength(1);
  });

  it("lets an admin hear and read the built-in prompt a recording replaces, and the built-in music", async () => {
    const tenant = await createTestTenant(server);
    const catalogue = await api(server, tenant.admin).get("/api/voice/prompt-catalogue");
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.data.map((p: { name: string }) => p.name)).toEqual([...TENANT_PROMPT_NAMES]);
    expect(catalogue.body.data.find((p: { name: string }) => p.name === "welcome").words).toEqual({ "zh-CN": "您好，欢迎致电客户服务中心。", en: "Hello, and thank you for calling customer service." });
    expect(catalogue.body.data.find((p: { name: string }) => p.name === "hold-music").words).toBeNull();
    for (const [name, language, longer] of [["welcome", "zh-CN", 1], ["rate", "en", 2], ["hold-music", "en", 10]] as const) {
      const audio = await bytes(api(server, tenant.admin).get(`/api/voice/prompt-catalogue/audio?name=${name}&language=${language}`));
      expect(audio.status).toBe(200);
      expect(audio.headers["content-type"]).toBe("audio/wav");
      expect(wavInfo(audio.body as Buffer)).toMatchObject({ channels: 1, rate: 8000, bits: 16 });
      expect(wavInfo(audio.body as Buffer).seconds).toBeGreaterThan(longer);
    }
    expect((await api(server, tenant.admin).get("/api/voice/prompt-catalogue/audio?name=../../package.json&language=en")).status).toBe(400);
    expect((await api(server, tenant.users.agent).get("/api/voice/prompt-catalogue")).status).toBe(403);
  });
});
