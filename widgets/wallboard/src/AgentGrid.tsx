import type { AgentMetrics } from "@yixian/contracts";
import { useLayoutEffect, useRef, useState } from "react";
import { fitGrid, type GridFit } from "./fit.ts";
import { DASH, duration, secondsSince } from "./format.ts";
import type { Strings } from "./i18n.ts";

/** Landscape screens (TVs, monitors) show the whole board at once; a phone scrolls. */
const SCREEN = "(orientation: landscape) and (min-width: 900px)";
const GAP_PX = 8;

/** The grid's columns, row height and font size that put every tile on screen, or null (phone: it flows). */
function useFit(count: number): [React.RefObject<HTMLUListElement | null>, GridFit | null] {
  const ref = useRef<HTMLUListElement>(null);
  const [fit, setFit] = useState<GridFit | null>(null);
  useLayoutEffect(() => {
    const list = ref.current;
    if (!list) return;
    const media = window.matchMedia(SCREEN);
    const measure = () => {
      const next = media.matches ? fitGrid(list.clientWidth, list.clientHeight, count, GAP_PX) : null;
      setFit((prev) => (prev?.columns === next?.columns && prev?.rowHeight === next?.rowHeight && prev?.fontSize === next?.fontSize ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(list);
    media.addEventListener("change", measure);
    return () => {
      observer.disconnect();
      media.removeEventListener("change", measure);
    };
  }, [count]);
  return [ref, fit];
}

/** Every agent of the shown queues: state colour, time in state (ticking), handled today; a dropped console shows as reconnecting. */
export function AgentGrid(props: { agents: AgentMetrics[]; now: number; t: Strings }) {
  const { agents, now, t } = props;
  const [ref, fit] = useFit(agents.length);
  if (agents.length === 0) return <p className="empty">{t.noAgents}</p>;
  const style = fit ? { gridTemplateColumns: `repeat(${fit.columns}, minmax(0, 1fr))`, gridAutoRows: `${fit.rowHeight}px`, fontSize: `${fit.fontSize}px`, gap: `${GAP_PX}px` } : undefined;
  return (
    <ul className={fit ? "agents agents-fit" : "agents"} ref={ref} style={style}>
      {agents.map((a) => (
        <li
          key={a.userId}
          className={`agent state-${a.state}${a.disconnectedAt ? " reconnecting" : ""}`}
          data-user-id={a.userId}
          data-state={a.state}
          data-connection={a.disconnectedAt ? "reconnecting" : "connected"}
        >
          <div className="agent-name">{a.name}</div>
          <div className="agent-state">
            <span className="dot" />
            <span data-field="state">{t.states[a.state]}</span>
            {a.reason ? <span className="agent-reason">· {a.reason}</span> : null}
            {a.disconnectedAt ? <span className="agent-reconnecting" data-field="reconnecting">· {t.reconnecting}</span> : null}
          </div>
          <div className="agent-time" data-field="timeInState">
            {a.stateSince ? duration(secondsSince(a.stateSince, now)) : DASH}
          </div>
          <div className="agent-handled">
            <span className="agent-handled-label">{t.handledToday}</span> <b data-field="handledToday">{a.handledToday}</b>
          </div>
        </li>
      ))}
    </ul>
  );
}
