import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Contact, IdentifyResult } from "@yixian/contracts";
import { useState } from "react";
import { get, patch, qs } from "./api.ts";
import { formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";
import type { Me } from "./types.ts";

/** The screen pop: who this is, their company's service, and everything they asked before. */
export function CustomerPanel({ contactId, conversationId, me }: { contactId: string | null; conversationId: string | null; me: Me }) {
  const [found, setFound] = useState<string | null>(null);
  const id = contactId ?? found;
  return id ? <ContactCard id={id} conversationId={conversationId} me={me} /> : <Identify onFound={setFound} />;
}

function ContactCard({ id, conversationId, me }: { id: string; conversationId: string | null; me: Me }) {
  const { t, lang } = useLang();
  const contact = useQuery(queries.contact(id));
  const history = useQuery(queries.conversations({ contactId: id }));
  const tickets = useQuery(queries.contactTickets(id));
  const [editing, setEditing] = useState(false);
  if (contact.isPending) return <div className="muted">{t.loading}</div>;
  if (contact.error) return <div className="error">{`${t.error}${contact.error.message}`}</div>;
  const c = contact.data;
  const company = c.company;
  const zone = me.tenant.timeZone;

  return (
    <div className="contact-card" data-contact-id={c.id}>
      <div className="panel-head">
        <h3 data-field="contact-name">
          {c.name} {c.isVip ? <span className="vip-badge">VIP</span> : null}
        </h3>
        <button type="button" className="ghost" onClick={() => setEditing(!editing)} data-action="edit-contact">
          {editing ? t.conv.cancel : t.customer.edit}
        </button>
      </div>
      {c.title ? <div className="muted">{c.title}</div> : null}
      {editing ? <EditContact contact={c} onDone={() => setEditing(false)} /> : null}

      <dl className="facts">
        <dt>{t.customer.company}</dt>
        <dd data-field="company">{company?.name ?? t.customer.none}</dd>
        {company ? (
          <>
            <dt>{t.customer.pack}</dt>
            <dd data-field="service-pack">{company.servicePack ? (t.customer.packs[company.servicePack] ?? company.servicePack) : t.customer.none}</dd>
            <dt>{t.customer.expires}</dt>
            <dd>
              {company.serviceExpiresOn ?? t.customer.none}{" "}
              <span className={`service-status ${company.serviceStatus}`} data-field="service-status" data-status={company.serviceStatus}>
                {t.customer.status[company.serviceStatus]}
              </span>
            </dd>
          </>
        ) : null}
      </dl>

      {c.identities.length > 0 ? (
        <section>
          <h4>{t.customer.identities}</h4>
          <ul className="identities">
            {c.identities.map((i) => (
              <li key={i.id}>
                <span className="muted">{t.customer.kinds[i.kind]}</span> {i.displayValue}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {c.notes ? (
        <section>
          <h4>{t.customer.notes}</h4>
          <p className="notes">{c.notes}</p>
        </section>
      ) : null}

      <section>
        <h4>{t.customer.tickets}</h4>
        <ul className="history">
          {(tickets.data?.items ?? []).map((k) => (
            <li key={k.id} data-ticket-id={k.id}>
              <a
                href={`/tickets/${k.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/tickets/${k.id}`);
                }}
              >
                <span className="ticket-ref">{k.number}</span> {k.subject}
              </a>{" "}
              <span className={`status-pill ${k.status}`}>{t.ticket.statuses[k.status]}</span>
            </li>
          ))}
          {tickets.data?.items.length === 0 ? <li className="muted">{t.customer.none}</li> : null}
        </ul>
      </section>

      <section>
        <h4>{t.customer.history}</h4>
        <ul className="history">
          {(history.data?.items ?? [])
            .filter((h) => h.id !== conversationId)
            .map((h) => (
              <li key={h.id}>
                <a
                  href={`/conversations/${h.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/conversations/${h.id}`);
                  }}
                >
                  <span className={`channel-badge ${h.channel}`}>{t.channels[h.channel]}</span> {h.subject || t.inbox.untitled}
                </a>{" "}
                <time className="muted">{formatTime(h.startedAt, lang, zone)}</time>
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}

function EditContact({ contact, onDone }: { contact: Contact; onDone: () => void }) {
  const { t } = useLang();
  const client = useQueryClient();
  const [form, setForm] = useState({ name: contact.name, title: contact.title, isVip: contact.isVip, notes: contact.notes });
  const save = useMutation({
    mutationFn: () => patch<Contact>(`/contacts/${contact.id}`, form),
    onSuccess: (data) => {
      client.setQueryData(queries.contact(contact.id).queryKey, data);
      onDone();
    },
  });
  return (
    <form
      className="edit-contact"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        {t.customer.name}
        <input value={form.name} required onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        {t.customer.titleField}
        <input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
      </label>
      <label className="check">
        <input type="checkbox" checked={form.isVip} onChange={(e) => setForm({ ...form, isVip: e.target.checked })} />
        {t.customer.vip}
      </label>
      <label>
        {t.customer.notes}
        <textarea value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
      </label>
      {save.error ? <div className="error">{save.error.message}</div> : null}
      <button type="submit" className="primary" disabled={save.isPending}>
        {t.customer.save}
      </button>
    </form>
  );
}

/** An unknown visitor: look them up by phone or by their company's verification code. */
function Identify({ onFound }: { onFound: (contactId: string) => void }) {
  const { t } = useLang();
  const [by, setBy] = useState<"phone" | "verificationCode">("phone");
  const [value, setValue] = useState("");
  const lookup = useMutation({
    mutationFn: () => get<IdentifyResult>(`/identify${qs({ [by]: value.trim() })}`),
    onSuccess: (r) => {
      if (r.contact) onFound(r.contact.id);
    },
  });
  return (
    <div className="identify">
      <h3>{t.customer.unknown}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) lookup.mutate();
        }}
      >
        <div className="row">
          <select value={by} onChange={(e) => setBy(e.target.value === "phone" ? "phone" : "verificationCode")} aria-label={t.customer.identify}>
            <option value="phone">{t.customer.byPhone}</option>
            <option value="verificationCode">{t.customer.byCode}</option>
          </select>
          <input value={value} onChange={(e) => setValue(e.target.value)} aria-label={by === "phone" ? t.customer.byPhone : t.customer.byCode} />
          <button type="submit" disabled={lookup.isPending}>
            {t.customer.find}
          </button>
        </div>
      </form>
      {lookup.data && !lookup.data.contact ? (
        <p className="muted">
          {lookup.data.company ? `${t.customer.company}: ${lookup.data.company.name} · ` : ""}
          {t.customer.notFound}
        </p>
      ) : null}
      {lookup.error ? <div className="error">{lookup.error.message}</div> : null}
    </div>
  );
}
