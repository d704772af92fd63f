import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useNow } from "../Countdown.tsx";
import { useT } from "../i18n.tsx";
import { queries } from "../queries.ts";
import { useRoute } from "../router.ts";
import { callClock } from "./dial-number.ts";
import { SoftphoneError, useSoftphone, type PhoneCall } from "./SoftphoneProvider.tsx";
import "./softphone.css";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"] as const;

/** What the server needs to carry call audio, named in the phone bar's hint (and the start-up banner). */
const MEDIA_PACKAGE = "rtpengine-daemon";
const MEDIA_ENV = "RTPENGINE_URL";

/**
 * The phone area at the foot of the console: registration state (and how to enable the phone
 * when the server carries no audio), the dialpad, the call in progress with its timer, hold,
 * mute, keypad and hang-up, and the element the other party is heard through.
 */
export function PhoneBar() {
  const t = useT();
  const phone = useSoftphone();
  const [dialpad, setDialpad] = useState(false);
  const panelId = useId();
  if (!phone.available) return null;
  const { state, call, lastCall } = phone;
  const inCall = call !== null && call.status !== "ringing";
  return (
    <section className="phone-bar" aria-label={t.softphone.title} data-softphone-state={state}>
      <div className="phone-status">
        <span className={`dot phone-dot ${state}`} aria-hidden="true" />
        <span data-field="phone-state">{t.softphone.states[state]}</span>
        {phone.identity && state === "registered" ? (
          <span className="muted phone-user">
            {t.softphone.registeredAs} <code>{phone.identity.username}</code>
          </span>
        ) : null}
      </div>
      {phone.media === "unavailable" ? (
        <p className="phone-hint" data-field="phone-hint">
          {t.softphone.noMedia.install} <code>{MEDIA_PACKAGE}</code> {t.softphone.noMedia.orSet} <code>{MEDIA_ENV}</code>
          {t.softphone.noMedia.restart}
        </p>
      ) : null}
      {state === "refused" ? (
        <p className="phone-hint" data-field="phone-refused">
          {t.softphone.refusedHint}
        </p>
      ) : null}
      {lastCall && !call ? (
        <span className="muted last-call" data-field="last-call" data-cause={lastCall.cause}>
          {t.softphone.lastCall} {lastCall.number} · {t.softphone.ended[lastCall.cause]}
          {lastCall.talkedMs !== null ? ` · ${callClock(lastCall.talkedMs)}` : ""}
        </span>
      ) : null}
      <div className="spacer" />
      {inCall ? null : (
        <button type="button" data-action="toggle-dialpad" aria-expanded={dialpad} aria-controls={panelId} onClick={() => setDialpad(!dialpad)}>
          {dialpad ? t.softphone.closeDialpad : t.softphone.dialpad}
        </button>
      )}
      {inCall ? <CallPanel id={panelId} call={call} /> : dialpad ? <Dialpad id={panelId} onDialled={() => setDialpad(false)} /> : null}
      <audio ref={phone.attachAudio} autoPlay data-softphone-audio="" />
    </section>
  );
}

/** The ticket on the page the agent is looking at: the ticket's page, or the conversation's ticket. */
function useTicketInView(): { id: string; number: string } | null {
  const route = useRoute();
  const conversation = useQuery({ ...queries.conversation(route.name === "conversation" ? route.id : ""), enabled: route.name === "conversation" });
  const ticketId = route.name === "ticket" ? route.id : route.name === "conversation" ? (conversation.data?.ticket?.id ?? null) : null;
  const ticket = useQuery({ ...queries.ticket(ticketId ?? ""), enabled: ticketId !== null });
  return ticketId && ticket.data ? { id: ticketId, number: ticket.data.number } : null;
}

function Dialpad({ id, onDialled }: { id: string; onDialled: () => void }) {
  const t = useT();
  const phone = useSoftphone();
  const inView = useTicketInView();
  // a call dialled while a ticket is open is logged on it unless the agent says otherwise
  const [onTicket, setOnTicket] = useState(true);
  const [number, setNumber] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  function submit(e: FormEvent) {
    e.preventDefault();
    try {
      phone.dial(number, inView && onTicket ? { ticketId: inView.id } : {});
      setNumber("");
      setError(null);
      onDialled();
    } catch (err) {
      setError(err instanceof SoftphoneError ? t.softphone.errors[err.code] : String(err));
    }
  }

  return (
    <form id={id} className="phone-panel dialpad" onSubmit={submit} data-panel="dialpad">
      <label htmlFor={inputId}>{t.softphone.number}</label>
      <input
        id={inputId}
        name="number"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        value={number}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setNumber(e.target.value)}
      />
      <div className="keys">
        {KEYS.map((k) => (
          <button type="button" key={k} aria-label={t.softphone.key(k)} data-key={k} onClick={() => setNumber((n) => n + k)}>
            {k}
          </button>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="error" role="alert" data-field="dial-error">
          {error}
        </p>
      ) : null}
      {inView ? (
        <label className="dial-ticket" data-field="dial-ticket">
          <input type="checkbox" checked={onTicket} onChange={(e) => setOnTicket(e.target.checked)} />
          {t.softphone.logOnTicket(inView.number)}
        </label>
      ) : null}
      <button type="submit" className="primary" data-action="dial" disabled={!phone.registered}>
        {t.softphone.call}
      </button>
    </form>
  );
}

function CallPanel({ id, call }: { id: string; call: PhoneCall }) {
  const t = useT();
  const phone = useSoftphone();
  const [keypad, setKeypad] = useState(false);
  const [sent, setSent] = useState("");
  const now = useNow(1000);
  const status = call.status === "active" ? (call.held ? t.softphone.held : t.softphone.active) : call.status === "calling" ? t.softphone.calling : t.softphone.connecting;
  const active = call.status === "active";
  const press = (key: string) => {
    phone.dtmf(key);
    setSent((s) => (s + key).slice(-24));
  };
  return (
    <div id={id} className="phone-panel call-panel" role="region" aria-label={status} data-panel="call" data-call-status={call.status} data-held={call.held} data-muted={call.muted}>
      <div className="call-head">
        <span className="call-state" data-field="call-state">
          {status}
        </span>
        {call.answeredAt !== null ? (
          <time className="call-timer" data-field="call-timer" aria-label={t.softphone.callTime}>
            {callClock(now - call.answeredAt)}
          </time>
        ) : null}
      </div>
      <div className="call-who" data-field="call-number">
        {call.name ?? (call.number || t.softphone.unknownCaller)}
      </div>
      {call.ticketId ? <CallTicket ticketId={call.ticketId} /> : null}
      {call.muted ? <div className="muted-note">{t.softphone.muted}</div> : null}
      <div className="call-actions">
        <button type="button" data-action="mute" aria-pressed={call.muted} disabled={!active} onClick={() => phone.mute(!call.muted)}>
          {call.muted ? t.softphone.unmute : t.softphone.mute}
        </button>
        <button type="button" data-action="hold" aria-pressed={call.held} disabled={!active} onClick={() => phone.hold(!call.held)}>
          {call.held ? t.softphone.resume : t.softphone.hold}
        </button>
        <button type="button" data-action="keypad" aria-expanded={keypad} disabled={!active} onClick={() => setKeypad(!keypad)}>
          {t.softphone.keypad}
        </button>
        <button type="button" className="danger" data-action="hang-up" onClick={() => phone.hangup()}>
          {t.softphone.hangup}
        </button>
      </div>
      {keypad && active ? (
        <div className="keypad">
          <div className="keys">
            {KEYS.map((k) => (
              <button type="button" key={k} aria-label={t.softphone.key(k)} data-key={k} onClick={() => press(k)}>
                {k}
              </button>
            ))}
          </div>
          {sent ? (
            <div className="muted" data-field="keys-sent">
              {t.softphone.keysSent} {sent}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The ticket a call is logged on, by its number once known. */
function CallTicket({ ticketId }: { ticketId: string }) {
  const t = useT();
  const ticket = useQuery(queries.ticket(ticketId));
  return (
    <div className="muted" data-field="call-ticket">
      {t.softphone.forTicket} <code>{ticket.data?.number ?? ticketId.slice(0, 8)}</code>
    </div>
  );
}
