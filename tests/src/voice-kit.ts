import type { RunningServer } from "@yixian/server";
import { bookCallback, leaveVoicemail, openCallRecord, receiveMessage, recordCallEvent, type CallEvent } from "@yixian/server/domain";
import { expect } from "vitest";
import { systemCtx } from "../../server/src/domain/context.ts";
import { newId, randomToken } from "../../server/src/platform/ids.ts";
import { api, type TestTenant, type TestUser } from "./harness.ts";
import { heardOf, type Heard } from "./routing-kit.ts";

/**
 * Calls as the call layer (telephony/src/calls) reports them through the domain facade: the
 * caller's conversation on channel phone, its call record, and the record's events. These
 * tests are about what agents and supervisors see of calls, not about SIP.
 */

export const DID = "+864001234567";

/** A caller dials in and is queued: the conversation (identified by the number), its CDR, `queued`. */
export async function callIn(server: RunningServer, tenant: TestTenant, o: { from: string | null; queueId: string; sipCallId?: string }): Promise<{ callId: string; conversationId: string; sipCallId: string }> {
  const ctx = systemCtx(server.deps, tenant.id);
  const sipCallId = o.sipCallId ?? `${randomToken(10)}@trunk.test`;
  const received = await receiveMessage(ctx, {
    channel: "phone",
    account: DID,
    from: { identity: o.from ? { kind: "phone", value: o.from } : { kind: "visitor_id", value: `anonymous-${sipCallId}` } },
    externalRef: sipCallId,
    start: { queueId: o.queueId },
  });
  const callId = await openCallRecord(ctx, { sipCallId, direction: "inbound", from: o.from, to: DID, did: DID, conversationId: received.conversation.id });
  await recordCallEvent(ctx, callId, { type: "queued", queueId: o.queueId });
  return { callId, conversationId: received.conversation.id, sipCallId };
}

/**
 * The queued caller leaves the queue as the IVR lets them: a call-back request, or a voicemail
 * (`wav`, 8 kHz mono) — their item becomes that work on the call's ticket. Answers the ticket and item.
 */
export async function callerLeaves(
  server: RunningServer,
  tenant: TestTenant,
  call: { callId: string; conversationId: string },
  leave: { kind: "callback" } | { kind: "voicemail"; wav: Buffer },
): Promise<{ ticketId: string; workItemId: string }> {
  const left = { tenantId: tenant.id, conversationId: call.conversationId, callRecordId: call.callId };
  const work =
    leave.kind === "callback"
      ? await bookCallback(server.deps, left)
      : await leaveVoicemail(server.deps, { ...left, wav: leave.wav, durationMs: Math.round(((leave.wav.length - 44) / 16_000) * 1000), filename: "voicemail.wav" });
  expect(work.workItemId).not.toBeNull();
  return { ticketId: work.ticketId, workItemId: work.workItemId! };
}

/** Reports one step of a call, as the call layer does. */
export function callEvent(server: RunningServer, tenant: TestTenant, callId: string, event: CallEvent): Promise<boolean> {
  return recordCallEvent(systemCtx(server.deps, tenant.id), callId, event);
}

/** The agent takes the call's offer (the softphone's answer accepts it): the ticket it is on. */
export async function answerCall(server: RunningServer, tenant: TestTenant, agent: TestUser, heard: Heard, call: { callId: string; conversationId: string }): Promise<string> {
  const offer = await heardOf(heard.offers, (o) => o.conversationId === call.conversationId, "the call's offer");
  await callEvent(server, tenant, call.callId, { type: "ringing", agentId: agent.id });
  const accepted = await api(server, agent).post(`/api/offers/${offer.offerId}/accept`);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  await callEvent(server, tenant, call.callId, { type: "answered", agentId: agent.id });
  return accepted.body.data.ticketId as string;
}

/** A live SIP registration for the agent (a softphone), so routing may offer voice items to them. */
export async function registerPhone(server: RunningServer, tenant: TestTenant, agent: TestUser): Promise<void> {
  const username = `u${randomToken(8).toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
  const { db } = server.deps;
  await db
    .insertInto("sip_devices")
    .values({ user_id: agent.id, tenant_id: tenant.id, extension: String(1000 + Math.floor(Math.random() * 8999)), username, realm: "yixian.test", ha1_md5: "0".repeat(32), ha1_sha256: "0".repeat(64) })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
  const device = await db.selectFrom("sip_devices").select("username").where("user_id", "=", agent.id).executeTakeFirstOrThrow();
  await db
    .insertInto("sip_registrations")
    .values({ username: device.username, contact: `sip:${device.username}@${newId()}.invalid;transport=ws`, tenant_id: tenant.id, user_id: agent.id, transport: "ws", flow: "test:1", expires_at: new Date("2099-01-01T00:00:00Z") })
    .execute();
}

/** A mono 16-bit PCM WAV file at 8 kHz holding `data` (an even number of bytes) as its samples. */
export function pcmWav(data: Buffer): Buffer {
  const head = Buffer.alloc(44);
  head.write("RIFF", 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write("WAVEfmt ", 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24);
  head.writeUInt32LE(16000, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write("data", 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

/** `seconds` of silence, as the call layer stores a recording. */
export const silentWav = (seconds: number): Buffer => pcmWav(Buffer.alloc(Math.round(seconds * 8000) * 2));

/** Stores a recording as an attachment (as the call layer does after the call) and reports it. */
export async function recordingOf(server: RunningServer, tenant: TestTenant, callId: string, agent: TestUser, seconds = 2): Promise<string> {
  const up = await api(server, agent).post("/api/attachments").attach("file", silentWav(seconds), { filename: "call.wav", contentType: "audio/wav" });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  await callEvent(server, tenant, callId, { type: "recorded", attachmentId: up.body.data.id });
  return up.body.data.id as string;
}
