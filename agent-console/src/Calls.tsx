import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Call } from "@yixian/contracts";
import { Fragment, useId, useState } from "react";
import { api } from "./client.ts";
import { errorText } from "./error-text.ts";
import { Choice } from "./Choice.tsx";
import { DIRECTIONS, DISPOSITIONS, EMPTY_CALL_FILTER, toFilter, type CallFilterDraft } from "./call-filter.ts";
import { otherParty } from "./CallEntry.tsx";
import { formatDuration, formatTime } from "./format.ts";
import { CallerWorkList } from "./CallerWork.tsx";
import { MissedCalls } from "./MissedCalls.tsx";
import { useLang } from "./i18n.tsx";
import type { CallFilter } from "./keys.ts";
import { queries } from "./queries.ts";
import { RecordingPlayer } from "./RecordingPlayer.tsx";
import type { Me } from "./types.ts";

/** The table's columns, by their heading's key in the dictionary. */
const COLUMNS = ["started", "direction", "caller", "called", "queue", "agent", "wait", "talk", "hold", "disposition", "endedBy", "rating", "recording"] as const;

/** Call records, newest first, filtered by days, direction, outcome, agent, queue and number; a page at a time; exported as CSV with the same filters. */
export function Calls({ me }: { me: Me }) {
  const { t, lang } = useLang();
  const tc = t.calls;
  const ids = useId();
  const zone = me.tenant.timeZone;
  const [draft, setDraft] = useState<CallFilterDraft>(EMPTY_CALL_FILTER);
  const [filter, setFilter] = useState<CallFilter>({});
  const calls = useInfiniteQuery(queries.calls(filter));
  const users = useQuery(queries.users());
  const queues = useQuery(queries.queues());
  const numberShort = draft.number.trim().length > 0 && draft.number.trim().length < 3;
  const badRange = Boolean(draft.from && draft.to && draft.to < draft.from);
  const rows = calls.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<CallFilterDraft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <main className="pane settings-page calls-page">
      <div className="scroll">
        <div className="panel-head">
          <h2>{tc.title}</h2>
          <a className="button-link" href={api.calls.exportHref(filter)} download data-action="export-calls">
            {tc.export}
          </a>
        </div>
        <CallerWorkList me={me} />
        <MissedCalls me={me} />
        <form
          className="call-filters"
          aria-label={tc.filters}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!numberShort && !badRange) setFilter(toFilter(draft, zone));
          }}
        >
          <label>
            {tc.from}
            <input type="date" name="from" value={draft.from} aria-invalid={badRange} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label>
            {tc.to}
            <input type="date" name="to" value={draft.to} aria-invalid={badRange} aria-describedby={badRange ? `${ids}-range` : undefined} onChange={(e) => set({ to: e.target.value })} />
          </label>
          <Choice label={tc.direction} name="direction" value={draft.direction} none={tc.any} options={DIRECTIONS.map((x) => ({ value: x, text: tc.directions[x] }))} onChange={(direction) => set({ direction })} />
          <Choice label={tc.disposition} name="disposition" value={draft.disposition} none={tc.any} options={DISPOSITIONS.map((x) => ({ value: x, text: tc.dispositions[x] }))} onChange={(disposition) => set({ disposition })} />
          <Choice label={tc.agent} name="agentId" value={draft.agentId} none={tc.any} options={(users.data ?? []).map((u) => ({ value: u.id, text: u.name }))} onChange={(agentId) => set({ agentId })} />
          <Choice label={tc.queue} name="queueId" value={draft.queueId} none={tc.any} options={(queues.data ?? []).map((q) => ({ value: q.id, text: q.name }))} onChange={(queueId) => set({ queueId })} />
          <label>
            {tc.number}
            <input
              type="search"
              name="number"
              inputMode="tel"
              maxLength={32}
              value={draft.number}
              aria-invalid={numberShort}
              aria-describedby={`${ids}-number`}
              onChange={(e) => set({ number: e.target.value })}
            />
            <span className="muted hint" id={`${ids}-number`}>
              {numberShort ? tc.numberShort : tc.numberHint}
            </span>
          </label>
          <div className="row actions">
            <button type="submit" className="primary" data-action="filter-calls">
              {tc.apply}
            </button>
            <button
              type="button"
              data-action="reset-calls"
              onClick={() => {
                setDraft(EMPTY_CALL_FILTER);
                setFilter({});
              }}
            >
              {tc.reset}
            </button>
          </div>
          {badRange ? (
            <p className="error" id={`${ids}-range`}>
              {tc.badRange}
            </p>
          ) : null}
        </form>

        <h3 id={`${ids}-list`}>{tc.list}</h3>
        {calls.isPending ? <p className="muted">{t.loading}</p> : null}
        {calls.error ? <p className="error">{`${t.error}${errorText(calls.error, lang)}`}</p> : null}
        {calls.data && rows.length === 0 ? (
          <p className="muted" data-field="no-calls">
            {tc.none}
          </p>
        ) : null}
        {rows.length > 0 ? (
          // wide tables scroll sideways inside this box on a phone; the box takes the keyboard for that
          <div className="table-scroll" role="region" aria-labelledby={`${ids}-list`} tabIndex={0}>
            <table className="grid-table calls-table">
              <thead>
                <tr>
                  {COLUMNS.map((column) => (
                    <th key={column} scope="col">
                      {tc[column]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <CallRow key={c.id} call={c} zone={zone} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {rows.length > 0 ? (
          <div className="row">
            <span className="muted" role="status" data-field="calls-shown">
              {tc.shown(rows.length)}
            </span>
            {calls.hasNextPage ? (
              <button type="button" data-action="more-calls" disabled={calls.isFetchingNextPage} onClick={() => void calls.fetchNextPage()}>
                {tc.more}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </main>
  );
}

function CallRow({ call: c, zone }: { call: Call; zone: string }) {
  const { t, lang } = useLang();
  const tc = t.calls;
  const [playing, setPlaying] = useState(false);
  const playerId = useId();
  const when = formatTime(c.startedAt, lang, zone);
  return (
    <Fragment>
      <tr data-call-id={c.id} data-disposition={c.disposition ?? "up"}>
        <td className="num">{when}</td>
        <td>{tc.directions[c.direction]}</td>
        <td className="num">{c.from ?? tc.unknownNumber}</td>
        <td className="num">{c.did ?? c.to ?? ""}</td>
        <td>{c.queue?.name ?? ""}</td>
        <td>{c.agent?.name ?? ""}</td>
        <td className="num">{formatDuration(c.waitSeconds)}</td>
        <td className="num">{formatDuration(c.talkSeconds)}</td>
        <td className="num">{formatDuration(c.holdSeconds)}</td>
        <td data-field="disposition">{c.disposition ? tc.dispositions[c.disposition] : tc.inProgress}</td>
        <td>{c.hangupSide ? tc.sides[c.hangupSide] : ""}</td>
        <td className="num">{c.rating ?? ""}</td>
        <td>
          {c.recordingId ? (
            <button type="button" className="link" data-action="play-recording" aria-expanded={playing} aria-controls={playing ? playerId : undefined} onClick={() => setPlaying((p) => !p)}>
              {playing ? tc.hide : tc.play}
            </button>
          ) : null}
        </td>
      </tr>
      {c.recordingId && playing ? (
        <tr className="call-player" id={playerId}>
          <td colSpan={COLUMNS.length}>
            <RecordingPlayer attachmentId={c.recordingId} label={tc.recordingOf(otherParty(c, tc.unknownNumber), when)} autoPlay />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
