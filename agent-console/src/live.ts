import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { ClientToServerEvents, OfferEvent, ServerToClientEvents } from "@yixian/contracts";
import { createContext, useContext, useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { queries } from "./queries.ts";
import { playOfferChime } from "./sound.ts";

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Connection = "connecting" | "live" | "offline";

export const SocketContext = createContext<ConsoleSocket | null>(null);
export const useSocket = () => useContext(SocketContext);

/** Thin events in, cache invalidations out: the REST queries stay the one source of truth. */
function wire(socket: ConsoleSocket, client: QueryClient): void {
  socket.on("offer:new", (offer) => {
    client.setQueryData(queries.myOffers().queryKey, (old: OfferEvent[] | undefined) => [...(old ?? []).filter((o) => o.offerId !== offer.offerId), offer]);
    playOfferChime();
  });
  const dropOffer = (e: { offerId: string }) =>
    client.setQueryData(queries.myOffers().queryKey, (old: OfferEvent[] | undefined) => (old ?? []).filter((o) => o.offerId !== e.offerId));
  socket.on("offer:withdrawn", dropOffer);
  socket.on("offer:accepted", dropOffer);
  socket.on("presence:changed", () => {
    void client.invalidateQueries({ queryKey: ["presence"] });
  });
  socket.on("conversation:changed", (e) => {
    void client.invalidateQueries({ queryKey: ["conversations"] });
    if (e.ticketId) void client.invalidateQueries({ queryKey: ["tickets"] });
  });
  socket.on("message:created", (e) => {
    void client.invalidateQueries({ queryKey: ["messages", e.conversationId] });
    void client.invalidateQueries({ queryKey: ["conversations", "list"] });
  });
  socket.on("customer:changed", () => {
    void client.invalidateQueries({ queryKey: ["contacts"] });
  });
  socket.on("inbox:changed", () => {
    void client.invalidateQueries({ queryKey: ["inbox"] });
  });
  socket.on("mention:new", () => {
    void client.invalidateQueries({ queryKey: ["inbox"] });
    void client.invalidateQueries({ queryKey: ["mentions"] });
  });
  socket.on("ticket:changed", () => {
    void client.invalidateQueries({ queryKey: ["tickets"] });
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
    s.on("connect", () => {
      setConnection("live");
      // anything missed while disconnected is fetched again
      void client.invalidateQueries();
    });
    s.on("disconnect", () => setConnection("offline"));
    s.on("connect_error", () => setConnection("offline"));
    setSocket(s);
    return () => {
      s.close();
      setSocket(null);
    };
  }, [enabled, client]);
  return { socket, connection };
}
