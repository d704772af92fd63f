import type { Call } from "@yixian/contracts";
import { formatDuration, formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { RecordingPlayer } from "./RecordingPlayer.tsx";

/** The other party's number of a call: the caller of an inbound call, the dialled number of an outbound one. */
export function otherParty(call: Call, unknown: string): string {
  return (call.direction === "inbound" ? call.from : call.to) ?? unknown;
}

/**
 * A call on a ticket's timeline: direction, number, how long it took, who answered, how it
 * ended, the caller's rating, and the recording's player.
 */
export function CallEntry({ call, who, zone }: { call: Call; who: string; zone: string }) {
  const { t, lang } = useLang();
  const tc = t.calls;
  const when = formatTime(call.startedAt, lang, zone);
  const number = otherParty(call, tc.unknownNumber);
  const facts = [
    number,
    call.talkSeconds !== null ? tc.talked(formatDuration(call.talkSeconds)) : call.waitSeconds !== null ? tc.waited(formatDuration(call.waitSeconds)) : null,
    call.agent ? tc.byAgent(call.agent.name) : null,
    call.disposition ? tc.dispositions[call.disposition] : tc.inProgress,
    call.rating ? "★".repeat(call.rating) : null,
  ].filter(Boolean);
  return (
    <>
      <div className="tl-head">
        <span className="channel-badge phone" data-field="direction">
          {tc.directions[call.direction]}
        </span>
        <strong>{who}</strong> <span>{t.ticket.kinds.call}</span>
        <time>{when}</time>
      </div>
      <div className="tl-body" data-field="call-facts">
        {facts.join(" · ")}
      </div>
      {call.recordingId ? <RecordingPlayer attachmentId={call.recordingId} label={tc.recordingOf(number, when)} /> : null}
    </>
  );
}
