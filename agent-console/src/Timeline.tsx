import { useQuery } from "@tanstack/react-query";
import type { TimelineItem } from "@yixian/contracts";
import { CallEntry } from "./CallEntry.tsx";
import { formatTime } from "./format.ts";
import { useLang, type Strings } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";
import type { Me } from "./types.ts";

/** A value from an entry's data as a person reads it: names for people, words for codes. */
function show(value: unknown, t: Strings): string {
  if (value === null || value === undefined) return t.ticket.none;
  if (typeof value === "string") return t.ticket.statuses[value] ?? t.ticket.priorities[value] ?? value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object" && "name" in value && typeof value.name === "string") return value.name;
  if (typeof value === "object" && "number" in value && typeof value.number === "string") return value.number;
  return JSON.stringify(value);
}

/** Why routing sent it there, from the decision's facts (the server's explanation is English prose). */
function routingReason(d: Record<string, unknown>, t: Strings): string {
  if (d.transfer) return t.ticket.routing.transferred;
  if (d.overflowFrom) return t.ticket.routing.overflow;
  const rule = d.rule;
  if (rule && typeof rule === "object" && "name" in rule && typeof rule.name === "string" && "position" in rule && typeof rule.position === "number") return t.ticket.routing.rule(rule.position, rule.name);
  return t.ticket.routing.ownQueue;
}

/** The one line under the verb: what changed, from what to what, and why (`at` shows a time in the tenant's zone). */
function detail(item: TimelineItem, t: Strings, at: (iso: string) => string): string {
  const d = item.data;
  const parts: string[] = [];
  switch (item.kind) {
    case "ticket_created":
      parts.push(show(d.subject, t));
      if (typeof d.description === "string" && d.description) parts.push(d.description);
      break;
    case "note":
      parts.push(show(d.body, t));
      break;
    case "rating":
      parts.push(`${"★".repeat(Number(d.score) || 0)}${d.comment ? ` ${show(d.comment, t)}` : ""}`);
      break;
    case "routed":
      parts.push([typeof d.queueName === "string" ? d.queueName : "", routingReason(d, t)].filter(Boolean).join(" · "));
      break;
    case "linked":
    case "merged_in":
    case "merged_into":
      parts.push(show(d.number, t));
      break;
    case "sla_warning":
    case "sla_breached":
    case "escalated":
      if (typeof d.target === "string") parts.push(t.ticket.targets[d.target] ?? d.target);
      break;
    case "caller_work_done":
    case "callback_retry":
      if (d.work === "voicemail" || d.work === "callback") parts.push(t.work.badges[d.work]);
      if (typeof d.number === "string") parts.push(d.number);
      if (typeof d.outcome === "string") parts.push(t.work.outcomes[d.outcome as keyof Strings["work"]["outcomes"]] ?? d.outcome);
      // a call-back's tries: which one went unanswered, and when the next is (none after the last)
      if (typeof d.tries === "number" && typeof d.maxTries === "number") parts.push(t.work.tryOf(d.tries, d.maxTries));
      if (typeof d.retryAt === "string") parts.push(t.work.nextTry(at(d.retryAt)));
      break;
    case "call":
      // a later step of a call shown in full above (the call layer notes when it was answered, recorded …)
      return typeof d.phase === "string" ? (t.calls.phases[d.phase] ?? "") : "";
    case "message":
    case "status_changed":
    case "priority_changed":
    case "assigned":
    case "transferred":
    case "category_changed":
    case "fields_changed":
    case "conversation_linked":
    case "conversation_detached":
    case "dispatch":
    case "visit":
    case "payment":
    case "signature":
    case "contact_identified":
      break;
  }
  if ("from" in d || "to" in d) parts.push(`${show(d.from, t)} → ${show(d.to, t)}`);
  for (const key of ["reason", "note", "channel"] as const) {
    const v = d[key];
    if (typeof v === "string" && v && item.kind !== "ticket_created" && item.kind !== "rating") parts.push(key === "channel" ? (t.channels[v as keyof Strings["channels"]] ?? v) : v);
  }
  return parts.filter(Boolean).join(" · ");
}

export function Timeline({ ticketId, me }: { ticketId: string; me: Me }) {
  const { t, lang } = useLang();
  const timeline = useQuery(queries.ticketTimeline(ticketId));
  if (timeline.isPending) return <div className="muted">{t.loading}</div>;
  if (timeline.error) return <div className="error">{errorText(timeline.error, lang)}</div>;
  // a call is shown in full (facts and player) once, at its first entry; its other entries are one line each
  const firstOfCall = new Map<string, number>();
  for (const item of timeline.data.items) if (item.call && !firstOfCall.has(item.call.id)) firstOfCall.set(item.call.id, item.id);
  return (
    <ol className="timeline">
      {timeline.data.items.map((item) => {
        const who = item.actor.name ?? t.ticket.system;
        const when = formatTime(item.occurredAt, lang, me.tenant.timeZone);
        if (item.kind === "message" && item.message) {
          const m = item.message;
          return (
            <li key={item.id} className={`tl-item tl-message ${m.direction}`} data-kind="message" data-direction={m.direction}>
              <div className="tl-head">
                <span className={`channel-badge ${m.channel}`}>{t.channels[m.channel]}</span>
                <strong>{m.authorName ?? who}</strong>
                {m.direction === "internal" ? <span className="msg-label">{t.conv.noteLabel}</span> : null}
                <time>{when}</time>
              </div>
              <div className="tl-body">{m.text}</div>
              {m.attachments.map((a) => (
                <div key={a.id} className="muted">
                  ⎙ {a.filename}
                </div>
              ))}
            </li>
          );
        }
        if (item.kind === "call" && item.call && firstOfCall.get(item.call.id) === item.id) {
          return (
            <li key={item.id} className="tl-item tl-event call" data-kind="call" data-call-id={item.call.id} data-disposition={item.call.disposition ?? "up"}>
              <CallEntry call={item.call} who={who} zone={me.tenant.timeZone} />
            </li>
          );
        }
        return (
          <li key={item.id} className={`tl-item tl-event ${item.kind}`} data-kind={item.kind}>
            <div className="tl-head">
              <strong>{who}</strong> <span>{t.ticket.kinds[item.kind]}</span>
              <time>{when}</time>
            </div>
            <div className="tl-body">{detail(item, t, (iso) => formatTime(iso, lang, me.tenant.timeZone))}</div>
          </li>
        );
      })}
    </ol>
  );
}
