import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";

/** Which ticket a conversation is filed under: link it to another open ticket of the same
 * customer, or split it off into a new ticket (a different problem). */
export function TicketFiling({ conversationId, contactId, ticketId }: { conversationId: string; contactId: string | null; ticketId: string }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const tickets = useQuery({ ...queries.contactTickets(contactId ?? ""), enabled: contactId !== null });
  const [target, setTarget] = useState("");
  const [subject, setSubject] = useState("");
  const done = () => {
    setTarget("");
    setSubject("");
    void client.invalidateQueries({ queryKey: queryKeys.conversations.all });
    void client.invalidateQueries({ queryKey: queryKeys.tickets.all });
  };
  const link = useMutation({ mutationFn: () => api.conversations.link(conversationId, { ticketId: target }), onSuccess: done });
  const split = useMutation({
    mutationFn: () => api.conversations.detach(conversationId, subject.trim() ? { subject: subject.trim() } : {}),
    onSuccess: done,
  });
  const others = (tickets.data?.items ?? []).filter((x) => x.id !== ticketId && x.status !== "resolved" && x.status !== "closed");
  const failure = link.error ?? split.error;

  return (
    <section className="ticket-filing" data-section="ticket-filing">
      <h4>{t.filing.title}</h4>
      {contactId && others.length > 0 ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (target) link.mutate();
          }}
        >
          <select name="link-ticket" aria-label={t.filing.linkTo} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t.filing.linkTo}…</option>
            {others.map((x) => (
              <option key={x.id} value={x.id}>
                {x.number} · {x.subject}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!target || link.isPending} data-action="link-ticket">
            {t.filing.link}
          </button>
        </form>
      ) : null}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          split.mutate();
        }}
      >
        <input name="split-subject" aria-label={t.filing.newSubject} placeholder={t.filing.newSubject} value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={300} />
        <button type="submit" disabled={split.isPending} data-action="split-ticket">
          {t.filing.split}
        </button>
      </form>
      {failure ? (
        <div className="error" role="alert">
          {t.filing.failed}
          {errorText(failure, lang)}
        </div>
      ) : null}
    </section>
  );
}
