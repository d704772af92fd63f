import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RtpengineProcess, wavSamples } from "../../telephony/src/media/index.ts";
import { freeUdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { api, createTestTenant, type TestServer } from "./harness.ts";
import { callChange, sippCall, startPhoneServer, trunkWithNumber } from "./phone-kit.ts";
import { makeContact, makeQueue, until } from "./routing-kit.ts";
import { callerScenario } from "./sipp-caller.ts";

// An external rtpengine (RTPENGINE_URL=udp://…), as on another machine: it reaches this server only
// at RTPENGINE_LISTEN_ADDRESS (here 127.0.0.2, a loopback address the server is not otherwise on),
// where its DTMF events and the voicemail audio it copies must arrive. A caller keys 1 for
// voicemail and speaks; the message is kept.
const LISTEN = "127.0.0.2";
let server: TestServer;
let rtpengine: RtpengineProcess;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "yx-external-rtpengine-"));
  const [ngPort, dtmfPort] = [await freeUdpPort(), await freeUdpPort()];
  const portMin = 40000 + Math.floor(Math.random() * 200) * 100;
  rtpengine = new RtpengineProcess({ workDir: dir, ngPort, dtmfPort, dtmfAddress: LISTEN, portMin, portMax: portMin + 99 });
  await rtpengine.start();
  server = await startPhoneServer({
    RTPENGINE_URL: `udp://127.0.0.1:${ngPort}`,
    RTPENGINE_DTMF_PORT: String(dtmfPort),
    RTPENGINE_LISTEN_ADDRESS: LISTEN,
    RTPENGINE_RECORDING_DIR: rtpengine.recordingDir,
  });
  expect(server.phone.calls, server.phone.mediaStatus).not.toBeNull();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rtpengine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("an external rtpengine", { timeout: 90_000 }, () => {
  it("sends the caller's keys and voicemail to the server's listen address: the message is kept on the ticket", async () => {
    const tenant = await createTestTenant(server);
    await server.deps.db.updateTable("tenants").set({ locale: "en" }).where("id", "=", tenant.id).execute();
    const queueId = await makeQueue(server, tenant, []);
    const number = await trunkWithNumber(server, tenant, queueId);
    const ivr = await api(server, tenant.admin).put(`/api/voice/numbers/${encodeURIComponent(number)}/ivr`).send({ welcome: false, announceEverySeconds: 60, voicemailKey: "1", callbackKey: "2" });
    expect(ivr.status, JSON.stringify(ivr.body)).toBe(200);
    const caller = "+8613912345678";
    const contactId = await makeContact(server, tenant);
    await server.deps.db.insertInto("identities").values({ tenant_id: tenant.id, contact_id: contactId, kind: "phone", value: caller, display_value: caller }).execute();

    const answered = callChange(server, (c) => c.state === "waiting", "the IVR answering");
    const trunk = await sippCall(server, { file: callerScenario([{ sounds: [{ keys: "1" }] }, { sounds: [{ speakMs: 10_000 }] }, "hang up"]) }, number, caller);
    const { sipCallId, callRecordId } = await answered;
    const calls = server.phone.calls!;
    const heard = (what: string) => until(async () => calls.call(sipCallId)?.heard ?? [], (h) => h.includes(what), `the caller hearing "${what}"`, 45_000);
    await heard("waiting options");
    await trunk.go(sipCallId); // keys 1: only a DTMF event at 127.0.0.2 can take the caller to voicemail
    await heard("beep");
    const before = (await calls.packets(sipCallId)).caller ?? 0;
    await trunk.go(sipCallId); // speaks…
    await until(() => calls.packets(sipCallId), (counts) => (counts.caller ?? 0) >= before + 50, "the caller speaking");
    const ended = callChange(server, (c) => c.sipCallId === sipCallId && c.state === "ended", "the call ended", 45_000);
    await trunk.go(sipCallId); // …and hangs up
    const last = await ended;
    expect((await trunk.done).code).toBe(0);

    // the copy of the caller's audio reached 127.0.0.2 and is the voicemail
    const cdr = await server.deps.db.selectFrom("calls").selectAll().where("id", "=", callRecordId!).executeTakeFirstOrThrow();
    expect(cdr).toMatchObject({ disposition: "voicemail", recording_id: last.recordingId });
    const attachment = await server.deps.db.selectFrom("attachments").selectAll().where("id", "=", cdr.recording_id!).executeTakeFirstOrThrow();
    const wav = wavSamples(readFileSync(join(server.dataDir, "attachments", attachment.storage_key)));
    expect(wav.samples.length / 8000).toBeGreaterThan(0.8);
    expect(await server.deps.db.selectFrom("work_items").select(["kind", "state"]).where("call_id", "=", cdr.id).execute()).toEqual([{ kind: "voicemail", state: "waiting" }]);
  });
});
