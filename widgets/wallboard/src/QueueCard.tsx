import type { QueueMetrics } from "@yixian/contracts";
import { duration, percent, secondsSince } from "./format.ts";
import type { Strings } from "./i18n.ts";
import { abandonLevel, serviceLevelLevel, waitLevel, type Level } from "./thresholds.ts";

const STATE_ORDER = ["available", "busy", "wrap_up", "away", "offline"] as const;

function Metric(props: { name: string; label: string; value: string; level: Level; note?: string; big?: boolean }) {
  return (
    <div className={`metric level-${props.level}${props.big ? " metric-big" : ""}`} data-metric={props.name} data-level={props.level}>
      <div className="metric-label">{props.label}</div>
      <div className="metric-value">{props.value}</div>
      {props.note ? <div className="metric-note">{props.note}</div> : null}
    </div>
  );
}

/** One queue: waiting and longest wait (live), this interval's rates, and its agents by state. */
export function QueueCard(props: { queue: QueueMetrics; now: number; t: Strings }) {
  const { queue: q, now, t } = props;
  // the longest wait keeps growing between pushes: tick it from the oldest arrival
  const longest = q.oldestWaitingSince ? (secondsSince(q.oldestWaitingSince, now) ?? 0) : 0;
  const waitColour = q.waiting === 0 ? "good" : waitLevel(longest, q.serviceLevelSeconds);
  return (
    <section className="queue" data-queue-id={q.queueId} aria-label={q.name}>
      <header className="queue-head">
        <h2>{q.name}</h2>
        <ul className="state-chips" aria-label={t.agents}>
          {STATE_ORDER.map((state) => (
            <li key={state} className={`chip state-${state}`} data-state-count={state}>
              <span className="dot" />
              {t.states[state]} <b>{q.agents[state]}</b>
            </li>
          ))}
        </ul>
      </header>
      <div className="metrics">
        <Metric big name="waiting" label={t.waiting} value={String(q.waiting)} level={waitColour} />
        <Metric big name="longestWait" label={t.longestWait} value={duration(longest)} level={waitColour} />
        <Metric
          big
          name="serviceLevel"
          label={t.serviceLevel}
          value={percent(q.serviceLevel)}
          level={serviceLevelLevel(q.serviceLevel)}
          note={t.withinT(q.serviceLevelSeconds)}
        />
        <Metric name="asa" label={t.asa} value={duration(q.asaSeconds)} level={waitLevel(q.asaSeconds, q.serviceLevelSeconds)} note={t.answered(q.answered)} />
        <Metric name="aht" label={t.aht} value={duration(q.ahtSeconds)} level="none" note={t.handled(q.handled)} />
        <Metric name="abandonRate" label={t.abandonRate} value={percent(q.abandonRate)} level={abandonLevel(q.abandonRate)} note={t.abandoned(q.abandoned)} />
      </div>
    </section>
  );
}
