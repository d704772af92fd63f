import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { OfferEvent } from "@yixian/contracts";
import { useEffect, useState } from "react";
import { Countdown, useNow } from "./Countdown.tsx";
import { formatTime } from "./format.ts";
import { RecordingPlayer } from "./RecordingPlayer.tsx";
import { useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { useSocket } from "./live.ts";
import { answerOffer } from "./offer-answer.ts";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";
import { offerKindLabel, offerTitle } from "./offer-kind.ts";
import { queryKeys } from "./keys.ts";
import { SHORTCUT_EVENTS } from "./Shortcuts.tsx";
import { RingingCard } from "./phone/RingingCard.tsx";
import { useSoftphone } from "./phone/SoftphoneProvider.tsx";

/**
 * Offers waiting for my answer, as toasts with a countdown, listed again after a reload. A call
 * ringing on the softphone takes its offer's place (the same card with Answer and Decline); the
 * offer of a call in progress is not shown again.
 */
export function Offers() {
  const offers = useQuery(queries.myOffers());
  const { call } = useSoftphone();
  const now = useNow();
  // the server withdraws an expired offer (offer:withdrawn): it, not this page's clock, decides
  const all = offers.data ?? [];
  const ringing = call?.status === "ringing" ? call : null;
  const live = all.filter((o) => o.offerId !== call?.offerId);
  return (
    <div className="toasts" aria-live="assertive">
      {live.map((o, i) => (
        <OfferToast key={o.offerId} offer={o} now={now} newest={!ringing && i === live.length - 1} />
      ))}
      {ringing ? <RingingCard key={ringing.id} call={ringing} offer={all.find((o) => o.offerId === ringing.offerId)} now={now} /> : null}
    </div>
  );
}

/** What a caller left: the number to call back, when, and a voicemail to listen to before accepting. */
function CallerFacts({ kind, caller }: { kind: OfferEvent["kind"]; caller: NonNullable<OfferEvent["caller"]> }) {
  const { t, lang } = useLang();
  const me = useQuery(queries.me());
  const when = formatTime(caller.at, lang, me.data?.tenant.timeZone ?? "UTC");
  const number = caller.number ?? t.work.numberWithheld;
  return (
    <>
      <div className="caller-number num" data-field="caller-number">
        {number}
      </div>
      <div className="muted num" data-field="caller-at">
        {kind === "voicemail" ? t.work.leftAt(when) : t.work.askedAt(when)}
      </div>
      {kind === "callback" && caller.callbackTries > 0 ? (
        <div className="muted num" data-field="tries">
          {t.work.tryNow(caller.callbackTries + 1, caller.maxTries)}
        </div>
      ) : null}
      {kind === "voicemail" && caller.recordingId ? <RecordingPlayer attachmentId={caller.recordingId} label={`${t.work.listen} ${number}`} /> : null}
    </>
  );
}

function OfferToast({ offer, now, newest }: { offer: OfferEvent; now: number; newest: boolean }) {
  const { t, lang } = useLang();
  const socket = useSocket();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function answer(kind: "accept" | "reject") {
    if (busy) return;
    setBusy(true);
    const ack = await answerOffer(socket, offer.offerId, kind);
    setBusy(false);
    if (!ack.ok) {
      setError(`${t.offer.failed}${errorText(ack.error, lang)}`);
      void client.invalidateQueries({ queryKey: queries.myOffers().queryKey });
      return;
    }
    client.setQueryData(queries.myOffers().queryKey, (old: OfferEvent[] | undefined) => (old ?? []).filter((o) => o.offerId !== offer.offerId));
    void client.invalidateQueries({ queryKey: queryKeys.conversations.all });
    void client.invalidateQueries({ queryKey: queryKeys.presence.all });
    if (kind !== "accept") return;
    if (ack.data.conversationId) navigate(`/conversations/${ack.data.conversationId}`);
    else if (ack.data.ticketId) {
      // a voicemail or call-back: the ticket, where the agent listens or calls and marks it done
      void client.invalidateQueries({ queryKey: queryKeys.callerWork });
      navigate(`/tickets/${ack.data.ticketId}`);
    }
  }

  useEffect(() => {
    if (!newest) return;
    const accept = () => void answer("accept");
    window.addEventListener(SHORTCUT_EVENTS.acceptOffer, accept);
    return () => window.removeEventListener(SHORTCUT_EVENTS.acceptOffer, accept);
  });

  return (
    <div className={`toast offer${offer.vip ? " vip" : ""}`} data-offer-id={offer.offerId} data-kind={offer.kind} role="alertdialog" aria-label={offerTitle(t, offer)}>
      <div className="toast-head">
        <span className="channel-badge" data-field="offer-kind">
          {offerKindLabel(t, offer)}
        </span>
        <span className="queue">{offer.queueName}</span>
        {offer.vip ? <span className="vip-badge">{t.offer.vip}</span> : null}
      </div>
      <div className="toast-who" data-field="contact">
        {offer.contactName ?? t.customer.unknown}
      </div>
      {offer.companyName ? (
        <div className="toast-company" data-field="company">
          {offer.companyName}
        </div>
      ) : null}
      {offer.caller ? <CallerFacts kind={offer.kind} caller={offer.caller} /> : null}
      <Countdown expiresAt={offer.expiresAt} now={now} />
      {error ? <div className="error">{error}</div> : null}
      <div className="toast-actions">
        <button type="button" className="primary" data-action="accept-offer" disabled={busy} onClick={() => void answer("accept")}>
          {t.offer.accept} <kbd>A</kbd>
        </button>
        <button type="button" data-action="reject-offer" disabled={busy} onClick={() => void answer("reject")}>
          {t.offer.reject}
        </button>
      </div>
    </div>
  );
}
