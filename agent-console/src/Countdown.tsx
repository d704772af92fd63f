import { useEffect, useState } from "react";
import { useT } from "./i18n.tsx";

/** The time now, ticking every `everyMs` while the component is shown. */
export function useNow(everyMs = 500): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** An offer's time left: a shrinking bar and "goes to someone else in N s". */
export function Countdown({ expiresAt, now }: { expiresAt: string; now: number }) {
  const t = useT();
  const [total] = useState(() => Math.max(1000, Date.parse(expiresAt) - Date.now()));
  const left = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  return (
    <div className="countdown" data-field="countdown">
      <div className="bar" style={{ width: `${Math.min(100, ((left * 1000) / total) * 100)}%` }} />
      <span>{t.offer.expiresIn(left)}</span>
    </div>
  );
}
