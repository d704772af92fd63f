import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConversationListItem, Presence } from "@yixian/contracts";
import { useEffect, useState } from "react";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { formatTime } from "./format.ts";
import { contactLabel, conversationTitle } from "./labels.ts";
import { useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";
import type { Me } from "./types.ts";

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}` : `${m}:${String(s % 60).padStart(2, "0")}`;
}

/** Every agent's state live, every live conversation, and reassigning their tickets. */
export function Supervisor({ me }: { me: Me }) {
  const { t } = useLang();
  const presence = useQuery(queries.presence());
  const active = useQuery(queries.conversations({ state: "active" }));
  const queued = useQuery(queries.conversations({ state: "queued" }));
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const agents = presence.data ?? [];
  const live = [...(queued.data?.items ?? []), ...(active.data?.items ?? [])];

  return (
    <main className="pane supervisor">
      <div className="scroll">
        <div className="panel-head">
          <h2>{t.sup.title}</h2>
          <a className="button-link" href="/wallboard" target="_blank" rel="noreferrer" data-action="open-wallboard">
            {t.sup.wallboard} ↗
          </a>
        </div>
        <h3>{t.sup.agents}</h3>
        <table className="grid-table">
          <thead>
            <tr>
              <th>{t.sup.agent}</th>
              <th>{t.sup.state}</th>
              <th>{t.sup.inState}</th>
              <th>{t.sup.load}</th>
              <th>{t.phoneReach.column}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.userId} data-user-id={a.userId} data-state={a.state} data-connection={a.disconnectedAt ? "reconnecting" : "connected"}>
                <td>{a.name}</td>
                <td data-field="state">
                  <span className={`dot ${a.state}`} /> {t.presence[a.state]}
                  {a.reason ? <span className="muted"> · {t.awayReasons[a.reason] ?? a.reason}</span> : null}
                  {a.disconnectedAt ? <span className="reconnecting"> · {t.sup.reconnecting}</span> : null}
                </td>
                <td className="num">{since(a.since, now)}</td>
                <td className="num">
                  {t.channels.phone} {a.load.voice}/{a.capacity.voice} · {t.sup.chat} {a.load.chat}/{a.capacity.chat} · {t.channels.email} {a.load.email}/{a.capacity.email}
                </td>
                <td data-field="phone" data-registered={a.phoneRegistered}>
                  {a.phoneRegistered ? t.phoneReach.registered : <span className="muted">{t.phoneReach.none}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>{t.sup.live}</h3>
        <table className="grid-table">
          <thead>
            <tr>
              <th>{t.sup.subject}</th>
              <th>{t.sup.channel}</th>
              <th>{t.sup.state}</th>
              <th>{t.sup.started}</th>
              <th>{t.sup.assignee}</th>
            </tr>
          </thead>
          <tbody>
            {live.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  {t.inbox.empty}
                </td>
              </tr>
            ) : null}
            {live.map((c) => (
              <LiveRow key={c.id} c={c} agents={agents} me={me} />
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}

function LiveRow({ c, agents, me }: { c: ConversationListItem; agents: Presence[]; me: Me }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const assign = useMutation({
    mutationFn: (assigneeId: string | null) => api.tickets.assign(c.ticketId ?? "", { assigneeId }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.conversations.all });
      void client.invalidateQueries({ queryKey: queryKeys.tickets.all });
    },
  });
  const ticket = useQuery({ ...queries.ticket(c.ticketId ?? ""), enabled: Boolean(c.ticketId) });
  const users = useQuery(queries.users());
  const stateOf = new Map(agents.map((a) => [a.userId, a.state]));
  const owner = ticket.data?.assigneeId ?? c.assigneeId;
  return (
    <tr data-conversation-id={c.id}>
      <td>
        <a
          href={`/conversations/${c.id}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(`/conversations/${c.id}`);
          }}
        >
          {conversationTitle(c, t)}
        </a>
        <div className="muted">{contactLabel(c.contact, t)}</div>
      </td>
      <td>
        <span className={`channel-badge ${c.channel}`}>{t.channels[c.channel]}</span>
      </td>
      <td>{c.state === "queued" ? t.inbox.queued : t.sup.active}</td>
      <td>{formatTime(c.startedAt, lang, me.tenant.timeZone)}</td>
      <td>
        {c.ticketId ? (
          <select aria-label={t.sup.reassign} data-field="reassign" value={owner ?? ""} disabled={assign.isPending} onChange={(e) => assign.mutate(e.target.value || null)}>
            <option value="">{t.ticket.unassigned}</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} · {t.presence[stateOf.get(u.id) ?? "offline"]}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted">{t.ticket.unassigned}</span>
        )}
        {assign.error ? <div className="error">{errorText(assign.error, lang)}</div> : null}
      </td>
    </tr>
  );
}
