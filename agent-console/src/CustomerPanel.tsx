import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Company, Contact, SetConversationContact } from "@yixian/contracts";
import { useState } from "react";
import { ApiError } from "./api.ts";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { formatTime } from "./format.ts";
import { contactLabel, conversationTitle } from "./labels.ts";
import { useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";
import type { Me } from "./types.ts";
import { CallNumber } from "./phone/CallNumber.tsx";

/**
 * The screen pop: who this is, their company's service, and everything they asked before. Beside
 * a conversation, or beside a ticket (`ticketId`: an unidentified visitor is identified through
 * their latest conversation on it).
 */
export function CustomerPanel({ contactId, conversationId, ticketId = null, me }: { contactId: string | null; conversationId: string | null; ticketId?: string | null; me: Me }) {
  if (contactId) return <ContactCard id={contactId} conversationId={conversationId} ticketId={ticketId} me={me} />;
  return conversationId ? <Unidentified conversationId={conversationId} visitor={null} /> : null;
}

/** On a ticket's page: the unidentified visitor's latest conversation on the ticket, to identify them through. */
function useVisitorConversation(ticketId: string | null, contact: Contact | undefined): { pending: boolean; id: string | null } {
  const wanted = ticketId !== null && contact?.anonymous === true;
  const chats = useQuery({ ...queries.conversations({ ticketId: ticketId ?? undefined, contactId: contact?.id }), enabled: wanted });
  if (!wanted) return { pending: false, id: null };
  return { pending: chats.isPending, id: chats.data?.items[0]?.id ?? null };
}

function ContactCard({ id, conversationId: shown, ticketId, me }: { id: string; conversationId: string | null; ticketId: string | null; me: Me }) {
  const { t, lang } = useLang();
  const contact = useQuery(queries.contact(id));
  const [editing, setEditing] = useState(false);
  const visitorChat = useVisitorConversation(shown ? null : ticketId, contact.data);
  if (contact.isPending || visitorChat.pending) return <div className="muted">{t.loading}</div>;
  if (contact.error) return <div className="error">{`${t.error}${errorText(contact.error, lang)}`}</div>;
  const c = contact.data;
  const company = c.company;
  const conversationId = shown ?? visitorChat.id;

  if (c.anonymous && conversationId) {
    return (
      <div className="contact-card" data-contact-id={c.id}>
        <Unidentified conversationId={conversationId} visitor={c} />
        <ContactHistory contactId={c.id} conversationId={shown} me={me} />
      </div>
    );
  }

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
                {i.kind === "visitor_id" ? (
                  // a browser's random id means nothing to an agent: when it first came is what tells it apart
                  <span className="muted" data-field="visitor-identity">
                    {t.customer.visitorIdentity(formatTime(i.createdAt, lang, me.tenant.timeZone))}
                  </span>
                ) : (
                  <>
                    <span className="muted">{t.customer.kinds[i.kind]}</span> {i.displayValue}
                    {i.kind === "phone" ? <CallNumber number={i.value} ticketId={ticketId} /> : null}
                  </>
                )}
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

      <ContactHistory contactId={c.id} conversationId={shown} me={me} />
    </div>
  );
}

/** Their tickets and their other conversations, on every channel. */
function ContactHistory({ contactId, conversationId, me }: { contactId: string; conversationId: string | null; me: Me }) {
  const { t, lang } = useLang();
  const history = useQuery(queries.conversations({ contactId }));
  const tickets = useQuery(queries.contactTickets(contactId));
  const zone = me.tenant.timeZone;
  return (
    <>
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
                  <span className={`channel-badge ${h.channel}`}>{t.channels[h.channel]}</span> {conversationTitle(h, t)}
                </a>{" "}
                <time className="muted">{formatTime(h.startedAt, lang, zone)}</time>
              </li>
            ))}
        </ul>
      </section>
    </>
  );
}

function EditContact({ contact, onDone }: { contact: Contact; onDone: () => void }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const [form, setForm] = useState({ name: contact.name, title: contact.title, isVip: contact.isVip, notes: contact.notes });
  const save = useMutation({
    mutationFn: () => api.contacts.update(contact.id, form),
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
      {save.error ? <div className="error">{errorText(save.error, lang)}</div> : null}
      <button type="submit" className="primary" disabled={save.isPending}>
        {t.customer.save}
      </button>
    </form>
  );
}


type Picked = Pick<Company, "id" | "name">;

/** What the server's refusal means to the agent. */
function linkError(err: Error, t: ReturnType<typeof useLang>["t"], lang: ReturnType<typeof useLang>["lang"]): string {
  if (err instanceof ApiError && err.code === "IDENTITY_TAKEN") return t.customer.identityTaken;
  if (err instanceof ApiError && err.code === "CONTACT_ALREADY_IDENTIFIED") return t.customer.alreadyIdentified;
  return `${t.error}${errorText(err, lang)}`;
}

/**
 * An unidentified web-chat visitor (or a conversation without a customer): identify them as a
 * known customer by phone or verification code, or create their contact. Either links the
 * conversation for good (the server merges the visitor into the customer), so it survives reload.
 */
function Unidentified({ conversationId, visitor }: { conversationId: string; visitor: Contact | null }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const [mode, setMode] = useState<"identify" | "create">("identify");
  const [draft, setDraft] = useState<{ phone: string; company: Picked | null }>({ phone: "", company: visitor?.company ?? null });
  const link = useMutation({
    mutationFn: (body: SetConversationContact) => api.conversations.setContact(conversationId, body),
    onSuccess: (detail) => {
      client.setQueryData(queries.conversation(conversationId).queryKey, detail);
      void client.invalidateQueries({ queryKey: queryKeys.conversations.all });
      void client.invalidateQueries({ queryKey: queryKeys.contacts.all });
      void client.invalidateQueries({ queryKey: queryKeys.tickets.all });
    },
  });
  return (
    <div className="identify unidentified" data-panel="unidentified">
      <div className="panel-head">
        <h3 data-field="contact-name">{t.customer.unknown}</h3>
        {visitor ? <span className="muted">{contactLabel({ name: visitor.name, anonymous: visitor.anonymous }, t)}</span> : null}
      </div>
      <p className="muted hint">{t.customer.anonymousHint}</p>
      {visitor?.company ? (
        <dl className="facts">
          <dt>{t.customer.company}</dt>
          <dd data-field="company">{visitor.company.name}</dd>
        </dl>
      ) : null}
      <div className="side-tabs mode-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === "identify"} data-tab="identify" onClick={() => setMode("identify")}>
          {t.customer.identifyTab}
        </button>
        <button type="button" role="tab" aria-selected={mode === "create"} data-tab="create" onClick={() => setMode("create")}>
          {t.customer.createTab}
        </button>
      </div>
      {mode === "identify" ? (
        <IdentifyVisitor
          visitorId={visitor?.id ?? null}
          linking={link.isPending}
          onLink={(contactId) => link.mutate({ contactId })}
          onCreate={(phone, company) => {
            setDraft({ phone, company: company ?? draft.company });
            setMode("create");
          }}
        />
      ) : (
        <CreateContact key={`${draft.phone}|${draft.company?.id ?? ""}`} initial={draft} saving={link.isPending} onCreate={(create) => link.mutate({ create })} />
      )}
      {link.error ? (
        <div className="error" data-field="link-error">
          {linkError(link.error, t, lang)}
        </div>
      ) : null}
    </div>
  );
}

/** Look them up by phone or by their company's verification code; link the one found. */
function IdentifyVisitor({
  visitorId,
  linking,
  onLink,
  onCreate,
}: {
  visitorId: string | null;
  linking: boolean;
  onLink: (contactId: string) => void;
  onCreate: (phone: string, company: Picked | null) => void;
}) {
  const { t } = useLang();
  const [by, setBy] = useState<"phone" | "verificationCode">("phone");
  const [value, setValue] = useState("");
  const lookup = useMutation({ mutationFn: () => api.identify({ [by]: value.trim() }) });
  const r = lookup.data;
  // the visitor's own contact (a phone they typed into the pre-chat form) is nobody new
  const match = r?.contact && r.contact.id !== visitorId && !r.contact.anonymous ? r.contact : null;
  return (
    <div className="identify-visitor">
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
          <input value={value} onChange={(e) => setValue(e.target.value)} aria-label={by === "phone" ? t.customer.byPhone : t.customer.byCode} data-field="identify-value" />
          <button type="submit" disabled={lookup.isPending} data-action="identify-find">
            {t.customer.find}
          </button>
        </div>
      </form>
      {match ? (
        <div className="match" data-field="match" data-contact-id={match.id}>
          <div>
            <strong>{match.name}</strong> {match.isVip ? <span className="vip-badge">VIP</span> : null}
          </div>
          <div className="muted">
            {match.company ? match.company.name : t.customer.none}
            {match.company?.servicePack ? ` · ${t.customer.packs[match.company.servicePack] ?? match.company.servicePack}` : ""}
            {match.company ? (
              <>
                {" "}
                <span className={`service-status ${match.company.serviceStatus}`}>{t.customer.status[match.company.serviceStatus]}</span>
              </>
            ) : null}
          </div>
          <button type="button" className="primary" disabled={linking} onClick={() => onLink(match.id)} data-action="identify-link">
            {t.customer.linkThis}
          </button>
        </div>
      ) : null}
      {r && !match ? (
        <div className="match none" data-field="no-match">
          <p className="muted">{r.company && !r.contact ? t.customer.codeCompany(r.company.name) : t.customer.notFound}</p>
          <button
            type="button"
            onClick={() => onCreate(by === "phone" ? value.trim() : "", r.company ? { id: r.company.id, name: r.company.name } : null)}
            data-action="create-from-lookup"
          >
            {r.company ? t.customer.createInCompany : t.customer.createTab}
          </button>
        </div>
      ) : null}
      {lookup.error ? <div className="error">{`${t.error}${lookup.error.message}`}</div> : null}
    </div>
  );
}

/** Name required; phone, e-mail and company optional. */
function CreateContact({ initial, saving, onCreate }: { initial: { phone: string; company: Picked | null }; saving: boolean; onCreate: (create: Extract<SetConversationContact, { create: unknown }>["create"]) => void }) {
  const { t } = useLang();
  const [form, setForm] = useState({ name: "", phone: initial.phone, email: "" });
  const [company, setCompany] = useState<Picked | null>(initial.company);
  return (
    <form
      className="edit-contact create-contact"
      onSubmit={(e) => {
        e.preventDefault();
        if (!form.name.trim()) return;
        onCreate({
          name: form.name.trim(),
          ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
          ...(form.email.trim() ? { email: form.email.trim() } : {}),
          companyId: company?.id ?? null,
        });
      }}
    >
      <label>
        {t.customer.name}
        <input value={form.name} required onChange={(e) => setForm({ ...form, name: e.target.value })} data-field="new-name" />
      </label>
      <label>
        {t.customer.phone}
        <input value={form.phone} type="tel" onChange={(e) => setForm({ ...form, phone: e.target.value })} data-field="new-phone" />
      </label>
      <label>
        {t.customer.email}
        <input value={form.email} type="email" onChange={(e) => setForm({ ...form, email: e.target.value })} data-field="new-email" />
      </label>
      <CompanyPicker value={company} onChange={setCompany} />
      <button type="submit" className="primary" disabled={saving || !form.name.trim()} data-action="create-contact">
        {t.customer.createLink}
      </button>
    </form>
  );
}

/** A company by name or verification code, or none. */
function CompanyPicker({ value, onChange }: { value: Picked | null; onChange: (company: Picked | null) => void }) {
  const { t } = useLang();
  const [q, setQ] = useState("");
  const term = q.trim();
  const found = useQuery({
    ...queries.companies(term),
    enabled: term.length > 0,
    staleTime: 10_000,
  });
  return (
    <div className="company-picker">
      <span className="label">{t.customer.companyOptional}</span>
      {value ? (
        <div className="row picked" data-field="picked-company">
          <span>{value.name}</span>
          <button type="button" className="link" onClick={() => onChange(null)}>
            {t.customer.noCompany}
          </button>
        </div>
      ) : (
        <>
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t.customer.companySearch} aria-label={t.customer.companySearch} data-field="company-search" />
          {term && found.data ? (
            <ul className="pick-list">
              {found.data.items.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      onChange({ id: c.id, name: c.name });
                      setQ("");
                    }}
                  >
                    {c.name}
                  </button>
                </li>
              ))}
              {found.data.items.length === 0 ? <li className="muted">{t.customer.notFound}</li> : null}
            </ul>
          ) : null}
        </>
      )}
    </div>
  );
}
