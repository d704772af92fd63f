import { useQuery } from "@tanstack/react-query";
import type { Conversation } from "@yixian/contracts";
import { useState } from "react";
import { formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { queries, type InboxFilter } from "./queries.ts";
import { navigate } from "./router.ts";

type View = { kind: "mine" } | { kind: "queued" } | { kind: "queue"; queueId: string };

function filterOf(view: View): InboxFilter {
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
  const list = useQuery(queries.conversations(filterOf(view)));
  const userId = me.data?.user.id;
  const mine = userId ? (queues.data ?? []).filter((q) => q.memberIds.includes(userId)) : [];

  return (
    <nav className="inbox" aria-label={t.inbox.mine}>
      <div className="inbox-views" role="tablist">
        <button type="button" role="tab" aria-selected={view.kind === "mine"} data-view="mine" onClick={() => setView({ kind: "mine" })}>
          {t.inbox.mine}
        </button>
        <button type="button" role="tab" aria-selected={view.kind === "queued"} data-view="queued" onClick={() => setView({ kind: "queued" })}>
          {t.inbox.queued}
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
      <ul className="conv-list" data-list={view.kind}>
        {list.isPending ? <li className="muted">{t.loading}</li> : null}
        {list.data && list.data.items.length === 0 ? <li className="muted">{t.inbox.empty}</li> : null}
        {list.data?.items.map((c) => (
          <ConversationRow key={c.id} c={c} selected={c.id === selectedId} />
        ))}
      </ul>
    </nav>
  );
}

function ConversationRow({ c, selected }: { c: Conversation; selected: boolean }) {
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
        <span className="conv-subject">{c.subject || t.inbox.untitled}</span>
        <span className="conv-meta">
          <span className={`channel-badge ${c.channel}`}>{t.channels[c.channel]}</span>
          <time>{formatTime(c.lastMessageAt ?? c.startedAt, lang, zone)}</time>
        </span>
      </a>
    </li>
  );
}
