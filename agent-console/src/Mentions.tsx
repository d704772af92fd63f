import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Mention } from "@yixian/contracts";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";

/** The caller's unread mentions; opening one marks it read and goes to its conversation or ticket. */
export function Mentions() {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const me = useQuery(queries.me());
  const list = useQuery(queries.mentions());
  const zone = me.data?.tenant.timeZone ?? "UTC";
  const read = useMutation({
    mutationFn: (m: Mention) => api.mentions.read(m.id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.mentions.all });
      void client.invalidateQueries({ queryKey: queryKeys.inbox.all });
    },
  });
  const open = (m: Mention) => {
    read.mutate(m);
    if (m.conversationId) navigate(`/conversations/${m.conversationId}`);
    else if (m.ticketId) navigate(`/tickets/${m.ticketId}`);
  };

  return (
    <ul className="conv-list" data-list="mentions">
      {list.isPending ? <li className="muted">{t.loading}</li> : null}
      {list.data && list.data.length === 0 ? <li className="muted">{t.inbox.noMentions}</li> : null}
      {list.data?.map((m) => (
        <li key={m.id}>
          <button type="button" className="mention-row link" data-mention-id={m.id} onClick={() => open(m)}>
            <span className="conv-subject">{t.inbox.mentionBy(m.authorName ?? t.inbox.someone)}</span>
            <span className="mention-excerpt">{m.excerpt}</span>
            <span className="conv-meta">
              <span>{m.ticketNumber ? `${t.conv.ticket} ${m.ticketNumber}` : ""}</span>
              <time>{formatTime(m.createdAt, lang, zone)}</time>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
