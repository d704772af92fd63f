import { useMutation, useQuery } from "@tanstack/react-query";
import type { Attachment, CannedReply } from "@yixian/contracts";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { imeGuard } from "./ime.ts";
import { ApiError } from "./api.ts";
import { api } from "./client.ts";
import { CannedManager, CannedPicker } from "./Canned.tsx";
import { useT } from "./i18n.tsx";
import { outbox } from "./outbox.ts";
import { queries } from "./queries.ts";
import { useTypingSignal } from "./Typing.tsx";
import { SHORTCUT_EVENTS } from "./Shortcuts.tsx";

type Mode = "outbound" | "internal";

/** Reply or internal note, with attachments; Ctrl/⌘+Enter sends, Alt+N switches to a note. */
export function Composer({ conversationId, userId }: { conversationId: string; userId: string }) {
  const t = useT();
  const [mode, setMode] = useState<Mode>("outbound");
  const [text, setText] = useState("");
  const [files, setFiles] = useState<Attachment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  // pinyin being composed is not a reply yet: its Enter confirms the characters
  const [ime] = useState(imeGuard);
  const fileInput = useRef<HTMLInputElement>(null);
  // `/word` alone in the box opens the canned-reply picker, filtered as you type
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [managing, setManaging] = useState(false);
  const slash = /^\/\S*$/u.test(text) && dismissed !== text ? text : null;
  const canned = useQuery({ ...queries.cannedReplies(slash ?? ""), enabled: slash !== null });
  const options = slash !== null ? (canned.data ?? []) : [];
  const render = useMutation({
    mutationFn: (r: CannedReply) => api.cannedReplies.render(r.id, { conversationId }),
    onSuccess: (r) => {
      setText(r.text);
      input.current?.focus();
    },
    onError: (err) => setError(`${t.canned.failed}${err.message}`),
  });

  const typing = useTypingSignal(conversationId);
  // the reply leaves the box at once and waits in the outbox (with its own clientId) until the
  // server has stored it: the agent goes on writing while the connection is down
  function send() {
    outbox.enqueue({ conversationId, text, direction: mode, attachments: files });
    typing.stopped();
    setText("");
    setFiles([]);
    setError(null);
  }

  const upload = useMutation({
    mutationFn: (file: File) => api.attachments.upload(file),
    onSuccess: (a) => setFiles((f) => [...f, a]),
    onError: (err) => setError(`${t.conv.uploadFailed}${(err instanceof ApiError && t.conv.uploadErrors[err.code]) || err.message}`),
  });

  const canSend = (text.trim() !== "" || files.length > 0) && !upload.isPending;

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (ime.composingKey({ key: e.key, keyCode: e.keyCode, isComposing: e.nativeEvent.isComposing })) return;
    if (slash !== null) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const n = options.length;
        if (n > 0) setActive((a) => (e.key === "ArrowDown" ? (Math.min(a, n - 1) + 1) % n : (Math.min(a, n - 1) - 1 + n) % n));
        return;
      }
      const picked = options[Math.min(active, options.length - 1)];
      if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && picked) {
        e.preventDefault();
        render.mutate(picked);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissed(text);
        return;
      }
    }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (canSend) send();
    }
  }

  useEffect(() => {
    const toggle = () => {
      setMode((m) => (m === "internal" ? "outbound" : "internal"));
      input.current?.focus();
    };
    const focus = () => input.current?.focus();
    window.addEventListener(SHORTCUT_EVENTS.toggleNote, toggle);
    window.addEventListener(SHORTCUT_EVENTS.focusReply, focus);
    return () => {
      window.removeEventListener(SHORTCUT_EVENTS.toggleNote, toggle);
      window.removeEventListener(SHORTCUT_EVENTS.focusReply, focus);
    };
  }, []);

  return (
    <>
      <form
        className={`composer ${mode}`}
        data-mode={mode}
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) send();
        }}
      >
        <div className="composer-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === "outbound"} data-mode-tab="outbound" onClick={() => setMode("outbound")}>
            {t.conv.reply}
          </button>
          <button type="button" role="tab" aria-selected={mode === "internal"} data-mode-tab="internal" onClick={() => setMode("internal")}>
            {t.conv.note} <kbd>Alt+N</kbd>
          </button>
        </div>
        {slash !== null ? <CannedPicker items={options} active={Math.min(active, Math.max(options.length - 1, 0))} pending={canned.isPending} onPick={(r) => render.mutate(r)} /> : null}
        <textarea
          ref={input}
          name="message"
          aria-label={mode === "internal" ? t.conv.note : t.conv.reply}
          placeholder={mode === "internal" ? t.conv.placeholderNote : t.conv.placeholderReply}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            // notes are for colleagues: the customer is not told about them
            if (mode === "outbound" && e.target.value !== "") typing.typed();
          }}
          onKeyDown={onKeyDown}
          onKeyUp={ime.keyUp}
          onCompositionStart={ime.compositionStart}
          onCompositionEnd={ime.compositionEnd}
          rows={3}
        />
        {files.length > 0 ? (
          <ul className="pending-files">
            {files.map((f) => (
              <li key={f.id}>
                {f.filename}
                <button type="button" className="link" aria-label="×" onClick={() => setFiles(files.filter((x) => x.id !== f.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {error ? <div className="error" role="alert">{error}</div> : null}
        <div className="composer-actions">
          <input
            ref={fileInput}
            type="file"
            hidden
            multiple
            data-field="attachment"
            onChange={(e) => {
              for (const f of Array.from(e.target.files ?? [])) upload.mutate(f);
              e.target.value = "";
            }}
          />
          <button type="button" className="ghost" onClick={() => fileInput.current?.click()} disabled={upload.isPending}>
            {t.conv.attach}…
          </button>
          <button type="button" className="ghost" data-action="manage-canned" onClick={() => setManaging(true)}>
            {t.canned.manage}…
          </button>
          <div className="spacer" />
          <button type="submit" className={mode === "internal" ? "note-btn" : "primary"} disabled={!canSend} data-action="send">
            {mode === "internal" ? t.conv.addNote : t.conv.send} <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
      </form>
      {managing ? <CannedManager userId={userId} onClose={() => setManaging(false)} /> : null}
    </>
  );
}
