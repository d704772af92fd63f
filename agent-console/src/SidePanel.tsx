import { useState } from "react";
import { CustomerPanel } from "./CustomerPanel.tsx";
import { useLang } from "./i18n.tsx";
import { TicketPanel } from "./TicketPanel.tsx";
import type { Me } from "./types.ts";

/** Beside a conversation: the customer (screen pop) and, once there is one, its ticket. */
export function SidePanel({ contactId, conversationId, ticketId, me, ended = false }: { contactId: string | null; conversationId: string; ticketId: string | null; me: Me; ended?: boolean }) {
  const { t } = useLang();
  const [tab, setTab] = useState<"customer" | "ticket">("customer");
  const showing = tab === "ticket" && ticketId ? "ticket" : "customer";
  return (
    <aside className="side-panel" aria-label={t.customer.title}>
      <div className="side-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={showing === "customer"} data-tab="customer" onClick={() => setTab("customer")}>
          {t.customer.title}
        </button>
        <button type="button" role="tab" aria-selected={showing === "ticket"} data-tab="ticket" disabled={!ticketId} onClick={() => setTab("ticket")}>
          {t.ticket.tab}
        </button>
      </div>
      <div className="side-body">
        {showing === "ticket" && ticketId ? <TicketPanel ticketId={ticketId} me={me} conversation={{ id: conversationId, contactId, ended }} /> : <CustomerPanel contactId={contactId} conversationId={conversationId} ticketId={ticketId} me={me} />}
      </div>
    </aside>
  );
}
