import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CallerWork, FinishCallerWork } from "@yixian/contracts";
import { useId } from "react";
import { api } from "./client.ts";
import { formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { queryKeys } from "./keys.ts";
import { useCallActionError } from "./phone/call-action-error.ts";
import { useSoftphone } from "./phone/SoftphoneProvider.tsx";
import { queries } from "./queries.ts";
import { RecordingPlayer } from "./RecordingPlayer.tsx";
import { OutcomeForm } from "./OutcomeForm.tsx";
import { navigate } from "./router.ts";
import type { Me } from "./types.ts";

/**
 * The voicemails and call-backs this agent accepted and has not finished (all of them, or one
 * ticket's): each holds the agent's voice capacity until Done with the outcome.
 */
export function CallerWorkList({ me, ticketId }: { me: Me; ticketId?: string }) {
  const { t } = useLang();
  const ids = useId();
  const work = useQuery(queries.callerWork());
  const items = (work.data ?? []).filter((w) => !ticketId || w.ticketId === ticketId);
  if (items.length === 0) return null;
  return (
    <section className="caller-work" data-panel="caller-work" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t.work.title}</h3>
      <p className="muted">{t.work.intro}</p>
      <ul className="card-list">
        {items.map((w) => (
          <CallerWorkCard key={w.workItemId} work={w} me={me} onTicket={ticketId === w.ticketId} />
        ))}
      </ul>
    </section>
  );
}

function CallerWorkCard({ work: w, me, onTicket }: { work: CallerWork; me: Me; onTicket: boolean }) {
  const { t, lang } = useLang();
  const tw = t.work;
  const ids = useId();
  const client = useQueryClient();
  const phone = useSoftphone();
  const { error, say, clear } = useCallActionError(tw.failed);
  const done = useMutation({
    mutationFn: (chosen: FinishCallerWork) => api.callerWork.done(w.workItemId, chosen),
    onMutate: clear,
    onError: say,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.callerWork });
      void client.invalidateQueries({ queryKey: queryKeys.presence.all });
      void client.invalidateQueries({ queryKey: queryKeys.missedCalls.all });
      void client.invalidateQueries({ queryKey: queryKeys.tickets.all });
    },
  });
  const when = formatTime(w.at, lang, me.tenant.timeZone);
  const customer = w.contact ? `${w.contact.name}${w.company ? ` · ${w.company.name}` : ""}` : null;
  const number = w.number ?? tw.numberWithheld;
  const callBack = () => {
    clear();
    try {
      // the call goes on the work's ticket, wherever the card is shown
      if (w.number) phone.dial(w.number, { ticketId: w.ticketId });
    } catch (err) {
      say(err);
    }
  };
  return (
    <li className="card caller-work-card" data-work-item-id={w.workItemId} data-kind={w.kind}>
      <div className="panel-head">
        <h4 id={`${ids}-number`} className="num">
          {number}
        </h4>
        <span className="status-pill" data-field="kind">
          {tw.badges[w.kind]}
        </span>
      </div>
      <dl className="facts">
        {customer ? (
          <>
            <dt>{t.missed.customer}</dt>
            <dd data-field="customer">{customer}</dd>
          </>
        ) : null}
        <dt>{tw.queue}</dt>
        <dd>{w.queue.name}</dd>
        <dt>{tw.ticket}</dt>
        <dd className="num">
          {onTicket ? (
            w.ticketNumber
          ) : (
            <a
              href={`/tickets/${w.ticketId}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/tickets/${w.ticketId}`);
              }}
            >
              {w.ticketNumber}
            </a>
          )}
        </dd>
      </dl>
      <p className="muted num" data-field="when">
        {w.kind === "voicemail" ? tw.leftAt(when) : tw.askedAt(when)}
      </p>
      {w.kind === "callback" && w.callbackTries > 0 ? (
        <p className="muted num" data-field="tries">
          {tw.tryNow(w.callbackTries + 1, w.maxTries)}
        </p>
      ) : null}
      {w.kind === "voicemail" && w.recordingId ? <RecordingPlayer attachmentId={w.recordingId} label={`${tw.listen} ${number}`} /> : null}
      {w.number ? (
        <div className="row">
          <button
            type="button"
            className={w.kind === "callback" ? "primary" : undefined}
            data-action="caller-work-call-back"
            aria-label={tw.callBackNumber(w.number)}
            disabled={!phone.registered || phone.call !== null}
            onClick={callBack}
          >
            {tw.callBack}
          </button>
          {phone.registered ? null : <span className="muted hint">{t.missed.noPhone}</span>}
        </div>
      ) : null}
      <OutcomeForm
        labelledBy={`${ids}-number`}
        texts={{ outcome: tw.outcome, outcomes: tw.outcomes, note: tw.note, submit: tw.done, submitLabel: tw.doneLabel(number) }}
        action="caller-work-done"
        busy={done.isPending}
        onDone={(chosen) => done.mutate(chosen)}
      />
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
