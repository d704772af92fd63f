import { useQuery } from "@tanstack/react-query";
import type { ConversationListItem } from "@yixian/contracts";
import { Mentions } from "./Mentions.tsx";
import { useState } from "react";
import { formatTime } from "./format.ts";
import { contactLabel, conversationTitle } from "./labels.ts";
import { useLang } from "./i18n.tsx";
import { queries, type InboxFilter } from "./queries.ts";
import { navigate } from "./router.ts";

type View = { kind: "mine" } | { kind: "queued" } | { kind: "queue"; queueId: string } | { kind: "mentions" };
type ListView = Exclude<View, { kind: "mentions" }>;

function filterOf(view: ListView): InboxFilter {
  switch (view.kind) {
    case "mine":
      return { assigneeId: "me", state: "active" };
    case "queued":
      return { state: "queued" };
    case "queue":
      return { queueId: view.queueId, state: "active" };
  }
}

/** My active conversations, the waiting ones, and each queue's; live through cache invalidation. */
export function Inbox({ selectedId }: { selectedId: string | null }) {
  const { t } = useLang();
  const me = useQuery(queries.me());
  const queues = useQuery(queries.queues());
  const [view, setView] = useState<View>({ kind: "mine" });
  const list = useQuery({ ...queries.conversations(filterOf(view.kind === "mentions" ? { kind: "mine" } : view)), enabled: view.kind !== "mentions" });
  const counts = useQuery(queries.inboxCounts());
  const unread = new Map((counts.data?.conversations ?? []).map((c) => [c.conversationId, c.unread]));
  const userId = me.data?.user.id;
  const mine = userId ? (queues.data ?? []).filter((q) => q.memberIds.includes(userId)) : [];

  return (
    <nav className="inbox" aria-label={t.inbox.mine}>
      <div className="inbox-views" role="group">
        <button type="button" aria-pressed={view.kind === "mine"} data-view="mine" onClick={() => setView({ kind: "mine" })}>
          {t.inbox.mine}
          <Badge n={counts.data?.unreadTotal} field="unread-total" />
        </button>
        <button type="button" aria-pressed={view.kind === "queued"} data-view="queued" onClick={() => setView({ kind: "queued" })}>
          {t.inbox.queued}
          <Badge n={counts.data?.unassigned} field="unassigned" />
        </button>
        <button type="button" aria-pressed={view.kind === "mentions"} data-view="mentions" onClick={() => setView({ kind: "mentions" })}>
          {t.inbox.mentions}
          <Badge n={counts.data?.mentions} field="mentions" />
        </button>
        {mine.length > 0 ? (
          <select
            aria-label={t.inbox.queue}
            value={view.kind === "queue" ? view.queueId : ""}
            onChange={(e) => setView(e.target.value ? { kind: "queue", queueId: e.target.value } : { kind: "mine" })}
          >
            <option value="">{t.inbox.queue}…</option>
            {mine.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {view.kind === "mentions" ? (
        <Mentions />
      ) : (
        // a short screen scrolls the list inside its box: the box takes the keyboard for that
        <ul className="conv-list" data-list={view.kind} tabIndex={0} aria-label={view.kind === "queued" ? t.inbox.queued : t.inbox.mine}>
          {list.isPending ? <li className="muted">{t.loading}</li> : null}
          {list.data && list.data.items.length === 0 ? <li className="muted">{t.inbox.empty}</li> : null}
          {list.data?.items.map((c) => (
            <ConversationRow key={c.id} c={c} selected={c.id === selectedId} unread={unread.get(c.id) ?? 0} />
          ))}
        </ul>
      )}
    </nav>
  );
}

/** A count next to a tab or row; nothing when zero. */
export function Badge({ n, field, label }: { n: number | undefined; field: string; label?: string }) {
  if (!n) return null;
  return (
    <span className="count-badge" data-field={field} aria-label={label}>
      {n > 99 ? "99+" : n}
    </span>
  );
}

function ConversationRow({ c, selected, unread }: { c: ConversationListItem; selected: boolean; unread: number }) {
  const { t, lang } = useLang();
  const me = useQuery(queries.me());
  const zone = me.data?.tenant.timeZone ?? "UTC";
  return (
    <li>
      <a
        href={`/conversations/${c.id}`}
        className={`conv-row${selected ? " selected" : ""}`}
        data-conversation-id={c.id}
        aria-current={selected ? "page" : undefined}
        onClick={(e) => {
          e.preventDefault();
          navigate(`/conversations/${c.id}`);
        }}
      >
        <span className="conv-contact" data-field="contact">
          {contactLabel(c.contact, t)}
        </span>
        <span className="conv-subject">
          {conversationTitle(c, t)}
          <Badge n={unread} field="unread" label={t.inbox.unread(unread)} />
        </span>
        <span className="conv-meta">
          <span className={`channel-badge ${c.channel}`}>{t.channels[c.channel]}</span>
          <time>{formatTime(c.lastMessageAt ?? c.startedAt, lang, zone)}</time>
        </span>
      </a>
    </li>
  );
}
