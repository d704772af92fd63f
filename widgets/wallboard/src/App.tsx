import { useEffect, useState } from "react";
import { AgentGrid } from "./AgentGrid.tsx";
import { clockTime } from "./format.ts";
import { pickLang, STRINGS, type Lang } from "./i18n.ts";
import { QueueCard } from "./QueueCard.tsx";
import { useWallboard } from "./use-wallboard.ts";

const params = new URLSearchParams(window.location.search);
const TOKEN = params.get("token");
const LANG_PARAM = params.get("lang");

/** Re-renders every second, so live counters tick between pushes. */
function useTick(): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
}

function switchLang(next: Lang, set: (l: Lang) => void): void {
  set(next);
  const url = new URL(window.location.href);
  url.searchParams.set("lang", next === "zh" ? "zh-CN" : "en");
  window.history.replaceState(null, "", url);
}

export function App() {
  const { snapshot, offsetMs, connection, fatal, loadFailed } = useWallboard(TOKEN);
  const [chosen, setChosen] = useState<Lang | null>(null);
  useTick();
  const lang = chosen ?? pickLang(LANG_PARAM, snapshot?.locale ?? null, navigator.language);
  const t = STRINGS[lang];
  const now = Date.now() + offsetMs;

  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = snapshot ? `${t.title} · ${snapshot.tenantName}` : t.title;
  }, [lang, t, snapshot]);

  const tz = snapshot?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="board">
      <header className="top">
        <div className="brand">
          <span className="logo">一线</span>
          <h1>{t.title}</h1>
          {snapshot ? <span className="tenant">{snapshot.tenantName}</span> : null}
        </div>
        <div className="status">
          {snapshot ? (
            <span className="interval" data-field="interval">
              {t.interval(clockTime(snapshot.intervalStart, tz), clockTime(snapshot.intervalEnd, tz))}
            </span>
          ) : null}
          <span className="clock">{clockTime(now, tz, true)}</span>
          <span className={`connection connection-${connection}`} data-connection={connection} role="status">
            <span className="dot" />
            {t.connection[connection]}
          </span>
          <button type="button" className="lang" data-action="switch-lang" onClick={() => switchLang(lang === "zh" ? "en" : "zh", setChosen)}>
            {t.switchTo}
          </button>
        </div>
      </header>
      {fatal ? (
        <p className="notice notice-fatal" data-notice={fatal}>
          {t[fatal]}
        </p>
      ) : loadFailed && !snapshot ? (
        <p className="notice">{t.loadFailed}</p>
      ) : null}
      {snapshot && !fatal ? (
        <main>
          {snapshot.queues.length === 0 ? (
            <p className="empty">{t.noQueues}</p>
          ) : (
            <div className="queues">
              {snapshot.queues.map((q) => (
                <QueueCard key={q.queueId} queue={q} now={now} t={t} />
              ))}
            </div>
          )}
          <h2 className="section">
            {t.agents} <span className="legend">✓ {t.handledToday}</span>
          </h2>
          <AgentGrid agents={snapshot.agents} now={now} t={t} />
        </main>
      ) : null}
    </div>
  );
}
