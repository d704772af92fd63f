import { accessSync, constants } from "node:fs";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

// an empty value (docker-compose's ${VAR:-}) is the same as none
const ZAddress = z.preprocess((v) => (v === "" ? undefined : v), z.string().refine((v) => isIP(v) !== 0, "an IP address").optional());

const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // loopback unless the operator opens it up: the demo password is published
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  COOKIE_SECURE: z.enum(["true", "false", "auto"]).default("auto"),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  ALLOWED_UPLOAD_TYPES: z
    .string()
    .default(
      "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,audio/mpeg,audio/wav,video/mp4,application/zip," +
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.openxmlformats-officedocument.wordprocessingml.document," +
        "application/msword,application/vnd.ms-excel",
    ),
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  DEMO_PASSWORD: z.string().min(8).default("yixian-demo"),
  WIDGET_SECRET: z.string().min(32, "at least 32 characters").optional(),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  // how often this node's SLA watcher looks for warnings, breaches and changed tickets; 0: never
  SLA_WATCH_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  NODE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  NODE_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(20_000),
  SIP_REALM: z.string().regex(/^[A-Za-z0-9.-]{1,100}$/, "a host-like name").optional(),
  // JSON list of RTCIceServer for the console's softphone; empty on a LAN
  SIP_ICE_SERVERS: z.string().default("[]"),
  SIP_ICE_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  // SIP over UDP and TCP (trunks, desk phones), on HOST; unset: off (the softphone uses /sip)
  SIP_UDP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SIP_TCP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // SIP over TLS (trunks whose provider wants it, usually 5061): listens on HOST with this
  // certificate and key (PEM files) when SIP_TLS_PORT is set; calls out over TLS always work
  // SIP_TLS_CA: a PEM file of CAs trusted besides the system's (a provider's own CA)
  SIP_TLS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SIP_TLS_CERT: z.string().min(1).optional(),
  SIP_TLS_KEY: z.string().min(1).optional(),
  SIP_TLS_CA: z.string().min(1).optional(),
  // calls (INVITEs outside a dialog) and failed REGISTERs one source address may send: a token
  // bucket of BURST refilled at PER_SECOND; over it 503 with Retry-After, then nothing. 0: no limit
  SIP_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(20),
  SIP_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(100_000).default(5),
  // the address trunks and phones reach this machine at: SIP's Via/Contact and the media in SDP
  // (default: HOST, or this machine's first outside IPv4 when HOST is 0.0.0.0 or ::)
  SIP_ADDRESS: ZAddress,
  // behind NAT: the public address written into Via/Contact and SDP instead (media still bound on SIP_ADDRESS)
  SIP_PUBLIC_ADDRESS: ZAddress,
  // call media: unset or own = the server's own rtpengine when installed; udp://host:port = an
  // external one's NG socket; off = no calls (the softphone still registers)
  RTPENGINE_URL: z
    .string()
    .regex(/^(off|own|udp:\/\/[^\s/]+:\d{1,5})$/, "off, own, or udp://host:port of rtpengine's NG socket")
    .optional(),
  // where rtpengine sends DTMF events (its dtmf-log-dest) on RTPENGINE_LISTEN_ADDRESS; 0: a free port (own rtpengine)
  RTPENGINE_DTMF_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  // this server's address that an external rtpengine reaches: its DTMF events and the voicemail
  // audio it copies here are received on it (127.0.0.1: rtpengine runs on this machine)
  RTPENGINE_LISTEN_ADDRESS: ZAddress,
  // an external rtpengine's recording-dir as this server sees it (its pcaps are read after each call)
  RTPENGINE_RECORDING_DIR: z.string().min(1).optional(),
  // the UDP ports the server's own rtpengine uses for media
  RTP_PORT_MIN: z.coerce.number().int().min(1024).max(65535).default(30000),
  RTP_PORT_MAX: z.coerce.number().int().min(1024).max(65535).default(39999),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  redisUrl: string | null;
  publicUrl: string | null;
  logLevel: z.infer<typeof ZEnv>["LOG_LEVEL"];
  sessionTtlHours: number;
  cookieSecure: "true" | "false" | "auto";
  maxUploadBytes: number;
  allowedUploadTypes: string[];
  seedDemo: boolean;
  demoPassword: string;
  /** Signs web chat visitor tokens; null: generated once and kept in DATA_DIR/widget-secret. */
  widgetSecret: string | null;
  /** How long an agent whose console lost its socket may reconnect and keep their state before going offline. */
  presenceGraceMs: number;
  /** How often the SLA watcher runs on this node; 0: not on this node. */
  slaWatchMs: number;
  /** How often each server process (node) refreshes its heartbeat row and looks for dead nodes. */
  nodeHeartbeatMs: number;
  /** A node whose heartbeat is older than this is dead: its agents' consoles count as disconnected. */
  nodeTimeoutMs: number;
  /** The digest realm of agents' SIP devices: SIP_REALM, else PUBLIC_URL's host, else "yixian". */
  sipRealm: string;
  /** RTCIceServer entries for the softphone (SIP_ICE_SERVERS, JSON). */
  sipIceServers: { urls: string | string[]; username?: string; credential?: string }[];
  /** How long the softphone gathers ICE candidates before it sends what it has. */
  sipIceTimeoutMs: number;
  /** SIP over UDP / TCP on HOST at these ports; null: off. */
  sipUdpPort: number | null;
  sipTcpPort: number | null;
  /** SIP over TLS: listening on HOST at `port` (null: calls out only) with the certificate and key files (also shown to a provider that asks for a client certificate); `caFile`: CAs trusted besides Node's. */
  sipTls: { port: number | null; certFile: string | null; keyFile: string | null; caFile: string | null };
  /** Calls and failed REGISTERs per source address: a token bucket; perSecond 0: no limit. */
  sipRateLimit: { burst: number; perSecond: number };
  /** The address SIP and the server's own rtpengine are reached at on this machine. */
  sipAddress: string;
  /** Behind NAT: the address written into SIP headers and SDP instead of sipAddress; null: none. */
  sipPublicAddress: string | null;
  /** Call media: the server's own rtpengine (when installed), an external one, or none. */
  rtpengine: { kind: "own"; portMin: number; portMax: number } | { kind: "external"; host: string; port: number; recordingDir: string | null } | { kind: "off" };
  /** The port on 127.0.0.1 that receives rtpengine's DTMF events; 0: a free one. */
  rtpengineDtmfPort: number;
  /** Where this server receives what an external rtpengine sends it (DTMF events, voicemail audio). */
  rtpengineListenAddress: string;
}

const ZIceServers = z.array(
  z.object({ urls: z.union([z.string().min(1), z.array(z.string().min(1))]), username: z.string().optional(), credential: z.string().optional() }),
);

function iceServers(json: string): Config["sipIceServers"] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error("Invalid configuration:\n  SIP_ICE_SERVERS: not JSON (a list like [{\"urls\":\"stun:stun.example.com\"}])");
  }
  const parsed = ZIceServers.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid configuration:\n  SIP_ICE_SERVERS: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data.map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username } : {}), ...(s.credential ? { credential: s.credential } : {}) }));
}

const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);

/** SIP_ADDRESS, else HOST when it names one address, else this machine's first outside IPv4 (loopback when it has none). */
function sipAddressOf(e: z.infer<typeof ZEnv>): string {
  if (e.SIP_ADDRESS) return e.SIP_ADDRESS;
  if (e.HOST === "localhost") return "127.0.0.1";
  if (!WILDCARD.has(e.HOST) && isIP(e.HOST) !== 0) return e.HOST;
  for (const list of Object.values(networkInterfaces())) {
    const outside = list?.find((i) => i.family === "IPv4" && !i.internal);
    if (outside) return outside.address;
  }
  return "127.0.0.1";
}

function readableFile(name: string, path: string | undefined): string | null {
  if (path === undefined) return null;
  const full = resolve(path);
  try {
    accessSync(full, constants.R_OK);
  } catch {
    throw new Error(`Invalid configuration:\n  ${name}: cannot read ${full}`);
  }
  return full;
}

function sipTlsOf(e: z.infer<typeof ZEnv>): Config["sipTls"] {
  const pair = [e.SIP_TLS_CERT, e.SIP_TLS_KEY].filter((v) => v !== undefined).length;
  if ((e.SIP_TLS_PORT !== undefined && pair < 2) || pair === 1) {
    throw new Error("Invalid configuration:\n  SIP_TLS_CERT, SIP_TLS_KEY: both are needed (PEM files of the server's certificate and key), and SIP_TLS_PORT needs them");
  }
  return {
    port: e.SIP_TLS_PORT ?? null,
    certFile: readableFile("SIP_TLS_CERT", e.SIP_TLS_CERT),
    keyFile: readableFile("SIP_TLS_KEY", e.SIP_TLS_KEY),
    caFile: readableFile("SIP_TLS_CA", e.SIP_TLS_CA),
  };
}

function rtpengineOf(e: z.infer<typeof ZEnv>): Config["rtpengine"] {
  if (e.RTPENGINE_URL === "off") return { kind: "off" };
  if (e.RTPENGINE_URL && e.RTPENGINE_URL !== "own") {
    const url = new URL(e.RTPENGINE_URL);
    return { kind: "external", host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port), recordingDir: e.RTPENGINE_RECORDING_DIR ? resolve(e.RTPENGINE_RECORDING_DIR) : null };
  }
  if (e.RTP_PORT_MAX <= e.RTP_PORT_MIN) throw new Error("Invalid configuration:\n  RTP_PORT_MAX: must be above RTP_PORT_MIN");
  return { kind: "own", portMin: e.RTP_PORT_MIN, portMax: e.RTP_PORT_MAX };
}

/** Parses the environment once, at start-up; a bad value stops the server with a readable message. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.NODE_TIMEOUT_MS < 2 * e.NODE_HEARTBEAT_MS) {
    throw new Error("Invalid configuration:\n  NODE_TIMEOUT_MS: must be at least twice NODE_HEARTBEAT_MS");
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL ?? null,
    publicUrl: e.PUBLIC_URL ?? null,
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    cookieSecure: e.COOKIE_SECURE,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    allowedUploadTypes: e.ALLOWED_UPLOAD_TYPES.split(",").map((s) => s.trim()).filter(Boolean),
    seedDemo: e.SEED_DEMO === "true",
    demoPassword: e.DEMO_PASSWORD,
    widgetSecret: e.WIDGET_SECRET ?? null,
    presenceGraceMs: e.PRESENCE_GRACE_MS,
    slaWatchMs: e.SLA_WATCH_MS,
    nodeHeartbeatMs: e.NODE_HEARTBEAT_MS,
    nodeTimeoutMs: e.NODE_TIMEOUT_MS,
    sipRealm: e.SIP_REALM ?? (e.PUBLIC_URL ? new URL(e.PUBLIC_URL).hostname : "yixian"),
    sipIceServers: iceServers(e.SIP_ICE_SERVERS),
    sipIceTimeoutMs: e.SIP_ICE_TIMEOUT_MS,
    sipUdpPort: e.SIP_UDP_PORT ?? null,
    sipTcpPort: e.SIP_TCP_PORT ?? null,
    sipTls: sipTlsOf(e),
    sipRateLimit: { burst: e.SIP_RATE_LIMIT_BURST, perSecond: e.SIP_RATE_LIMIT_PER_SECOND },
    sipAddress: sipAddressOf(e),
    sipPublicAddress: e.SIP_PUBLIC_ADDRESS ?? null,
    rtpengine: rtpengineOf(e),
    rtpengineDtmfPort: e.RTPENGINE_DTMF_PORT,
    rtpengineListenAddress: e.RTPENGINE_LISTEN_ADDRESS ?? "127.0.0.1",
  };
}
