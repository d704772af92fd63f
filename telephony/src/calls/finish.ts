import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { storeCallRecording } from "@yixian/server/domain";
import { recordingToWav, type RecordedLeg } from "../media/index.ts";
import { CALLER, type Call } from "./call.ts";
import type { Runtime } from "./runtime.ts";
import { audioPort } from "./sdp.ts";

/** rtpengine names a call's pcap `<call-id, %-escaped>-<random hex>.pcap`. */
function pcapOf(dir: string, sipCallId: string): string | null {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return null;
  }
  const name = files.find((f) => {
    const m = /^(.+)-[0-9a-f]+\.pcap$/.exec(f);
    if (!m) return false;
    try {
      return decodeURIComponent(m[1]!) === sipCallId;
    } catch {
      return false;
    }
  });
  return name ? join(dir, name) : null;
}

function stamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
}

/** A call's pcap to keep as a recording: the parties by the port rtpengine gave each, and the number to name the file after. */
export interface PcapRecording {
  sipCallId: string;
  tenantId: string;
  conversationId: string;
  callRecordId: string;
  legs: RecordedLeg[];
  /** The customer's number (E.164), or null when withheld. */
  number: string | null;
}

/**
 * rtpengine's pcap of a call (its media deleted, so the file is complete) becomes a mixed WAV
 * kept as the ticket's attachment; the pcap is removed once kept. Answers the attachment's id,
 * or null when recordings are not kept on this node or the pcap is missing.
 */
export async function keepPcapRecording(rt: Runtime, recording: PcapRecording): Promise<string | null> {
  if (!rt.recordingDir) return null;
  const file = pcapOf(join(rt.recordingDir, "pcaps"), recording.sipCallId);
  if (!file) {
    rt.log.warn({ callId: recording.sipCallId }, "the call's recording was not found");
    return null;
  }
  const audio = recordingToWav(readFileSync(file), recording.legs);
  const id = await storeCallRecording(rt.deps, {
    tenantId: recording.tenantId,
    conversationId: recording.conversationId,
    callRecordId: recording.callRecordId,
    wav: audio.mixed,
    durationMs: audio.durationMs,
    filename: `call-${stamp(rt.deps.clock.now())}-${(recording.number ?? "anonymous").replace(/\D/g, "") || "anonymous"}.wav`,
  });
  rmSync(file, { force: true });
  return id;
}

/** The recording of an answered call: the caller's audio and each agent leg's that answered. */
async function keepRecording(rt: Runtime, call: Call): Promise<void> {
  const started = call.started;
  if (!started) return;
  const agents = [...call.legs.values()].filter((l) => l.state === "bridged" || l.dialog !== undefined);
  if (agents.length === 0) return;
  const legs: RecordedLeg[] = [];
  const callerPort = audioPort(call.callerAnswer);
  if (callerPort) legs.push({ name: CALLER, port: callerPort });
  for (const leg of agents) {
    const port = audioPort(leg.sdp);
    if (port) legs.push({ name: `agent-${leg.id}`, port });
  }
  const id = await keepPcapRecording(rt, { sipCallId: call.sipCallId, tenantId: call.tenantId, conversationId: started.conversationId, callRecordId: started.callRecordId, legs, number: started.from });
  if (id) call.recordingId = id;
}

/**
 * The call is over on every leg: its media is deleted (which closes the recording), the
 * recording is kept, and the node forgets the call. Safe to call twice.
 */
export async function finishCall(rt: Runtime, call: Call): Promise<void> {
  if (call.state === "ended") return;
  call.state = "ended";
  call.waiting.abort();
  call.hungUp.abort();
  for (const leg of call.legs.values()) if (leg.state === "ringing") leg.outgoing.cancel();
  rt.calls.remove(call);
  rt.changed(call);
  try {
    await rt.media.delete(call.sipCallId);
    await keepRecording(rt, call);
  } catch (err) {
    rt.log.error({ err, callId: call.sipCallId }, "the call's media or recording could not be finished");
  }
  call.done();
  rt.changed(call);
}
