import { useQueryClient } from "@tanstack/react-query";
import type { OfferEvent } from "@yixian/contracts";
import { useEffect } from "react";
import { Countdown } from "../Countdown.tsx";
import { useT } from "../i18n.tsx";
import { useSocket } from "../live.ts";
import { answerOffer } from "../offer-answer.ts";
import { queries } from "../queries.ts";
import { offerKindLabel, offerTitle } from "../offer-kind.ts";
import { navigate } from "../router.ts";
import { SHORTCUT_EVENTS } from "../Shortcuts.tsx";
import { useSoftphone, type PhoneCall } from "./SoftphoneProvider.tsx";

/**
 * A call ringing on the softphone, in the offers' place: when the server's INVITE names an offer
 * of mine (X-Yixian-Offer), this is that offer's card — what kind of work it is (its `kind`: a
 * call coming in, a call-back…), contact, company, queue, countdown — with
 * Answer and Decline. Answering opens the call's conversation (the screen pop); the call
 * controller accepts the offer when the call is answered. Declining rejects the offer too, so
 * routing moves on at once.
 */
export function RingingCard({ call, offer, now }: { call: PhoneCall; offer: OfferEvent | undefined; now: number }) {
  const t = useT();
  const phone = useSoftphone();
  const socket = useSocket();
  const client = useQueryClient();

  const answer = () => {
    phone.answer();
    if (call.conversationId) navigate(`/conversations/${encodeURIComponent(call.conversationId)}`);
  };
  const decline = () => {
    phone.hangup();
    if (!call.offerId) return;
    void answerOffer(socket, call.offerId, "reject").then(() => client.invalidateQueries({ queryKey: queries.myOffers().queryKey }));
  };

  useEffect(() => {
    window.addEventListener(SHORTCUT_EVENTS.acceptOffer, answer);
    return () => window.removeEventListener(SHORTCUT_EVENTS.acceptOffer, answer);
  });

  const who = offer?.contactName ?? call.name ?? (call.number || t.softphone.unknownCaller);
  return (
    <div
      className={`toast offer ringing${offer?.vip ? " vip" : ""}`}
      role="alertdialog"
      aria-label={offer ? offerTitle(t, offer) : t.softphone.incoming}
      data-ringing-call={call.id}
      data-offer-id={offer?.offerId}
      data-kind={offer?.kind}
      data-ringer={phone.ringing ? "on" : "off"}
    >
      <div className="toast-head">
        <span className="channel-badge ringing-badge" data-field="offer-kind">
          {offer ? offerKindLabel(t, offer) : t.softphone.incoming}
        </span>
        {offer ? <span className="queue">{offer.queueName}</span> : null}
        {offer?.vip ? <span className="vip-badge">{t.offer.vip}</span> : null}
      </div>
      <div className="toast-who" data-field="contact">
        {who}
      </div>
      {offer?.companyName ? (
        <div className="toast-company" data-field="company">
          {offer.companyName}
        </div>
      ) : null}
      {call.number && call.number !== who ? (
        <div className="caller-number" data-field="caller-number">
          {call.number}
        </div>
      ) : null}
      {offer ? <Countdown expiresAt={offer.expiresAt} now={now} /> : null}
      <div className="toast-actions">
        <button type="button" className="primary answer" data-action="answer-call" onClick={answer}>
          {t.softphone.answer} <kbd>A</kbd>
        </button>
        <button type="button" className="danger" data-action="decline-call" onClick={decline}>
          {t.softphone.decline}
        </button>
      </div>
    </div>
  );
}
