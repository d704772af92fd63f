import { nulPath } from "@yixian/contracts";
import type { Server, Socket } from "socket.io";

type Ack = (res: { ok: false; error: { code: "VALIDATION_FAILED"; message: string } }) => void;

function refuse(socket: Socket): void {
  socket.use(([event, ...args], next) => {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as Ack) : null;
    const found = nulPath(args, String(event));
    if (!found) return next();
    // dropped before any handler runs: PostgreSQL cannot store NUL in text
    ack?.({ ok: false, error: { code: "VALIDATION_FAILED", message: `${found}: must not contain the NUL character (U+0000)` } });
  });
}

/**
 * Every namespace's sockets (agents', visitors', wallboards'): an event whose payload holds U+0000
 * in a string or key is acked VALIDATION_FAILED, naming the field, and never reaches a handler.
 */
export function refuseNulPackets<S extends Server>(io: S): void {
  io.of("/").on("connection", refuse);
  io.on("new_namespace", (nsp) => nsp.on("connection", refuse));
}
