import { useState } from "react";
import { useT } from "../i18n.tsx";
import { SoftphoneError, useSoftphone } from "./SoftphoneProvider.tsx";

/**
 * "Call" beside a customer's phone number: dials it from the softphone, for the ticket shown
 * beside it when there is one (the INVITE carries X-Yixian-Ticket). Not shown to whoever has no
 * softphone; disabled while the phone is not registered or a call is up.
 */
export function CallNumber({ number, ticketId }: { number: string; ticketId: string | null }) {
  const t = useT();
  const phone = useSoftphone();
  const [error, setError] = useState<string | null>(null);
  if (!phone.available) return null;
  const call = () => {
    try {
      phone.dial(number, ticketId ? { ticketId } : {});
      setError(null);
    } catch (err) {
      setError(err instanceof SoftphoneError ? t.softphone.errors[err.code] : String(err));
    }
  };
  return (
    <>
      <button type="button" className="link call-number" data-action="call-number" aria-label={t.softphone.callNumber(number)} disabled={!phone.registered || phone.call !== null} onClick={call}>
        {t.softphone.call}
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
