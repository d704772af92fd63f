import { api } from "./client.ts";
import { useLang } from "./i18n.tsx";

/**
 * A call's recording, played from the attachment route (the session cookie authorises it; the
 * route answers the byte ranges the player asks for as it seeks), with a download link.
 */
export function RecordingPlayer({ attachmentId, label, autoPlay = false }: { attachmentId: string; label: string; autoPlay?: boolean }) {
  const { t } = useLang();
  const src = api.attachments.href(attachmentId);
  return (
    <div className="recording">
      <audio controls preload={autoPlay ? "auto" : "metadata"} autoPlay={autoPlay} src={src} aria-label={label} data-field="recording" />
      <a href={src} download className="muted">
        {t.calls.download}
      </a>
    </div>
  );
}
