/** @jsxImportSource preact */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatClient, ChatState } from "./client.ts";
import { checkUpload, UPLOAD_MAX_BYTES, UPLOAD_TYPES } from "./validation.ts";
import { fmt, formatBytes, type Strings } from "./i18n.ts";
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
      return queued(state.conversation?.queuePosition ?? null, t);
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

function Bubble({ m, t, client, state }: { m: ThreadMessage; t: Strings; client: ChatClient; state: ChatState }) {
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

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
    if (visible && document.visibilityState !== "hidden") client.markRead();
  }, [state.thread, state.agentTyping, state.conversation?.state, visible, client]);

  useEffect(() => {
    if (visible) inputRef.current?.focus();
  }, [visible]);

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
    const problem = checkUpload(file, t);
    setUploadError(problem);
    if (problem) return;
    setUploading(true);
    try {
      const attachment = await client.api.upload(file);
      client.send(text.trim(), [attachment]);
      setText("");
    } catch (err) {
      setUploadError(err instanceof Error && err.message ? err.message : t.unavailable);
    } finally {
      setUploading(false);
    }
  };
  const ended = state.conversation?.state === "ended";
  const limits = fmt(t.fileLimits, { max: formatBytes(UPLOAD_MAX_BYTES) });
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
          <Bubble key={m.clientId ?? m.id ?? ""} m={m} t={t} client={client} state={state} />
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
        <input ref={fileRef} class="yx-hidden" type="file" accept={UPLOAD_TYPES.join(",")} onChange={(e) => void onFile(e)} tabIndex={-1} aria-hidden="true" />
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
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="yx-send" disabled={!text.trim()}>
          {t.send}
        </button>
      </form>
    </div>
  );
}
