import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Permission } from "@yixian/contracts";
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from "react";
import { setUnauthorisedHandler } from "./api.ts";
import { dictionaries, initialLang, LangContext, saveLang, useT, type Lang } from "./i18n.tsx";
import { Inbox } from "./Inbox.tsx";
import { SocketContext, useConsoleSocket, type Connection } from "./live.ts";
import { Login } from "./Login.tsx";
import { Offers } from "./Offers.tsx";
import { queries, signedOut } from "./queries.ts";
import { useRoute, type Route } from "./router.ts";
import { TopBar } from "./TopBar.tsx";
import type { Me } from "./types.ts";
import { ConversationView } from "./ConversationView.tsx";
import { TicketView } from "./TicketView.tsx";
import { CustomerPanel } from "./CustomerPanel.tsx";
import { Shortcuts } from "./Shortcuts.tsx";
import { PhoneBar } from "./phone/PhoneBar.tsx";
import { SoftphoneProvider } from "./phone/SoftphoneProvider.tsx";

// only supervisors open it: its code loads when they do
const Supervisor = lazy(() => import("./Supervisor.tsx").then((m) => ({ default: m.Supervisor })));
// only admins open these
const WidgetSettings = lazy(() => import("./WidgetSettings.tsx").then((m) => ({ default: m.WidgetSettings })));
const TrunkSettings = lazy(() => import("./TrunkSettings.tsx").then((m) => ({ default: m.TrunkSettings })));
// the phone pages load when someone opens them
const Calls = lazy(() => import("./Calls.tsx").then((m) => ({ default: m.Calls })));
const MyPhone = lazy(() => import("./MyPhone.tsx").then((m) => ({ default: m.MyPhone })));

/** Pages of their own: the inbox makes room for them on a phone. */
const FULL_PAGES: ReadonlySet<Route["name"]> = new Set(["supervisor", "calls", "widgetSettings", "trunkSettings", "phone"]);

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
  const side = route.name === "conversation" || route.name === "ticket";
  return (
    <SoftphoneProvider enabled={me.permissions.includes("conversation:write")}>
      <div className="shell">
        <TopBar me={me} connection={connection} />
        <div className={`workspace${side ? "" : " no-side"}${FULL_PAGES.has(route.name) ? " full-page" : ""}`}>
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
            <Page me={me}>
              <Supervisor me={me} />
            </Page>
          ) : null}
          {route.name === "calls" ? (
            <Page me={me} needs="conversation:read">
              <Calls me={me} />
            </Page>
          ) : null}
          {route.name === "widgetSettings" ? (
            <Page me={me} needs="tenant:manage">
              <WidgetSettings />
            </Page>
          ) : null}
          {route.name === "trunkSettings" ? (
            <Page me={me} needs="tenant:manage">
              <TrunkSettings />
            </Page>
          ) : null}
          {route.name === "phone" ? (
            <Page me={me}>
              <MyPhone me={me} />
            </Page>
          ) : null}
          {route.name === "inbox" ? <EmptyPane /> : null}
        </div>
        <PhoneBar />
        <Offers />
        <Shortcuts />
      </div>
    </SoftphoneProvider>
  );
}

/** A page whose code loads when it is opened, shown only to whoever holds `needs`. */
function Page({ me, needs, children }: { me: Me; needs?: Permission; children: ReactNode }) {
  if (needs && !me.permissions.includes(needs)) return <EmptyPane />;
  return <Suspense fallback={<main className="pane empty-pane">…</main>}>{children}</Suspense>;
}

function EmptyPane() {
  const t = useT();
  return <main className="pane empty-pane">{t.inbox.pick}</main>;
}
