/**
 * The two sipp scenarios of `npm run bench:sip`, written out per run because the hold time sets
 * how often the caller's audio file is played.
 *
 * Caller (the trunk): INVITE with PCMA and telephone-event → 100 → 180 → 200 → ACK (to the
 * Contact of the 200, along its Record-Route) → sipp's own `g711a.pcap` played again and again
 * for the hold time → BYE → 200. Response time 1 is the ring: INVITE → first 180, or → 200 when
 * the 200 overtakes the 180 (a proxy's workers may forward them in either order; a 180 coming
 * after the 200 is ignored). Any other message, or none within the receive time-out, fails the
 * call.
 *
 * Answerer (the agents' phones): INVITE → 180 → 200 with SDP on sipp's media port, where
 * `-rtp_echo` sends every packet back to where it came from (so media flows both ways) → ACK →
 * BYE → 200. The INVITE sent again by a caller that missed the 180 in time is taken while the
 * ACK is awaited (sipp answers a resent request only until its second response, and would
 * abort the call; the 200 is resent until the ACK anyway). The ACK is optional, as in sipp's
 * own answerer: on a loaded machine a dropped ACK lets the BYE come first.
 */
import { existsSync, readFileSync } from "node:fs";

export const PCAP_DIR = "/usr/share/sip-tester";
export const AUDIO = `${PCAP_DIR}/g711a.pcap`;
/** The span of g711a.pcap (236 packets over 7.05 s): the audio is started again after it. */
export const AUDIO_MS = 7050;

export function audioInstalled(): boolean {
  return existsSync(AUDIO);
}

/** When each packet of g711a.pcap is sent, in ms from the first (a classic little-endian pcap). */
function audioPacketTimes(): number[] {
  const file = readFileSync(AUDIO);
  const times: number[] = [];
  for (let at = 24; at + 16 <= file.length; at += 16 + file.readUInt32LE(at + 8)) {
    times.push(file.readUInt32LE(at) * 1000 + file.readUInt32LE(at + 4) / 1000);
  }
  return times.map((t) => t - (times[0] ?? 0));
}

/** RTP packets a caller holding `holdMs` sends (the answerer echoes as many back). */
export function audioPacketsWithin(holdMs: number): number {
  const times = audioPacketTimes();
  let packets = 0;
  for (let left = holdMs; left > 0; left -= AUDIO_MS) packets += times.filter((t) => t < left).length;
  return packets;
}

/** The call's media: played in turns of the whole file, then the rest of the hold in silence. */
function hold(holdMs: number): string {
  const plays: string[] = [];
  for (let left = holdMs; left > 0; left -= AUDIO_MS) {
    plays.push(`  <nop><action><exec play_pcap_audio="${AUDIO}"/></action></nop>\n  <pause milliseconds="${Math.min(left, AUDIO_MS)}"/>`);
  }
  return plays.join("\n");
}

/** The SDP both sides send (sipp fills in the bracketed keywords): PCMA and telephone-event. */
function sdp(portKeyword: "auto_media_port" | "media_port"): string[] {
  return ["v=0", "o=- 53655765 2353687637 IN IP[local_ip_type] [local_ip]", "s=-", "c=IN IP[media_ip_type] [media_ip]", "t=0 0", `m=audio [${portKeyword}] RTP/AVP 8 101`, "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv"];
}

/** Message lines as sipp wants them in CDATA: indented (sipp strips the indent). */
function indent(lines: string[]): string {
  return lines.map((line) => (line === "" ? line : `      ${line}`)).join("\n");
}

/** The caller's ACK and BYE: to the Contact of the 200, along its Record-Route; the BYE is resent until answered. */
function inDialog(method: "ACK" | "BYE", seq: number): string {
  return `  <send${method === "BYE" ? ' retrans="500"' : ""}>
    <![CDATA[

      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: "Bench [call_number]" <sip:[caller_prefix][call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${seq} ${method}
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`;
}

export function callerScenario(holdMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="bench caller">
  <send retrans="500" start_rtd="1">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Bench [call_number]" <sip:[caller_prefix][call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag09[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${indent(sdp("auto_media_port"))}

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true" rtd="1"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="1" rrs="true"/>
${inDialog("ACK", 1)}
${hold(holdMs)}
${inDialog("BYE", 2)}
  <recv response="200"/>
</scenario>
`;
}

/** The answerer's 180 (no body) and 200 (with SDP, resent until the ACK), both with its To tag and Contact. */
function answer(status: "180 Ringing" | "200 OK"): string {
  const body = status === "200 OK" ? ["Content-Type: application/sdp", "Content-Length: [len]", "", ...sdp("media_port")] : ["Content-Length: 0"];
  const lines = [`SIP/2.0 ${status}`, "[last_Via:]", "[last_Record-Route:]", "[last_From:]", "[last_To:];tag=[pid]SIPpTag01[call_number]", "[last_Call-ID:]", "[last_CSeq:]", "Contact: <sip:agent@[local_ip]:[local_port]>", ...body];
  return `  <send${status === "200 OK" ? ' retrans="500"' : ""}>
    <![CDATA[

${indent(lines)}

    ]]>
  </send>`;
}

export function answererScenario(): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="bench answerer">
  <recv request="INVITE"/>
${answer("180 Ringing")}
${answer("200 OK")}
  <recv request="INVITE" optional="true"/>
  <recv request="ACK" optional="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <timewait milliseconds="2000"/>
</scenario>
`;
}
