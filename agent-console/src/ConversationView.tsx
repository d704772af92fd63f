import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Message } from "@yixian/contracts";
import { useEffect, useMemo, useRef, useState } from "react";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { Composer } from "./Composer.tsx";
import { formatBytes, formatTime } from "./format.ts";
import { conversationTitle } from "./labels.ts";
import { useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { useConnected, useSocket } from "./live.ts";
import { outbox, unsent, usePendingReplies, type PendingReply } from "./outbox.ts";
import { queries } from "./queries.ts";
import { useMarkRead } from "./ReadMarker.ts";
import { SidePanel } from "./SidePanel.tsx";
import { TransferAction } from "./Transfer.tsx";
import { TypingIndicator } from "./Typing.tsx";
import type { Me } from "./types.ts";

/** One conversation: messages in seq order, live; reply, note, attach; end with a wrap-up. */
export function ConversationView({ id, me }: { id: string; me: Me }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const socket = useSocket();
  const detail = useQuery(queries.conversation(id));
  const messages = useQuery(queries.messages(id));
  const connected = useConnected(socket);
  const allPending = usePendingReplies();
  const stored = messages.data?.items;
  const pending = useMemo(() => unsent(allPending, id, stored ?? []), [allPending, id, stored]);

  useEffect(() => {
    if (!socket) return;
    const join = () => socket.emit("conversation:subscribe", id, () => undefined);
    if (socket.connected) join();
    socket.on("connect", join);
    return () => {
      socket.off("connect", join);
    };
  }, [socket, id]);

  const lastSeq = messages.data?.items.reduce((max, m) => Math.max(max, m.seq), -1);
  const reading = detail.data?.state === "active" && detail.data.assigneeId === me.user.id;
  useMarkRead(id, lastSeq === -1 ? undefined : lastSeq, reading);

  const accept = useMutation({
    mutationFn: () => api.conversations.accept(id),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.conversations.all }),
  });

  if (detail.isPending) return <main className="pane">{t.loading}</main>;
  // a failed refetch (the server restarting) keeps what is shown; only a first load that failed is an error
  if (detail.error && !detail.data) return <main className="pane error">{`${t.error}${errorText(detail.error, lang)}`}</main>;
  const c = detail.data;
  const mine = c.assigneeId === me.user.id;

  return (
    <>
      <main className="pane conversation" data-conversation={c.id} data-state={c.state}>
        <header className="conv-header">
          <div>
            <h2>{conversationTitle({ subject: c.subject, firstMessage: stored?.find((m) => m.direction === "inbound")?.text ?? null, call: c.call }, t)}</h2>
            <div className="conv-header-meta">
              <span className={`channel-badge ${c.channel}`}>{t.channels[c.channel]}</span>
              {c.contact ? <span>{c.contact.name}</span> : <span className="muted">{t.customer.unknown}</span>}
              {c.contact?.companyName ? <span className="muted">{c.contact.companyName}</span> : null}
              {c.ticket ? (
                <span className="ticket-ref" data-field="ticket-number">
                  {t.conv.ticket} {c.ticket.number}
                </span>
              ) : null}
            </div>
          </div>
          {c.state === "queued" ? (
            <button type="button" className="primary" onClick={() => accept.mutate()} disabled={accept.isPending}>
              {t.conv.accept}
            </button>
          ) : null}
          <TransferAction key={id} conversationId={id} meId={me.user.id} allowed={c.state === "active" && (mine || me.permissions.includes("queue:manage"))} />
          {c.state === "active" && mine ? <EndConversation id={id} /> : null}
        </header>
        {socket && !connected && c.state !== "ended" ? (
          <div className="conn-banner" role="status" data-connection="offline">
            {t.outbox.reconnecting}
          </div>
        ) : null}
        <MessageList messages={stored ?? []} pending={pending} me={me} />
        {c.state !== "ended" ? <TypingIndicator conversationId={id} meId={me.user.id} /> : null}
        {c.state === "ended" ? <div className="ended-banner">{t.conv.ended}</div> : null}
        {c.state === "queued" ? <div className="ended-banner">{t.conv.pickUpFirst}</div> : null}
        {c.state === "active" ? <Composer conversationId={id} userId={me.user.id} /> : null}
      </main>
      <SidePanel contactId={c.contactId} conversationId={c.id} ticketId={c.ticketId} me={me} ended={c.state === "ended"} />
    </>
  );
}

function MessageList({ messages, pending, me }: { messages: Message[]; pending: PendingReply[]; me: Me }) {
  const { t, lang } = useLang();
  const end = useRef<HTMLDivElement>(null);
  const last = messages.at(-1)?.id;
  const lastPending = pending.at(-1)?.clientId;
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [last, lastPending]);
  const sorted = [...messages].sort((a, b) => a.seq - b.seq);
  return (
    <div className="messages" role="log" aria-live="polite">
      {sorted.map((m) => (
        <div key={m.id} className={`msg ${m.direction}`} data-seq={m.seq} data-direction={m.direction} data-client-id={m.clientId ?? undefined}>
          {m.direction === "internal" ? <div className="msg-label">{t.conv.noteLabel}</div> : null}
          {m.text ? <div className="msg-text">{m.text}</div> : null}
          {m.attachments.map((a) =>
            a.contentType.startsWith("image/") ? (
              <a key={a.id} href={a.url} target="_blank" rel="noreferrer">
                <img className="msg-image" src={a.url} alt={a.filename} loading="lazy" />
              </a>
            ) : (
              <a key={a.id} className="msg-file" href={a.url} target="_blank" rel="noreferrer">
                ⎙ {a.filename} <span className="muted">{formatBytes(a.size)}</span>
              </a>
            ),
          )}
          <div className="msg-meta">
            <time>{formatTime(m.createdAt, lang, me.tenant.timeZone)}</time>
            {m.direction === "outbound" ? (
              <span className={`delivery ${m.deliveryState}`} data-delivery={m.deliveryState}>
                {t.conv.delivery[m.deliveryState]}
                {m.deliveryState === "failed" && m.deliveryError ? `: ${m.deliveryError}` : null}
              </span>
            ) : null}
          </div>
        </div>
      ))}
      {pending.map((p) => (
        <PendingBubble key={p.clientId} reply={p} />
      ))}
      <div ref={end} />
    </div>
  );
}

/** A reply the server has not stored yet: "sending…", or refused with the reason, a retry and a discard. */
function PendingBubble({ reply }: { reply: PendingReply }) {
  const { t } = useLang();
  return (
    // no data-direction: that marks what the server has stored
    <div className={`msg ${reply.direction} pending`} data-client-id={reply.clientId} data-status={reply.state}>
      {reply.direction === "internal" ? <div className="msg-label">{t.conv.noteLabel}</div> : null}
      {reply.text ? <div className="msg-text">{reply.text}</div> : null}
      {reply.attachments.map((a) => (
        <span key={a.id} className="msg-file">
          ⎙ {a.filename} <span className="muted">{formatBytes(a.size)}</span>
        </span>
      ))}
      <div className="msg-meta">
        {reply.state === "sending" ? (
          <span className="delivery">{t.outbox.sending}</span>
        ) : (
          <>
            <span className="delivery error" role="alert">
              {t.outbox.notSent}
              {reply.error ? `: ${reply.error}` : ""}
            </span>
            <button type="button" className="link" data-action="retry-send" onClick={() => outbox.retry(reply.clientId)}>
              {t.outbox.retry}
            </button>
            <button type="button" className="link" data-action="discard-send" onClick={() => outbox.discard(reply.clientId)}>
              {t.outbox.discard}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function EndConversation({ id }: { id: string }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [wrapUp, setWrapUp] = useState("");
  const end = useMutation({
    mutationFn: () => api.conversations.end(id, wrapUp.trim() ? { wrapUp: wrapUp.trim() } : {}),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: queryKeys.conversations.all });
      void client.invalidateQueries({ queryKey: queryKeys.messages.of(id) });
      void client.invalidateQueries({ queryKey: queryKeys.presence.all });
    },
  });
  if (!open)
    return (
      <button type="button" data-action="end-conversation" onClick={() => setOpen(true)}>
        {t.conv.end}
      </button>
    );
  return (
    <form
      className="end-form"
      onSubmit={(e) => {
        e.preventDefault();
        end.mutate();
      }}
    >
      <textarea aria-label={t.conv.wrapUp} placeholder={t.conv.wrapUp} value={wrapUp} onChange={(e) => setWrapUp(e.target.value)} autoFocus />
      {end.error ? <div className="error">{errorText(end.error, lang)}</div> : null}
      <div className="row">
        <button type="submit" className="danger" disabled={end.isPending} data-action="confirm-end">
          {t.conv.confirmEnd}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t.conv.cancel}
        </button>
      </div>
    </form>
  );
}
