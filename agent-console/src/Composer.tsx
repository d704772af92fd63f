import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Attachment, Message } from "@yixian/contracts";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { post, request } from "./api.ts";
import { useT } from "./i18n.tsx";
import { SHORTCUT_EVENTS } from "./Shortcuts.tsx";

type Mode = "outbound" | "internal";

/** Reply or internal note, with attachments; Ctrl/⌘+Enter sends, Alt+N switches to a note. */
export function Composer({ conversationId }: { conversationId: string }) {
  const t = useT();
  const client = useQueryClient();
  const [mode, setMode] = useState<Mode>("outbound");
  const [text, setText] = useState("");
  const [files, setFiles] = useState<Attachment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // one clientId per draft: a retry after a network error is stored once
  const clientId = useRef(crypto.randomUUID());

  const send = useMutation({
    mutationFn: () =>
      post<Message>(`/conversations/${conversationId}/messages`, { text, direction: mode, attachmentIds: files.map((f) => f.id), clientId: clientId.current }),
    onSuccess: () => {
      setText("");
      setFiles([]);
      setError(null);
      clientId.current = crypto.randomUUID();
      void client.invalidateQueries({ queryKey: ["messages", conversationId] });
    },
    onError: (err) => setError(`${t.conv.sendFailed}${err.message}`),
  });

  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file);
      return request<Attachment>("/attachments", { method: "POST", form });
    },
    onSuccess: (a) => setFiles((f) => [...f, a]),
    onError: (err) => setError(`${t.conv.uploadFailed}${err.message}`),
  });

  const canSend = (text.trim() !== "" || files.length > 0) && !send.isPending && !upload.isPending;

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (canSend) send.mutate();
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
    <form
      className={`composer ${mode}`}
      data-mode={mode}
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend) send.mutate();
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
      <textarea
        ref={input}
        name="message"
        aria-label={mode === "internal" ? t.conv.note : t.conv.reply}
        placeholder={mode === "internal" ? t.conv.placeholderNote : t.conv.placeholderReply}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
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
        <div className="spacer" />
        <button type="submit" className={mode === "internal" ? "note-btn" : "primary"} disabled={!canSend} data-action="send">
          {mode === "internal" ? t.conv.addNote : t.conv.send} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </form>
  );
}
