import { page, ZCall, ZOutboundLimits, ZCallListQuery, ZMissedCall, ZMissedCallDone, ZMissedCallListQuery, ZMissedCallParams, ZDid, ZDidParams, ZVoiceIvrInput, ZSipDevice, ZSipDeviceSecret, ZSoftphoneCredentials, ZTrunk, ZTrunkInput, ZTrunkParams, ZUserParams } from "@yixian/contracts";
import { z } from "zod";
import { getSipDevice, rotateSipDevicePassword, softphoneCredentials } from "../../domain/voice/devices.ts";
import { exportCallsCsv, listCalls } from "../../domain/voice/list-calls.ts";
import { getNumber, setNumberIvr } from "../../domain/voice/number-ivr.ts";
import { claimMissedCall, markMissedCallDone, releaseMissedCall } from "../../domain/call-flow/claim-missed-call.ts";
import { listMissedCalls } from "../../domain/voice/missed-calls/list-missed-calls.ts";
import { getOutboundLimits, setOutboundLimits } from "../../domain/voice/outbound-limits.ts";
import { createTrunk, deleteTrunk, getTrunk, listTrunks, updateTrunk } from "../../domain/voice/trunks.ts";
import { contentDisposition } from "../../edge/index.ts";
import { defineRoute } from "../route.ts";

const trunkExample = {
  name: "电信 SIP 中继",
  hosts: ["198.51.100.10:5060"],
  transport: "udp" as const,
  allowedSources: ["198.51.100.0/28"],
  digest: null,
  registration: null,
  callerId: "+864001234567",
  dids: [{ number: "+864001234567", label: "400 热线", queueId: null }],
  enabled: true,
};

const trunkRoutes = [
  defineRoute({ method: "get", path: "/voice/trunks", tag: "voice", summary: "SIP trunks with their numbers (DIDs)", auth: "tenant:manage", response: z.array(ZTrunk), handler: ({ ctx }) => listTrunks(ctx) }),
  defineRoute({
    method: "post",
    path: "/voice/trunks",
    tag: "voice",
    summary: "Add a SIP trunk: provider hosts, who may send calls (IP allow-list and/or digest), caller-ID, DIDs",
    auth: "tenant:manage",
    status: 201,
    body: ZTrunkInput,
    response: ZTrunk,
    example: trunkExample,
    handler: ({ ctx, body }) => createTrunk(ctx, body),
  }),
  defineRoute({ method: "get", path: "/voice/trunks/{trunkId}", tag: "voice", summary: "One SIP trunk", auth: "tenant:manage", params: ZTrunkParams, response: ZTrunk, handler: ({ ctx, params }) => getTrunk(ctx, params.trunkId) }),
  defineRoute({
    method: "put",
    path: "/voice/trunks/{trunkId}",
    tag: "voice",
    summary: "Replace a trunk's settings and numbers (secrets must be given again to keep them)",
    auth: "tenant:manage",
    params: ZTrunkParams,
    body: ZTrunkInput,
    response: ZTrunk,
    example: trunkExample,
    handler: ({ ctx, params, body }) => updateTrunk(ctx, params.trunkId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/voice/trunks/{trunkId}",
    tag: "voice",
    summary: "Remove a trunk; its numbers stop taking calls",
    auth: "tenant:manage",
    status: 204,
    params: ZTrunkParams,
    handler: ({ ctx, params }) => deleteTrunk(ctx, params.trunkId),
  }),
];

const ivrExample = {
  welcome: true,
  verification: "unknown-callers" as const,
  menu: [
    { key: "3", label: "发票" },
    { key: "4", label: "技术支持" },
  ],
  announceEverySeconds: 30,
  voicemailKey: "1",
  callbackKey: "2",
  rating: true,
  ratingTimeoutSeconds: 8,
  language: "zh-CN" as const,
};

const numberRoutes = [
  defineRoute({ method: "get", path: "/voice/numbers/{did}", tag: "voice", summary: "One number (DID) with its IVR settings", auth: "tenant:manage", params: ZDidParams, response: ZDid, handler: ({ ctx, params }) => getNumber(ctx, params.did) }),
  defineRoute({
    method: "put",
    path: "/voice/numbers/{did}/ivr",
    tag: "voice",
    summary: "Replace what callers hear and may key on a number: welcome, verification code, menu (keys are the navigation rules' menu choices), queue announcements, voicemail and call-back keys, rating, language",
    auth: "tenant:manage",
    params: ZDidParams,
    body: ZVoiceIvrInput,
    response: ZDid,
    example: ivrExample,
    handler: ({ ctx, params, body }) => setNumberIvr(ctx, params.did, body),
  }),
];

const deviceRoutes = [
  defineRoute({
    method: "get",
    path: "/users/{userId}/sip-device",
    tag: "voice",
    summary: "An agent's SIP device: user name, extension, where it is registered",
    auth: "user:read",
    params: ZUserParams,
    response: ZSipDevice,
    handler: ({ ctx, params }) => getSipDevice(ctx, params.userId),
  }),
  defineRoute({
    method: "post",
    path: "/users/{userId}/sip-device/password",
    tag: "voice",
    summary: "Set a new desk-phone password, shown once; registrations with the old one end. user managers for anyone, agents for themselves",
    auth: "authenticated",
    status: 201,
    params: ZUserParams,
    response: ZSipDeviceSecret,
    handler: ({ ctx, params }) => rotateSipDevicePassword(ctx, params.userId),
  }),
  defineRoute({
    method: "get",
    path: "/me/softphone",
    tag: "voice",
    summary: "The console softphone's SIP registration for this session (its password ends with the session)",
    auth: "conversation:write",
    response: ZSoftphoneCredentials,
    handler: ({ ctx, session }) => softphoneCredentials(ctx, { userId: session!.userId, sessionId: session!.sessionId }),
  }),
];

const outboundRoutes = [
  defineRoute({
    method: "get",
    path: "/voice/outbound-limits",
    tag: "voice",
    summary: "Where agents may call: national, mobile, international (off by default) and denied prefixes",
    auth: "tenant:manage",
    response: ZOutboundLimits,
    handler: ({ ctx }) => getOutboundLimits(ctx),
  }),
  defineRoute({
    method: "put",
    path: "/voice/outbound-limits",
    tag: "voice",
    summary: "Replace where agents may call; a call elsewhere is refused (403, DESTINATION_NOT_ALLOWED) and kept as a refused call record",
    auth: "tenant:manage",
    body: ZOutboundLimits,
    response: ZOutboundLimits,
    example: { national: true, mobile: true, international: false, deniedPrefixes: ["+86168", "+86170"] },
    handler: ({ ctx, body }) => setOutboundLimits(ctx, body),
  }),
];

const callRoutes = [
  defineRoute({
    method: "get",
    path: "/voice/calls",
    tag: "voice",
    summary: "Call records (CDR), newest first: filter by time, direction, disposition, agent, queue or number",
    auth: "conversation:read",
    query: ZCallListQuery,
    response: page(ZCall),
    handler: ({ ctx, query }) => listCalls(ctx, query),
  }),
  defineRoute({
    method: "get",
    path: "/voice/calls/export",
    tag: "voice",
    summary: "The same call records as CSV (UTF-8 with BOM, at most 50,000 rows)",
    auth: "conversation:read",
    query: ZCallListQuery,
    responseContentType: "text/csv",
    handler: async ({ ctx, query, res }) => {
      const csv = await exportCallsCsv(ctx, query);
      res.status(200);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", contentDisposition(`calls-${new Date().toISOString().slice(0, 10)}.csv`, "attachment"));
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.end(csv);
    },
  }),
];

const missedCallRoutes = [
  defineRoute({
    method: "get",
    path: "/voice/missed-calls",
    tag: "voice",
    summary: "Missed calls and call-back requests to call back: open (claimed or not, latest attempt first) or done; one entry per number, repeat calls counted as attempts",
    auth: "conversation:read",
    query: ZMissedCallListQuery,
    response: page(ZMissedCall),
    handler: ({ ctx, query }) => listMissedCalls(ctx, query),
  }),
  defineRoute({
    method: "post",
    path: "/voice/missed-calls/{missedCallId}/claim",
    tag: "voice",
    summary: "Take a missed call to call it back, so no other agent calls too (CALLBACK_TAKEN if another agent has it, CALLBACK_DONE once done)",
    auth: "conversation:write",
    params: ZMissedCallParams,
    response: ZMissedCall,
    handler: ({ ctx, params }) => claimMissedCall(ctx, params.missedCallId),
  }),
  defineRoute({
    method: "post",
    path: "/voice/missed-calls/{missedCallId}/release",
    tag: "voice",
    summary: "Give a claimed missed call back to the list (to try later, or for another agent)",
    auth: "conversation:write",
    params: ZMissedCallParams,
    response: ZMissedCall,
    handler: ({ ctx, params }) => releaseMissedCall(ctx, params.missedCallId),
  }),
  defineRoute({
    method: "post",
    path: "/voice/missed-calls/{missedCallId}/done",
    tag: "voice",
    summary: "Called back, with the outcome: the entry leaves the open list (the number's next missed call opens a new one)",
    auth: "conversation:write",
    params: ZMissedCallParams,
    body: ZMissedCallDone,
    response: ZMissedCall,
    example: { outcome: "reached" as const, note: "客户已确认发票问题解决" },
    handler: ({ ctx, params, body }) => markMissedCallDone(ctx, params.missedCallId, body),
  }),
];

export const voiceRoutes = [...trunkRoutes, ...numberRoutes, ...deviceRoutes, ...outboundRoutes, ...callRoutes, ...missedCallRoutes];
