import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "./api.ts";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { useT, useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";

type Target = "agent" | "queue";

/** "Transfer" in the conversation header: to an agent (their presence shown) or a queue, with a note. */
export function TransferAction({ conversationId, meId, allowed }: { conversationId: string; meId: string; allowed: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      {allowed ? (
        <button type="button" data-action="transfer" onClick={() => setOpen(true)}>
          {t.transfer.action}
        </button>
      ) : null}
      {done ? (
        <div className="transfer-done" role="status" data-field="transfer-result">
          {done}
        </div>
      ) : null}
      {open && allowed ? (
        <TransferDialog
          conversationId={conversationId}
          meId={meId}
          onClose={() => setOpen(false)}
          onDone={(text) => {
            setOpen(false);
            setDone(text);
          }}
        />
      ) : null}
    </>
  );
}

function TransferDialog({ conversationId, meId, onClose, onDone }: { conversationId: string; meId: string; onClose: () => void; onDone: (text: string) => void }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const presence = useQuery(queries.presence());
  const queues = useQuery(queries.queues());
  const [target, setTarget] = useState<Target>("agent");
  const [agentId, setAgentId] = useState("");
  const [queueId, setQueueId] = useState("");
  const [note, setNote] = useState("");
  const agents = (presence.data ?? []).filter((p) => p.userId !== meId);

  const transfer = useMutation({
    mutationFn: () => api.conversations.transfer(conversationId, target === "agent" ? { toAgentId: agentId, note } : { toQueueId: queueId, note }),
    onSuccess: (r) => {
      const name = r.target === "agent" ? (agents.find((a) => a.userId === r.toAgentId)?.name ?? "") : (queues.data?.find((q) => q.id === r.toQueueId)?.name ?? "");
      onDone(r.target === "agent" ? t.transfer.doneAgent(name) : t.transfer.doneQueue(name));
      void client.invalidateQueries({ queryKey: queryKeys.conversations.all });
      void client.invalidateQueries({ queryKey: queryKeys.presence.all });
      void client.invalidateQueries({ queryKey: queryKeys.inbox.all });
    },
  });
  const err = transfer.error;
  const failureText = err ? (err instanceof ApiError ? (t.transfer.errors[err.code] ?? errorText(err, lang)) : errorText(err, lang)) : null;
  const ready = target === "agent" ? agentId !== "" : queueId !== "";

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={t.transfer.title} data-overlay="transfer" onClick={onClose}>
      <form
        className="overlay-card transfer-dialog"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) transfer.mutate();
        }}
      >
        <h2>{t.transfer.title}</h2>
        <div className="composer-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={target === "agent"} data-target="agent" onClick={() => setTarget("agent")}>
            {t.transfer.toAgent}
          </button>
          <button type="button" role="tab" aria-selected={target === "queue"} data-target="queue" onClick={() => setTarget("queue")}>
            {t.transfer.toQueue}
          </button>
        </div>
        {target === "agent" ? (
          <select name="agent" aria-label={t.transfer.agent} value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
            <option value="">{t.transfer.agent}…</option>
            {agents.map((a) => (
              <option key={a.userId} value={a.userId} data-state={a.state}>
                {a.name} · {t.presence[a.state]}
                {a.reason ? ` (${t.awayReasons[a.reason] ?? a.reason})` : ""}
              </option>
            ))}
          </select>
        ) : (
          <select name="queue" aria-label={t.transfer.queue} value={queueId} onChange={(e) => setQueueId(e.target.value)} required>
            <option value="">{t.transfer.queue}…</option>
            {(queues.data ?? []).map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        )}
        <textarea name="note" aria-label={t.transfer.note} placeholder={t.transfer.note} value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} />
        {failureText ? (
          <div className="error" role="alert" data-error-code={err instanceof ApiError ? err.code : undefined}>
            {t.transfer.failed}
            {failureText}
          </div>
        ) : null}
        <div className="row">
          <button type="submit" className="primary" disabled={!ready || transfer.isPending} data-action="confirm-transfer">
            {t.transfer.submit}
          </button>
          <button type="button" onClick={onClose}>
            {t.transfer.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}
