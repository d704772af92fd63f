import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { OfferAck, OfferEvent } from "@yixian/contracts";
import { useEffect, useState } from "react";
import { useLang } from "./i18n.tsx";
import { errorText, knownCode } from "./error-text.ts";
import { useSocket, type ConsoleSocket } from "./live.ts";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { SHORTCUT_EVENTS } from "./Shortcuts.tsx";

/** Offers waiting for my answer, as toasts with a countdown. Listed again after a reload. */
export function Offers() {
  const offers = useQuery(queries.myOffers());
  const now = useNow();
  // the server withdraws an expired offer (offer:withdrawn): it, not this page's clock, decides
  const live = offers.data ?? [];
  return (
    <div className="toasts" aria-live="assertive">
      {live.map((o, i) => (
        <OfferToast key={o.offerId} offer={o} now={now} newest={i === live.length - 1} />
      ))}
    </div>
  );
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, []);
  return now;
}

/** Answers over the socket (acknowledged), or over REST when the socket is down. */
export function answerOffer(socket: ConsoleSocket | null, offerId: string, answer: "accept" | "reject"): Promise<OfferAck> {
  if (socket?.connected) {
    return new Promise((resolve) => socket.emit(answer === "accept" ? "offer:accept" : "offer:reject", offerId, resolve));
  }
  return api.offers.answer(offerId, answer).then(
    (data): OfferAck => ({ ok: true, data }),
    (err: Error & { code?: string }): OfferAck => ({ ok: false, error: { code: knownCode(err.code), message: err.message } }),
  );
}

function OfferToast({ offer, now, newest }: { offer: OfferEvent; now: number; newest: boolean }) {
  const { t, lang } = useLang();
  const socket = useSocket();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [total] = useState(() => Math.max(1000, Date.parse(offer.expiresAt) - Date.now()));
  const left = Math.max(0, Math.ceil((Date.parse(offer.expiresAt) - now) / 1000));

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
    if (kind === "accept" && ack.data.conversationId) navigate(`/conversations/${ack.data.conversationId}`);
  }

  useEffect(() => {
    if (!newest) return;
    const accept = () => void answer("accept");
    window.addEventListener(SHORTCUT_EVENTS.acceptOffer, accept);
    return () => window.removeEventListener(SHORTCUT_EVENTS.acceptOffer, accept);
  });

  return (
    <div className={`toast offer${offer.vip ? " vip" : ""}`} data-offer-id={offer.offerId} role="alertdialog" aria-label={t.offer.title}>
      <div className="toast-head">
        <span className="channel-badge">{t.channels[offer.channel]}</span>
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
      <div className="countdown" data-field="countdown">
        <div className="bar" style={{ width: `${Math.min(100, ((left * 1000) / total) * 100)}%` }} />
        <span>{t.offer.expiresIn(left)}</span>
      </div>
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
