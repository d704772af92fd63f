/** @jsxImportSource preact */
import { useEffect, useRef, useState } from "preact/hooks";
import { ChatView } from "./Chat.tsx";
import { readableTheme } from "./contrast.ts";
import type { ChatClient } from "./client.ts";
import { LeaveMessageForm, PreChatForm } from "./Forms.tsx";
import { fmt, pickLang, STRINGS, type Lang } from "./i18n.ts";
import type { WidgetOptions } from "./options.ts";
import { useChat } from "./use-chat.ts";

/** Launcher + panel (embedded), or the panel alone filling the page (H5 chat). */
export function Widget({ client, options, browserLangs }: { client: ChatClient; options: WidgetOptions; browserLangs: readonly string[] }) {
  const state = useChat(client);
  const [open, setOpen] = useState(options.openOnLoad || options.fullPage);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const lang: Lang = pickLang(options.lang, browserLangs, state.config?.locale ?? "zh-CN");
  const t = STRINGS[lang];
  const theme = state.config?.theme;
  // the configured colours, made readable (4.5:1) if they are not
  const colours = readableTheme(options.colour ?? theme?.primaryColor ?? "#0958d9", options.colour ? "#ffffff" : (theme?.textColor ?? "#ffffff"));
  const title = theme?.title[lang] ?? t.title;
  const shown = open || options.fullPage;

  const close = () => {
    if (options.fullPage) return;
    setOpen(false);
    launcherRef.current?.focus();
  };

  useEffect(() => {
    if (!shown) return;
    const panel = panelRef.current;
    const first = panel?.querySelector<HTMLElement>("input, textarea, button.yx-primary");
    (first ?? panel)?.focus();
  }, [shown, state.phase]);

  const readSeq = state.conversation?.visitorReadSeq ?? 0;
  const unread = shown ? 0 : state.thread.filter((m) => m.from === "agent" && m.seq !== null && m.seq > readSeq).length;
  const greeting = state.config ? state.config.greeting[lang] : "";
  let body;
  switch (state.phase) {
    case "loading":
      body = <p class="yx-center" aria-busy="true">…</p>;
      break;
    case "unavailable":
      body = (
        <div class="yx-center" role="alert">
          <p>{t.unavailable}</p>
          <button class="yx-primary" type="button" onClick={() => void client.start().catch(() => undefined)}>
            {t.retry}
          </button>
        </div>
      );
      break;
    case "prechat":
      body = state.config ? <PreChatForm client={client} form={state.config.preChatForm} t={t} greeting={greeting} /> : null;
      break;
    case "leave":
      body = state.config ? <LeaveMessageForm client={client} t={t} lang={lang} intro={state.config.offlineMessage} /> : null;
      break;
    case "chat":
      body = <ChatView client={client} state={state} t={t} greeting={greeting} visible={shown} />;
      break;
  }

  return (
    <div
      class={`yx-root yx-${options.position}${options.fullPage ? " yx-page" : ""}`}
      lang={lang}
      style={{ "--yx-primary": colours.primary, "--yx-on-primary": colours.onPrimary, "--yx-accent": colours.accent }}
      onKeyDown={(e) => {
        if (e.key === "Escape" && shown) {
          e.stopPropagation();
          close();
        }
      }}
    >
      {shown ? (
        <section class="yx-panel" ref={panelRef} role="dialog" aria-label={title} tabIndex={-1} data-testid="panel" data-phase={state.phase}>
          <header class="yx-header">
            <span class="yx-title">{title}</span>
            {state.phase === "chat" ? <span class={`yx-dot yx-${state.connection}`} aria-hidden="true" /> : null}
            {options.fullPage ? null : (
              <button type="button" class="yx-close" aria-label={t.close} onClick={close}>
                ×
              </button>
            )}
          </header>
          {body}
        </section>
      ) : null}
      {options.fullPage ? null : (
        <button type="button" class="yx-launcher" ref={launcherRef} aria-label={open ? t.close : unread ? `${t.open} (${fmt(t.unread, { n: unread })})` : t.open} aria-expanded={open} onClick={() => (open ? close() : setOpen(true))} data-testid="launcher">
          {open ? "×" : <ChatIcon />}
          {unread ? (
            <span class="yx-badge" data-testid="unread">
              {unread}
            </span>
          ) : null}
        </button>
      )}
    </div>
  );
}

function ChatIcon() {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z" />
    </svg>
  );
}
