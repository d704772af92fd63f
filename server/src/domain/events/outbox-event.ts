import type { ServerEventName, ServerEventPayload } from "@yixian/contracts";

/** One event a transaction records: who it is for (rooms), what happened (event, payload). */
export interface OutboxEvent<E extends ServerEventName = ServerEventName> {
  tenantId: string;
  event: E;
  rooms: string[];
  payload: ServerEventPayload<E>;
}

/** An event and the id of its outbox row. */
export interface WrittenEvent {
  event: OutboxEvent;
  id: number;
}
