import { createSocket } from "node:dgram";
import { join } from "node:path";
import type { Deps } from "@yixian/server/domain";
import { DtmfListener, MediaServer, NgClient, RtpengineProcess, rtpengineInstalled } from "../media/index.ts";
import { Keypad } from "./keypad.ts";

/** The media side of calls: rtpengine (the server's own or an external one), its DTMF keys and recordings. */
export interface CallMedia {
  media: MediaServer;
  keypad: Keypad;
  /** rtpengine's DTMF events, for the IVR's caller lines. */
  dtmf: DtmfListener;
  /** This server's address that rtpengine sends to (DTMF events, voicemail audio). */
  listenAddress: string;
  /** Where rtpengine writes its pcaps (`<dir>/pcaps`); null when it is not readable here. */
  recordingDir: string | null;
  /** Set by the call layer: rtpengine restarted and forgot every call. */
  onRestart: (() => void) | null;
  stop(): Promise<void>;
}

/** A UDP port free on 127.0.0.1 right now (for the NG socket of the server's own rtpengine). */
async function freeLoopbackPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * Starts call media as configured: RTPENGINE_URL=off → none; udp://host:port → that rtpengine;
 * unset → the server's own when the binary is installed (none, with a log line saying how to get
 * it, when it is not). Without media the server still runs; calls are answered 503.
 */
export async function startCallMedia(deps: Deps): Promise<{ media: CallMedia | null; status: string }> {
  const { config, log } = deps;
  const setting = config.rtpengine;
  if (setting.kind === "off") return { media: null, status: "phone calls are off (RTPENGINE_URL=off)" };
  if (setting.kind === "own" && !rtpengineInstalled()) {
    return { media: null, status: "phone calls need rtpengine: install it (apt-get install rtpengine-daemon, or scripts/test-services.sh) or set RTPENGINE_URL" };
  }
  const keypad = new Keypad();
  // the server's own rtpengine sends on loopback; an external one to the address it can reach
  const listenAddress = setting.kind === "external" ? config.rtpengineListenAddress : "127.0.0.1";
  const dtmf = new DtmfListener(config.rtpengineDtmfPort, (digit) => keypad.press(digit), listenAddress);
  const dtmfPort = await dtmf.ready;
  let process: RtpengineProcess | null = null;
  let ng: NgClient;
  let recordingDir: string | null;
  let onRestart = (): void => undefined;
  try {
    if (setting.kind === "external") {
      ng = new NgClient({ host: setting.host, port: setting.port });
      recordingDir = setting.recordingDir;
    } else {
      const ngPort = await freeLoopbackPort();
      process = new RtpengineProcess({
        workDir: join(config.dataDir, "rtpengine"),
        // media on the SIP address; behind NAT rtpengine writes the public one into its SDP
        mediaAddress: config.sipPublicAddress ? `${config.sipAddress}!${config.sipPublicAddress}` : config.sipAddress,
        ngPort,
        dtmfPort,
        portMin: setting.portMin,
        portMax: setting.portMax,
        log: (level, message) => log[level]({ component: "rtpengine" }, message),
        onRestart: () => onRestart(),
      });
      await process.start();
      ng = new NgClient({ host: "127.0.0.1", port: ngPort });
      recordingDir = process.recordingDir;
    }
  } catch (err) {
    await process?.stop();
    await dtmf.close();
    throw err;
  }
  const media: CallMedia = {
    media: new MediaServer(ng),
    keypad,
    dtmf,
    listenAddress,
    recordingDir,
    onRestart: null,
    async stop() {
      await ng.close();
      await process?.stop();
      await dtmf.close();
    },
  };
  onRestart = () => media.onRestart?.();
  const where = setting.kind === "external" ? `rtpengine at ${setting.host}:${setting.port}` : `the server's own rtpengine (RTP on ${config.sipAddress}, UDP ports ${setting.portMin}–${setting.portMax})`;
  return { media, status: `phone calls: media through ${where}` };
}
