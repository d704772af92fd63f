import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { setUnauthorisedHandler } from "./api.ts";
import { dictionaries, initialLang, LangContext, saveLang, useT, type Lang } from "./i18n.tsx";
import { Inbox } from "./Inbox.tsx";
import { SocketContext, useConsoleSocket, type Connection } from "./live.ts";
import { Login } from "./Login.tsx";
import { Offers } from "./Offers.tsx";
import { queries, signedOut } from "./queries.ts";
import { useRoute } from "./router.ts";
import { TopBar } from "./TopBar.tsx";
import type { Me } from "./types.ts";
import { ConversationView } from "./ConversationView.tsx";
import { TicketView } from "./TicketView.tsx";
import { CustomerPanel } from "./CustomerPanel.tsx";
import { Shortcuts } from "./Shortcuts.tsx";

// only supervisors open it: its code loads when they do
const Supervisor = lazy(() => import("./Supervisor.tsx").then((m) => ({ default: m.Supervisor })));
// only admins open it
const WidgetSettings = lazy(() => import("./WidgetSettings.tsx").then((m) => ({ default: m.WidgetSettings })));

export function App() {
  const client = useQueryClient();
  const me = useQuery(queries.me());
  const [expired, setExpired] = useState(false);
  const [langChoice, setLangChoice] = useState<Lang | null>(null);
  const lang = langChoice ?? initialLang(me.data?.tenant.locale);
  const lc = useMemo(
    () => ({
      lang,
      t: dictionaries[lang],
      setLang: (l: Lang) => {
        saveLang(l);
        setLangChoice(l);
      },
    }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = lc.t.appName;
  }, [lang, lc.t.appName]);

  useEffect(() => {
    setUnauthorisedHandler(() => {
      if (!client.getQueryData(queries.me().queryKey)) return;
      setExpired(true);
      signedOut(client);
    });
  }, [client]);

  const signedIn = Boolean(me.data);
  const { socket, connection } = useConsoleSocket(signedIn);

  let body;
  if (me.isPending) body = <div className="splash">{lc.t.loading}</div>;
  else if (me.error) body = <div className="splash error">{`${lc.t.error}${me.error.message}`}</div>;
  else if (!me.data)
    body = (
      <Login
        expired={expired}
        onSignedIn={() => {
          // the language the sign-in page showed is the one the console keeps
          lc.setLang(lc.lang);
          setExpired(false);
          void client.invalidateQueries({ queryKey: queries.me().queryKey });
        }}
      />
    );
  else
    body = (
      <SocketContext.Provider value={socket}>
        <Shell connection={connection} me={me.data} />
      </SocketContext.Provider>
    );
  return <LangContext.Provider value={lc}>{body}</LangContext.Provider>;
}

function Shell({ connection, me }: { connection: Connection; me: Me }) {
  const route = useRoute();
  return (
    <div className="shell">
      <TopBar me={me} connection={connection} />
      <div className={`workspace${route.name === "conversation" || route.name === "ticket" ? "" : " no-side"}`}>
        <Inbox selectedId={route.name === "conversation" ? route.id : null} />
        {route.name === "conversation" ? <ConversationView key={route.id} id={route.id} me={me} /> : null}
        {route.name === "ticket" ? <TicketView key={route.id} id={route.id} me={me} /> : null}
        {route.name === "contact" ? (
          <main className="pane contact-view">
            <div className="scroll">
              <CustomerPanel key={route.id} contactId={route.id} conversationId={null} me={me} />
            </div>
          </main>
        ) : null}
        {route.name === "supervisor" ? (
          <Suspense fallback={<main className="pane empty-pane">…</main>}>
            <Supervisor me={me} />
          </Suspense>
        ) : null}
        {route.name === "widgetSettings" ? (
          me.permissions.includes("tenant:manage") ? (
            <Suspense fallback={<main className="pane empty-pane">…</main>}>
              <WidgetSettings />
            </Suspense>
          ) : (
            <EmptyPane />
          )
        ) : null}
        {route.name === "inbox" ? <EmptyPane /> : null}
      </div>
      <Offers />
      <Shortcuts />
    </div>
  );
}

function EmptyPane() {
  const t = useT();
  return <main className="pane empty-pane">{t.inbox.pick}</main>;
}
