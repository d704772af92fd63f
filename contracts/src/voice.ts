import { z } from "zod";
import { ZId, ZTimestamp } from "./common.ts";
import { ZVoiceIvr, ZVoiceIvrInput } from "./voice-ivr.ts";

/**
 * The phone channel's configuration (电话渠道): SIP trunks with their numbers (DIDs), and each
 * agent's SIP device. Calls themselves are conversations on channel `phone`, routed with media
 * `voice`.
 *
 * A trunk is where calls come from and go out through: the provider's hosts, which sources may
 * send calls (IP allow-list and/or digest), an optional registration to the provider, the
 * caller-ID for outbound calls, and the DIDs that land on it. A call from any other source is
 * refused with 403.
 */

export const SIP_TRANSPORTS = ["udp", "tcp", "tls"] as const;
export const ZSipTransport = z.enum(SIP_TRANSPORTS);
export type SipTransport = (typeof SIP_TRANSPORTS)[number];

const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;
const SOURCE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)(?:\/\d{1,3})?$/;
/** E.164: + and 6 to 15 digits. DIDs and caller-IDs are stored so. */
export const ZE164 = z.string().trim().regex(/^\+[1-9]\d{5,14}$/, "an E.164 number such as +864001234567");

export const ZSipHost = z.string().trim().regex(HOST, "a host name or IP address, optionally with :port").max(255);
export const ZSipSource = z.string().trim().regex(SOURCE, "an IPv4 or IPv6 address, optionally with /prefix").max(64);

const didFields = {
  number: ZE164,
  label: z.string().trim().max(100).nullable().describe("e.g. 400 hotline, VIP line"),
  queueId: ZId.nullable().describe("The queue calls to this number go to; null: the navigation rules decide"),
};
export const ZDid = z.object({ ...didFields, ivr: ZVoiceIvr.describe("What callers hear and may key on this number") });
export type Did = z.infer<typeof ZDid>;

/** A number as a trunk is saved with it: `ivr` left out keeps the number's settings (a new number: the defaults). */
export const ZDidInput = z.object({ ...didFields, ivr: ZVoiceIvrInput.optional() });

export const ZDidParams = z.object({ did: ZE164.describe("The number, E.164 (URL-encode the +)") });

export const ZTrunkRegistration = z.object({
  registrar: ZSipHost,
  username: z.string().trim().min(1).max(100),
  expiresSeconds: z.number().int().min(60).max(86_400),
});

export const TRUNK_REGISTRATION_STATES = ["registered", "failing", "off"] as const;
export type TrunkRegistrationState = (typeof TRUNK_REGISTRATION_STATES)[number];

/** Where the outbound registration to the provider stands, as the node holding it last wrote. */
export const ZTrunkRegistrationStatus = z.object({
  state: z.enum(TRUNK_REGISTRATION_STATES).describe("registered: the provider took our REGISTER; failing: it did not (see reason), tried again with back-off; off: not registered (trunk disabled, no node holds it yet, or the server stopped)"),
  reason: z.string().nullable().describe("Why it is failing, e.g. '403 Forbidden' or 'no answer'"),
  since: ZTimestamp.nullable().describe("When it entered this state; null: never registered"),
  expiresAt: ZTimestamp.nullable().describe("registered: when the provider's binding runs out (it is refreshed at half its time)"),
});
export type TrunkRegistrationStatus = z.infer<typeof ZTrunkRegistrationStatus>;

export const ZTrunk = z.object({
  id: ZId,
  name: z.string(),
  hosts: z.array(z.string()),
  transport: ZSipTransport,
  allowedSources: z.array(z.string()).describe("Addresses or networks calls may come from; empty: digest only"),
  digestUsername: z.string().nullable().describe("Set: a call must also answer a digest challenge with this user"),
  registration: ZTrunkRegistration.nullable().describe("Outbound registration to the provider (the password is never returned)"),
  registrationStatus: ZTrunkRegistrationStatus.nullable().describe("null: the trunk does not register"),
  callerId: ZE164.nullable(),
  dids: z.array(ZDid),
  enabled: z.boolean(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Trunk = z.infer<typeof ZTrunk>;

const ZPassword = z.string().min(12, "at least 12 characters").max(200);

export const ZTrunkInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    hosts: z.array(ZSipHost).min(1).max(10),
    transport: ZSipTransport.default("udp").describe("How calls go to the provider: tls is SIP over TLS (port 5061 unless the host names one), the provider's certificate verified; its calls in over TLS need the server's SIP_TLS_PORT"),
    allowedSources: z.array(ZSipSource).max(50).default([]),
    digest: z.object({ username: z.string().trim().min(1).max(100), password: ZPassword }).nullable().default(null),
    registration: ZTrunkRegistration.extend({ password: ZPassword }).nullable().default(null),
    callerId: ZE164.nullable().default(null),
    dids: z.array(ZDidInput).max(500).default([]),
    enabled: z.boolean().default(true),
  })
  .refine((t) => t.allowedSources.length > 0 || t.digest !== null, "a trunk needs allowed sources, a digest user, or both: otherwise anyone could call through it")
  .refine((t) => new Set(t.dids.map((d) => d.number)).size === t.dids.length, "a number is listed twice");
export type TrunkInput = z.infer<typeof ZTrunkInput>;

export const ZTrunkParams = z.object({ trunkId: ZId });

/** An agent's SIP device: the credentials a desk phone registers with (UDP, TCP or TLS). */
export const ZSipDevice = z.object({
  userId: ZId,
  extension: z.string().describe("The agent's extension within the tenant"),
  username: z.string().describe("SIP user name (unique on this server)"),
  realm: z.string(),
  passwordSetAt: ZTimestamp,
  server: z
    .object({
      address: z.string().describe("The address a desk phone registers at (SIP_PUBLIC_ADDRESS, else the server's SIP address)"),
      udpPort: z.number().int().nullable().describe("SIP over UDP; null: off on this server"),
      tcpPort: z.number().int().nullable().describe("SIP over TCP; null: off on this server"),
      tlsPort: z.number().int().nullable().describe("SIP over TLS (SIP_TLS_PORT; the phone trusts the server's certificate, SIP_TLS_CERT); null: off on this server"),
    })
    .describe("Where desk phones register on this server"),
  registrations: z.array(
    z.object({
      transport: z.enum(["udp", "tcp", "tls", "ws", "wss"]).describe("How the device registered: udp, tcp or tls for a desk phone, ws or wss for the console's softphone"),
      userAgent: z.string().nullable(),
      expiresAt: ZTimestamp,
    }),
  ),
});
export type SipDevice = z.infer<typeof ZSipDevice>;

/** Returned once, when a device password is set or rotated. */
export const ZSipDeviceSecret = ZSipDevice.extend({
  password: z.string().describe("Shown once; rotate to get a new one"),
});
export type SipDeviceSecret = z.infer<typeof ZSipDeviceSecret>;

/**
 * What the console's softphone registers with: the agent's SIP user and a password derived from
 * the signed-in session (it stops working when the session ends), the WebSocket URL, and the ICE
 * servers. Nobody types a SIP password into the console.
 */
export const ZSoftphoneCredentials = z.object({
  username: z.string(),
  password: z.string(),
  realm: z.string(),
  uri: z.string().describe("sip:<username>@<realm>"),
  websocketPath: z.string().describe("On this server's origin: ws(s)://<host><websocketPath>"),
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })),
  iceGatheringTimeoutMs: z.number().int().describe("How long the softphone gathers ICE candidates before it sends what it has"),
  media: z
    .enum(["ready", "unavailable"])
    .describe("Whether this server carries call audio now (its rtpengine answers); 'unavailable': calls cannot be set up, and the console says how to enable the phone"),
});
export type SoftphoneCredentials = z.infer<typeof ZSoftphoneCredentials>;


// ---------------------------------------------------------------- outbound calls

/** A prefix of E.164 numbers: + and 1 to 15 digits (+86168, +8690). */
export const ZDialPrefix = z.string().trim().regex(/^\+\d{1,15}$/, "a + and digits, such as +86168");

/**
 * Where the tenant's agents may call (外呼限制). Classed by the tenant's default country: a number
 * in it is national (fixed lines, 400/800 and the rest) or mobile; any other country's is
 * international, off until an admin turns it on (toll fraud). A number under a denied prefix is
 * refused whatever the classes allow (premium-rate lines).
 */
export const ZOutboundLimits = z.object({
  national: z.boolean().describe("Fixed lines, toll-free and other numbers of the tenant's country"),
  mobile: z.boolean().describe("Mobile numbers of the tenant's country"),
  international: z.boolean().describe("Numbers of other countries; off by default"),
  deniedPrefixes: z.array(ZDialPrefix).max(200).describe("E.164 prefixes never dialled"),
});
export type OutboundLimits = z.infer<typeof ZOutboundLimits>;

export const OUTBOUND_LIMITS_DEFAULT: OutboundLimits = { national: true, mobile: true, international: false, deniedPrefixes: [] };

/**
 * The header on a refusal of an agent's call (403, 404, 503) that names the reason as an error
 * code, so the console says why in the agent's language.
 */
export const OUTBOUND_REFUSAL_HEADER = "X-Yixian-Refusal";

// ---------------------------------------------------------------- call detail records

export const CALL_DIRECTIONS = ["inbound", "outbound"] as const;
export const CALL_DISPOSITIONS = ["answered", "abandoned", "voicemail", "callback", "missed", "refused", "failed"] as const;
export const ZCallDisposition = z.enum(CALL_DISPOSITIONS);
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];
export const HANGUP_SIDES = ["caller", "agent", "system"] as const;

export const ZCall = z.object({
  id: ZId,
  conversationId: ZId.nullable(),
  sipCallId: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  from: z.string().nullable(),
  to: z.string().nullable(),
  did: z.string().nullable(),
  queue: z.object({ id: ZId, name: z.string() }).nullable(),
  agent: z.object({ id: ZId, name: z.string() }).nullable(),
  startedAt: ZTimestamp,
  ringingAt: ZTimestamp.nullable(),
  answeredAt: ZTimestamp.nullable(),
  endedAt: ZTimestamp.nullable(),
  waitSeconds: z.number().int().nullable().describe("From the start to the answer (or to the end when not answered)"),
  talkSeconds: z.number().int().nullable().describe("Answered to ended, without hold"),
  holdSeconds: z.number().int(),
  wrapUpSeconds: z.number().int().nullable(),
  disposition: ZCallDisposition.nullable().describe("null while the call is up"),
  hangupSide: z.enum(HANGUP_SIDES).nullable(),
  hangupCause: z.string().nullable(),
  recordingId: ZId.nullable(),
  rating: z.number().int().min(1).max(5).nullable(),
});
export type Call = z.infer<typeof ZCall>;

export const ZCallListQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe("Calls started at or after"),
  to: z.iso.datetime({ offset: true }).optional().describe("Calls started before"),
  direction: z.enum(CALL_DIRECTIONS).optional(),
  disposition: ZCallDisposition.optional(),
  agentId: ZId.optional(),
  queueId: ZId.optional(),
  number: z.string().trim().min(3).max(32).optional().describe("A caller or called number, or part of one"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type CallListQuery = z.infer<typeof ZCallListQuery>;
