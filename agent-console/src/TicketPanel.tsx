import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SlaClock, TicketDetail, TicketPriority, TicketStatus, ZUpdateTicket } from "@yixian/contracts";
import type { z } from "zod";
import { useState } from "react";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { TicketFiling } from "./TicketFiling.tsx";
import { Timeline } from "./Timeline.tsx";
import { useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";
import type { Me } from "./types.ts";

/** The server's lifecycle (server/src/domain/tickets/status-machine.ts): the moves offered. */
const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "pending", "resolved"],
  open: ["pending", "resolved"],
  pending: ["open", "resolved"],
  resolved: ["open", "closed"],
  closed: [],
};
const PRIORITIES: TicketPriority[] = ["low", "normal", "high", "urgent"];

/** A ticket's fields, SLA clocks and whole timeline; every change goes through the API. */
export function TicketPanel({ ticketId, me, conversation }: { ticketId: string; me: Me; conversation?: { id: string; contactId: string | null; ended: boolean } }) {
  const { t, lang } = useLang();
  const ticket = useQuery(queries.ticket(ticketId));
  if (ticket.isPending) return <div className="muted">{t.loading}</div>;
  if (ticket.error) return <div className="error">{`${t.error}${errorText(ticket.error, lang)}`}</div>;
  return (
    <div className="ticket-panel" data-ticket-id={ticketId} data-status={ticket.data.status}>
      <TicketFields ticket={ticket.data} />
      <SlaClocks ticketId={ticketId} />
      {conversation && !conversation.ended ? <TicketFiling conversationId={conversation.id} contactId={conversation.contactId} ticketId={ticketId} /> : null}
      <h4>{t.ticket.timeline}</h4>
      <Timeline ticketId={ticketId} me={me} />
    </div>
  );
}

function useTicketChange(ticketId: string) {
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: queryKeys.tickets.all });
  return {
    update: useMutation({ mutationFn: (body: z.input<typeof ZUpdateTicket>) => api.tickets.update(ticketId, body), onSuccess: done }),
    status: useMutation({ mutationFn: (body: { status: TicketStatus; reason?: string }) => api.tickets.setStatus(ticketId, body), onSuccess: done }),
    assign: useMutation({ mutationFn: (assigneeId: string | null) => api.tickets.assign(ticketId, { assigneeId }), onSuccess: done }),
  };
}

function TicketFields({ ticket }: { ticket: TicketDetail }) {
  const { t, lang } = useLang();
  const categories = useQuery(queries.categories());
  const users = useQuery(queries.users());
  const change = useTicketChange(ticket.id);
  const [tags, setTags] = useState(ticket.tags.join(", "));
  const [resolving, setResolving] = useState(false);
  const [reason, setReason] = useState("");
  const closed = ticket.status === "closed";
  const error = change.update.error ?? change.status.error ?? change.assign.error;

  return (
    <div className="ticket-fields">
      <div className="panel-head">
        <h3>
          <span className="ticket-ref">{ticket.number}</span> {ticket.subject}
        </h3>
      </div>
      <dl className="facts">
        <dt>{t.ticket.status}</dt>
        <dd>
          <span className={`status-pill ${ticket.status}`} data-field="ticket-status">
            {t.ticket.statuses[ticket.status]}
          </span>
          {NEXT_STATUSES[ticket.status]
            .filter((s) => s !== "resolved")
            .map((s) => (
              <button type="button" key={s} className="link" data-move-to={s} disabled={change.status.isPending} onClick={() => change.status.mutate({ status: s })}>
                {t.ticket.moveTo} {t.ticket.statuses[s]}
              </button>
            ))}
        </dd>
        <dt>{t.ticket.priority}</dt>
        <dd>
          <select aria-label={t.ticket.priority} value={ticket.priority} disabled={closed} onChange={(e) => change.update.mutate({ priority: PRIORITIES.find((p) => p === e.target.value) ?? ticket.priority })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t.ticket.priorities[p]}
              </option>
            ))}
          </select>
        </dd>
        <dt>{t.ticket.category}</dt>
        <dd>
          <select aria-label={t.ticket.category} value={ticket.categoryId ?? ""} disabled={closed} onChange={(e) => change.update.mutate({ categoryId: e.target.value || null })}>
            <option value="">{t.ticket.none}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </dd>
        <dt>{t.ticket.assignee}</dt>
        <dd>
          <select aria-label={t.ticket.assignee} value={ticket.assigneeId ?? ""} disabled={closed} onChange={(e) => change.assign.mutate(e.target.value || null)}>
            <option value="">{t.ticket.unassigned}</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </dd>
        <dt>{t.ticket.tags}</dt>
        <dd>
          <input
            aria-label={t.ticket.tags}
            placeholder={t.ticket.tagsHint}
            value={tags}
            disabled={closed}
            onChange={(e) => setTags(e.target.value)}
            onBlur={() => {
              const next = tags.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
              if (next.join(",") !== ticket.tags.join(",")) change.update.mutate({ tags: next });
            }}
          />
        </dd>
      </dl>
      {error ? <div className="error">{errorText(error, lang)}</div> : null}
      {NEXT_STATUSES[ticket.status].includes("resolved") ? (
        resolving ? (
          <form
            className="resolve-form"
            onSubmit={(e) => {
              e.preventDefault();
              change.status.mutate(reason.trim() ? { status: "resolved", reason: reason.trim() } : { status: "resolved" }, { onSuccess: () => setResolving(false) });
            }}
          >
            <textarea aria-label={t.ticket.resolveReason} placeholder={t.ticket.resolveReason} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
            <div className="row">
              <button type="submit" className="primary" data-action="confirm-resolve" disabled={change.status.isPending}>
                {t.ticket.resolve}
              </button>
              <button type="button" onClick={() => setResolving(false)}>
                {t.conv.cancel}
              </button>
            </div>
          </form>
        ) : (
          <button type="button" className="primary" data-action="resolve" onClick={() => setResolving(true)}>
            {t.ticket.resolve}
          </button>
        )
      ) : null}
    </div>
  );
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : `${m}m`;
}

function SlaClocks({ ticketId }: { ticketId: string }) {
  const { t } = useLang();
  const sla = useQuery({ ...queries.ticketSla(ticketId), refetchInterval: 30_000 });
  if (!sla.data) return null;
  return (
    <section className="sla">
      <h4>
        {t.ticket.sla}
        {sla.data.policy ? <span className="muted"> · {sla.data.policy.name}</span> : null}
      </h4>
      {sla.data.clocks.length === 0 ? <div className="muted">{t.ticket.noSla}</div> : null}
      <ul>
        {sla.data.clocks.map((c: SlaClock) => (
          <li key={c.target} className={`sla-clock ${c.state}`} data-target={c.target} data-state={c.state}>
            <span>{t.ticket.targets[c.target]}</span>
            <span className="sla-state">{t.ticket.clockStates[c.state]}</span>
            <span className="sla-left">
              {c.state === "breached" ? t.ticket.overdue(duration(c.overdueSeconds)) : c.state === "running" || c.state === "paused" ? t.ticket.left(duration(c.remainingSeconds)) : ""}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
