import type { AgentMetrics } from "@yixian/contracts";
import { DASH, duration, secondsSince } from "./format.ts";
import type { Strings } from "./i18n.ts";

/** Every agent of the shown queues: state colour, time in state (ticking), handled today. */
export function AgentGrid(props: { agents: AgentMetrics[]; now: number; t: Strings }) {
  const { agents, now, t } = props;
  if (agents.length === 0) return <p className="empty">{t.noAgents}</p>;
  return (
    <ul className="agents">
      {agents.map((a) => (
        <li key={a.userId} className={`agent state-${a.state}`} data-user-id={a.userId} data-state={a.state}>
          <div className="agent-name">{a.name}</div>
          <div className="agent-state">
            <span className="dot" />
            <span data-field="state">{t.states[a.state]}</span>
            {a.reason ? <span className="agent-reason">· {a.reason}</span> : null}
          </div>
          <div className="agent-time" data-field="timeInState">
            {a.stateSince ? duration(secondsSince(a.stateSince, now)) : DASH}
          </div>
          <div className="agent-handled">
            {t.handledToday} <b data-field="handledToday">{a.handledToday}</b>
          </div>
        </li>
      ))}
    </ul>
  );
}
