import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MissedCall, MissedCallDone } from "@yixian/contracts";
import { useId, useState } from "react";
import { Choice } from "./Choice.tsx";
import { api } from "./client.ts";
import { errorText } from "./error-text.ts";
import { formatDuration, formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { queryKeys, type MissedCallFilter } from "./keys.ts";
import { OutcomeForm } from "./OutcomeForm.tsx";
import { useCallActionError } from "./phone/call-action-error.ts";
import { useSoftphone } from "./phone/SoftphoneProvider.tsx";
import { queries } from "./queries.ts";
import type { Me } from "./types.ts";

const STATES = ["open", "done"] as const;

/**
 * Missed calls and call-back requests of the tenant's queues, live (missed-call:changed refetches
 * the list): Call back claims one for this agent and dials it from the softphone; the agent then
 * records the outcome, or puts it back for later.
 */
export function MissedCalls({ me }: { me: Me }) {
  const { t, lang } = useLang();
  const tm = t.missed;
  const ids = useId();
  const [filter, setFilter] = useState<MissedCallFilter>({ state: "open" });
  const list = useQuery(queries.missedCalls(filter));
  const queues = useQuery(queries.queues());
  const items = list.data?.items ?? [];
  return (
    <section className="missed-calls" data-panel="missed-calls" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{tm.title}</h3>
      <p className="muted">{tm.intro}</p>
      <div className="call-filters" role="group" aria-label={tm.filters}>
        <Choice
          label={tm.queue}
          name="missedQueueId"
          value={filter.queueId ?? ""}
          none={tm.allQueues}
          options={(queues.data ?? []).map((q) => ({ value: q.id, text: q.name }))}
          onChange={(queueId) => setFilter((f) => ({ state: f.state, ...(queueId ? { queueId } : {}) }))}
        />
        <Choice label={tm.show} name="missedState" value={filter.state} options={STATES.map((s) => ({ value: s, text: tm.states[s] }))} onChange={(state) => setFilter((f) => ({ ...f, state: state || "open" }))} />
      </div>
      {list.isPending ? <p className="muted">{t.loading}</p> : null}
      {list.error ? <p className="error">{`${t.error}${errorText(list.error, lang)}`}</p> : null}
      {list.data && items.length === 0 ? (
        <p className="muted" data-field="no-missed-calls">
          {filter.state === "open" ? tm.none : tm.noneDone}
        </p>
      ) : null}
      {items.length > 0 ? (
        <ul className="card-list missed-list" aria-labelledby={`${ids}-title`}>
          {items.map((m) => (
            <MissedCallCard key={m.id} missed={m} me={me} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function MissedCallCard({ missed: m, me }: { missed: MissedCall; me: Me }) {
  const { t, lang } = useLang();
  const tm = t.missed;
  const ids = useId();
  const client = useQueryClient();
  const phone = useSoftphone();
  const mine = m.claimedBy?.id === me.user.id;
  const { error, say, clear } = useCallActionError(tm.failed);
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.missedCalls.all });

  // claim first (nobody else calls meanwhile), then dial; a dial that cannot start gives the claim back
  const callBack = useMutation({
    mutationFn: async () => {
      const claimed = await api.missedCalls.claim(m.id);
      try {
        phone.dial(m.number);
      } catch (err) {
        if (!mine) await api.missedCalls.release(m.id).catch(() => undefined);
        throw err;
      }
      return claimed;
    },
    onMutate: clear,
    onError: say,
    onSettled: refresh,
  });
  const release = useMutation({ mutationFn: () => api.missedCalls.release(m.id), onMutate: clear, onError: say, onSettled: refresh });
  const done = useMutation({
    mutationFn: (chosen: MissedCallDone) => api.missedCalls.done(m.id, chosen),
    onMutate: clear,
    onError: say,
    onSettled: refresh,
  });
  const busy = callBack.isPending || release.isPending || done.isPending;
  const customer = m.contact ? `${m.contact.name}${m.company ? ` · ${m.company.name}` : ""}` : tm.anonymousCustomer;
  const canCall = phone.registered && phone.call === null;

  return (
    <li className="card missed-call" data-missed-call-id={m.id} data-state={m.state} data-kind={m.kind}>
      <div className="panel-head">
        <h4 id={`${ids}-number`} className="num">
          {m.number}
        </h4>
        <span className="status-pill" data-field="kind">
          {tm.kinds[m.kind]}
        </span>
      </div>
      <dl className="facts">
        <dt>{tm.customer}</dt>
        <dd data-field="customer">{customer}</dd>
        <dt>{tm.queue}</dt>
        <dd>{m.queue?.name ?? ""}</dd>
        <dt>{tm.when}</dt>
        <dd className="num">{formatTime(m.lastAt, lang, me.tenant.timeZone)}</dd>
        <dt>{tm.waited}</dt>
        <dd className="num" data-field="waited">
          {formatDuration(m.waitedSeconds)}
        </dd>
      </dl>
      <p className="muted" data-field="attempts">
        {tm.attempts(m.attempts)}
      </p>
      {m.callbackTries > 0 && m.maxTries ? (
        <p className="muted num" data-field="tries">
          {[t.work.tryOf(m.callbackTries, m.maxTries), m.retryAt ? t.work.nextTry(formatTime(m.retryAt, lang, me.tenant.timeZone)) : ""].filter(Boolean).join(" · ")}
        </p>
      ) : null}
      {m.state === "claimed" ? (
        <p data-field="claimed-by" role="status">
          {mine ? tm.claimedByMe : tm.claimedBy(m.claimedBy?.name ?? "")}
        </p>
      ) : null}
      {m.state === "done" && m.outcome ? <p data-field="done-by">{tm.doneBy(m.doneBy?.name ?? "", tm.outcomes[m.outcome])}</p> : null}
      {m.state === "done" && m.note ? <p className="muted">{m.note}</p> : null}

      {m.state === "open" || mine ? (
        <div className="row">
          <button
            type="button"
            className="primary"
            data-action="call-back"
            aria-label={tm.callBackNumber(m.number)}
            aria-describedby={phone.registered ? undefined : `${ids}-no-phone`}
            disabled={busy || !canCall}
            onClick={() => callBack.mutate()}
          >
            {tm.callBack}
          </button>
          {mine ? (
            <button type="button" data-action="release-missed-call" disabled={busy} onClick={() => release.mutate()}>
              {tm.release}
            </button>
          ) : null}
          {phone.registered ? null : (
            <span className="muted hint" id={`${ids}-no-phone`}>
              {tm.noPhone}
            </span>
          )}
        </div>
      ) : null}
      {mine ? (
        <OutcomeForm
          labelledBy={`${ids}-number`}
          texts={{ outcome: tm.outcome, outcomes: tm.outcomes, note: tm.note, submit: tm.markDone }}
          action="missed-call-done"
          busy={busy}
          onDone={(chosen) => done.mutate(chosen)}
        />
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
