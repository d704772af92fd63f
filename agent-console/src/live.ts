import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { ClientToServerEvents, OfferEvent, ServerToClientEvents } from "@yixian/contracts";
import { createContext, useContext, useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { throttledInvalidation } from "./invalidate.ts";
import { outbox } from "./outbox.ts";
import { queryKeys } from "./keys.ts";
import { queries } from "./queries.ts";
import { playOfferChime } from "./sound.ts";

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Connection = "connecting" | "live" | "offline";

export const SocketContext = createContext<ConsoleSocket | null>(null);
export const useSocket = () => useContext(SocketContext);

/** Thin events in, cache invalidations out: the REST queries stay the one source of truth. */
function wire(socket: ConsoleSocket, client: QueryClient): void {
  // The event is shown at once; the list is then fetched again, which cancels a fetch still in
  // flight (one started on reconnect, say) that read the offers before this one was committed
  // and would otherwise overwrite it when it returns.
  const offers = queries.myOffers().queryKey;
  const refetchOffers = () => void client.invalidateQueries({ queryKey: offers, exact: true });
  socket.on("offer:new", (offer) => {
    client.setQueryData(offers, (old: OfferEvent[] | undefined) => [...(old ?? []).filter((o) => o.offerId !== offer.offerId), offer]);
    refetchOffers();
    playOfferChime();
  });
  const dropOffer = (e: { offerId: string }) => {
    client.setQueryData(offers, (old: OfferEvent[] | undefined) => (old ?? []).filter((o) => o.offerId !== e.offerId));
    refetchOffers();
  };
  socket.on("offer:withdrawn", dropOffer);
  socket.on("offer:accepted", dropOffer);
  // events come thin and often (every message of the tenant's busy desks): refetch each list at
  // once, then at most twice a second while they keep coming
  const invalidate = throttledInvalidation(client);
  socket.on("presence:changed", () => invalidate(queryKeys.presence.all));
  // an accepted voicemail or call-back is work the agent holds until Done
  socket.on("offer:accepted", () => invalidate(queryKeys.callerWork));
  socket.on("conversation:changed", (e) => {
    invalidate(queryKeys.conversations.all);
    if (e.ticketId) invalidate(queryKeys.tickets.all);
  });
  // a reply's delivery state moved (sent, delivered, read, failed with its reason)
  socket.on("message:delivery", (e) => invalidate(queryKeys.messages.of(e.conversationId)));
  // a new message's one event: its conversation, the lists, its ticket's timeline and the unread
  // counts all moved
  socket.on("message:created", (e) => {
    invalidate(queryKeys.messages.of(e.conversationId));
    invalidate(queryKeys.conversations.all);
    if (e.ticketId) invalidate(queryKeys.tickets.all);
    invalidate(queryKeys.inbox.all);
  });
  socket.on("customer:changed", () => invalidate(queryKeys.contacts.all));
  socket.on("inbox:changed", () => invalidate(queryKeys.inbox.all));
  socket.on("mention:new", () => {
    invalidate(queryKeys.inbox.all);
    invalidate(queryKeys.mentions.all);
  });
  socket.on("ticket:changed", () => invalidate(queryKeys.tickets.all));
  // saved elsewhere, or its registration at the provider moved
  socket.on("trunk:changed", () => invalidate(queryKeys.trunks));
  // a caller hung up waiting (or a repeat call folded in), or an agent claimed or called one back
  // (a call-back's entry and its work move together: claimed = accepted, done = finished)
  socket.on("missed-call:changed", () => {
    invalidate(queryKeys.missedCalls.all);
    invalidate(queryKeys.callerWork);
  });
}

/** One socket for the signed-in console; the session cookie authenticates it. */
export function useConsoleSocket(enabled: boolean): { socket: ConsoleSocket | null; connection: Connection } {
  const client = useQueryClient();
  const [socket, setSocket] = useState<ConsoleSocket | null>(null);
  const [connection, setConnection] = useState<Connection>("connecting");
  useEffect(() => {
    if (!enabled) return;
    const s: ConsoleSocket = io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
    wire(s, client);
    outbox.attach(client);
    s.on("connect", () => {
      setConnection("live");
      // anything missed while disconnected is fetched again, and replies written meanwhile go
      void client.invalidateQueries();
      outbox.resume();
    });
    s.on("disconnect", () => setConnection("offline"));
    s.on("connect_error", () => setConnection("offline"));
    // the browser knows before the socket's heartbeat does: show it, and reconnect when it is back
    const offline = () => {
      s.disconnect();
      setConnection("offline");
    };
    const online = () => {
      if (!s.connected) s.connect();
      outbox.resume();
    };
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    setSocket(s);
    return () => {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      s.close();
      setSocket(null);
      // signed out: what this agent had not sent must not go out as whoever signs in next
      outbox.clear();
    };
  }, [enabled, client]);
  return { socket, connection };
}

/** Whether the console's socket is connected now, following its connects and disconnects. */
export function useConnected(socket: ConsoleSocket | null): boolean {
  const [connected, setConnected] = useState(socket?.connected ?? false);
  useEffect(() => {
    if (!socket) return;
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    setConnected(socket.connected);
    socket.on("connect", up);
    socket.on("disconnect", down);
    return () => {
      socket.off("connect", up);
      socket.off("disconnect", down);
    };
  }, [socket]);
  return connected;
}
