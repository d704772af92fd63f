/** @jsxImportSource preact */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError } from "./api.ts";
import type { ChatClient, ChatState } from "./client.ts";
import { acceptList, checkUpload, uploadErrorText } from "./validation.ts";
import { fmt, formatBytes, type Strings } from "./i18n.ts";
import { CompositionGuard } from "./ime.ts";
import { secondsUntil, type Delivery } from "./retry.ts";
import { RatingCard } from "./Forms.tsx";
import { initials, type ThreadMessage } from "./thread.ts";

function ClipIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9" />
    </svg>
  );
}

export const EMOJI = ["😀", "😂", "😊", "😍", "🤔", "😅", "😢", "😮", "👍", "👎", "🙏", "👏", "💪", "🎉", "❤️", "🔥", "✅", "❌", "👌", "🙂", "😉", "😭", "🤝", "☕"];

/** Position 1 is next: "n ahead of you" only when somebody is. */
function queued(position: number | null, t: Strings): string {
  return position !== null && position > 1 ? fmt(t.queued, { n: position - 1 }) : t.queuedNoPos;
}

function notice(m: ThreadMessage, t: Strings, state: ChatState): string {
  const name = m.authorName ?? t.agent;
  switch (m.text) {
    case "queued": {
      // the position is live only: a notice from the history (position null) has none
      const waiting = state.conversation?.state === "queued" && m.position != null;
      return waiting ? queued(state.conversation?.queuePosition ?? m.position ?? null, t) : t.queuedNoPos;
    }
    case "agent_joined":
      return fmt(t.joined, { name });
    case "transferred":
      return fmt(t.transferred, { name });
    case "ended":
      return t.ended;
    default:
      return m.text;
  }
}

function Ticks({ m, t }: { m: ThreadMessage; t: Strings }) {
  const label = m.status === "sending" ? t.sending : m.status === "read" ? t.read : m.status === "delivered" ? t.delivered : t.sent;
  const mark = m.status === "sending" ? "◷" : m.status === "read" ? "✓✓" : "✓";
  return (
    <span class={`yx-ticks yx-${m.status}`} title={label} data-status={m.status}>
      <span aria-hidden="true">{mark}</span>
      <span class="yx-sr">{label}</span>
    </span>
  );
}

function reason(code: string, t: Strings): string {
  if (code === "VALIDATION_FAILED") return t.reasonInvalid;
  if (code === "CONVERSATION_ENDED") return t.reasonEnded;
  if (code === "NOT_FOUND") return t.reasonFile;
  return t.reasonOther;
}

/** An unsent message: "retrying in N s" / waiting for the network, with "retry now"; or failed, with why. */
function Undelivered({ d, clientId, t, client, now }: { d: Delivery; clientId: string; t: Strings; client: ChatClient; now: number }) {
  if (d.state === "failed") {
    return (
      <p class="yx-undelivered yx-failed" role="alert" data-testid="failed" data-code={d.code} title={d.message}>
        {fmt(t.notSent, { reason: reason(d.code, t) })}{" "}
        <button type="button" class="yx-link" onClick={() => client.discard(clientId)}>
          {t.discard}
        </button>
      </p>
    );
  }
  return (
    <p class="yx-undelivered" role="status" data-testid="retrying" data-code={d.code}>
      {d.retryAt === null ? t.retryOffline : fmt(t.retryIn, { n: secondsUntil(d.retryAt, now) })}{" "}
      <button type="button" class="yx-link" onClick={() => client.retryNow(clientId)}>
        {t.retryNow}
      </button>
    </p>
  );
}

function Bubble({ m, t, client, state, now }: { m: ThreadMessage; t: Strings; client: ChatClient; state: ChatState; now: number }) {
  if (m.from === "system") {
    return (
      <li class="yx-notice" data-notice={m.text}>
        {notice(m, t, state)}
      </li>
    );
  }
  const mine = m.from === "visitor";
  return (
    <li class={mine ? "yx-msg yx-mine" : "yx-msg yx-theirs"} data-seq={m.seq ?? ""} data-client-id={m.clientId ?? ""} data-from={m.from}>
      {mine ? null : (
        <span class="yx-avatar" aria-hidden="true">
          {initials(m.authorName)}
        </span>
      )}
      <div class="yx-body">
        {mine ? null : <span class="yx-author">{m.authorName ?? t.agent}</span>}
        <div class="yx-bubble">
          {m.text ? <p class="yx-text">{m.text}</p> : null}
          {m.attachments.map((a) =>
            a.contentType.startsWith("image/") ? (
              <a key={a.id} href={client.api.fileUrl(a.url)} target="_blank" rel="noopener noreferrer">
                <img class="yx-img" src={client.api.fileUrl(a.url)} alt={a.filename} loading="lazy" />
              </a>
            ) : (
              <a key={a.id} class="yx-file" href={client.api.fileUrl(a.url)} target="_blank" rel="noopener noreferrer" download={a.filename}>
                <ClipIcon /> {a.filename} <span class="yx-muted">{formatBytes(a.size)}</span>
              </a>
            ),
          )}
        </div>
        {mine ? <Ticks m={m} t={t} /> : null}
        {mine && m.seq === null && m.clientId && state.delivery[m.clientId] ? <Undelivered d={state.delivery[m.clientId]!} clientId={m.clientId} t={t} client={client} now={now} /> : null}
      </div>
    </li>
  );
}

export function ChatView({ client, state, t, greeting, visible }: { client: ChatClient; state: ChatState; t: Strings; greeting: string; visible: boolean }) {
  const [text, setText] = useState("");
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const ime = useMemo(() => new CompositionGuard(), []);
  const uploads = state.config?.uploads ?? null;
  // "retrying in N s" counts down while a message waits on a timer
  const [now, setNow] = useState(() => Date.now());
  const counting = Object.values(state.delivery).some((d) => d.state === "retrying" && d.retryAt !== null);
  useEffect(() => {
    if (!counting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [counting, state.delivery]);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
    if (visible && document.visibilityState !== "hidden") client.markRead();
  }, [state.thread, state.agentTyping, state.conversation?.state, visible, client]);

  useEffect(() => {
    if (visible) inputRef.current?.focus();
  }, [visible]);
  useEffect(() => (inputRef.current ? ime.listen(inputRef.current) : undefined), [ime]);

  const send = () => {
    if (!text.trim()) return;
    client.send(text.trim());
    setText("");
    setEmojiOpen(false);
    inputRef.current?.focus();
  };
  const onFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    // refused before uploading, with the server's real limits; what the visitor typed stays
    const problem = uploads ? checkUpload(file, uploads, t) : null;
    setUploadError(problem);
    if (problem) return;
    setUploading(true);
    try {
      const attachment = await client.api.upload(file);
      client.send(text.trim(), [attachment]);
      setText("");
    } catch (err) {
      setUploadError(uploadErrorText(err instanceof ApiError ? err.code : "NETWORK", uploads, t));
    } finally {
      setUploading(false);
    }
  };
  const ended = state.conversation?.state === "ended";
  const limits = uploads ? fmt(t.fileLimits, { max: formatBytes(uploads.maxBytes) }) : t.attach;
  return (
    <div class="yx-chat">
      {state.connection === "offline" ? (
        <p class="yx-banner" role="status">
          {t.offline}
        </p>
      ) : null}
      <ol class="yx-thread" ref={listRef} aria-live="polite" aria-relevant="additions" data-testid="thread">
        {greeting ? <li class="yx-notice yx-greeting">{greeting}</li> : null}
        {state.thread.map((m) => (
          <Bubble key={m.clientId ?? m.id ?? ""} m={m} t={t} client={client} state={state} now={now} />
        ))}
        {state.conversation?.state === "queued" && state.conversation.queuePosition && !state.thread.some((m) => m.text === "queued") ? (
          <li class="yx-notice" data-notice="queued">
            {queued(state.conversation.queuePosition, t)}
          </li>
        ) : null}
        {ended ? (
          <li class="yx-end">
            <RatingCard client={client} t={t} />
          </li>
        ) : null}
      </ol>
      {state.agentTyping ? (
        <p class="yx-typing" role="status" data-testid="typing">
          {fmt(t.typing, { name: state.agentTyping.name || t.agent })}
        </p>
      ) : null}
      {emojiOpen ? (
        <div class="yx-emoji" role="group" aria-label={t.emoji}>
          {EMOJI.map((e) => (
            <button key={e} type="button" onClick={() => setText(text + e)} aria-label={e}>
              {e}
            </button>
          ))}
        </div>
      ) : null}
      {uploadError ? (
        <p class="yx-error" role="alert">
          {uploadError}
        </p>
      ) : null}
      {ended ? (
        // an ended chat takes no more messages: writing would silently start a new one and drop
        // the thread and the rating card; a new chat is the visitor's explicit choice
        <div class="yx-composer yx-ended" role="status" data-testid="ended">
          <span>{t.ended}</span>
          <button class="yx-link" type="button" onClick={() => client.newChat()}>
            {t.newChat}
          </button>
        </div>
      ) : (
      <form
        class="yx-composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <button type="button" class="yx-icon" aria-label={t.emoji} aria-expanded={emojiOpen} onClick={() => setEmojiOpen(!emojiOpen)}>
          ☺
        </button>
        <button type="button" class="yx-icon" aria-label={`${t.attach} (${limits})`} title={limits} disabled={uploading} onClick={() => fileRef.current?.click()}>
          <ClipIcon />
        </button>
        <input ref={fileRef} class="yx-hidden" type="file" accept={uploads ? acceptList(uploads) : undefined} onChange={(e) => void onFile(e)} tabIndex={-1} aria-hidden="true" />
        <label class="yx-sr" for="yx-input">
          {t.placeholder}
        </label>
        <textarea
          id="yx-input"
          ref={inputRef}
          rows={1}
          placeholder={t.placeholder}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            client.typing();
          }}
          onKeyDown={(e) => {
            // the Enter that confirms a pinyin candidate is the IME's, in either event order
            if (e.key === "Enter" && !e.shiftKey && !ime.owns(e)) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="yx-send" disabled={!text.trim()}>
          {t.send}
        </button>
      </form>
      )}
    </div>
  );
}
