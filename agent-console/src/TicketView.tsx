import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { CallerWorkList } from "./CallerWork.tsx";
import { CustomerPanel } from "./CustomerPanel.tsx";
import { useLang } from "./i18n.tsx";
import { useSocket } from "./live.ts";
import { queries } from "./queries.ts";
import { TicketPanel } from "./TicketPanel.tsx";
import type { Me } from "./types.ts";

/** A ticket on its own (from search or a customer's history), with its customer beside it. */
export function TicketView({ id, me }: { id: string; me: Me }) {
  const { t } = useLang();
  const socket = useSocket();
  const ticket = useQuery(queries.ticket(id));
  useEffect(() => {
    if (!socket) return;
    const join = () => socket.emit("ticket:subscribe", id, () => undefined);
    if (socket.connected) join();
    socket.on("connect", join);
    return () => {
      socket.off("connect", join);
      if (socket.connected) socket.emit("ticket:unsubscribe", id, () => undefined);
    };
  }, [socket, id]);
  return (
    <>
      <main className="pane ticket-view">
        <div className="scroll">
          <CallerWorkList me={me} ticketId={id} />
          <TicketPanel ticketId={id} me={me} />
        </div>
      </main>
      <aside className="side-panel" aria-label={t.customer.title}>
        <div className="side-body">{ticket.data?.contactId ? <CustomerPanel contactId={ticket.data.contactId} conversationId={null} ticketId={id} me={me} /> : null}</div>
      </aside>
    </>
  );
}
