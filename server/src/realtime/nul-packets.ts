import { nulPath, type AckFailure } from "@yixian/contracts";
import type { Server, Socket } from "socket.io";
import { ackFailure } from "../edge/index.ts";

type Ack = (res: AckFailure) => void;

function refuse(socket: Socket): void {
  socket.use(([event, ...args], next) => {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as Ack) : null;
    const found = nulPath(args, String(event));
    if (!found) return next();
    // dropped before any handler runs: PostgreSQL cannot store NUL in text
    ack?.(ackFailure("VALIDATION_FAILED", `${found}: must not contain the NUL character (U+0000)`));
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
