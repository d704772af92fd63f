import type { WallboardClientEvents, WallboardServerEvents, WallboardSnapshot } from "@yixian/contracts";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";

export type Connection = "connecting" | "live" | "reconnecting" | "offline";
/** Why the page cannot show numbers at all. */
export type Fatal = "linkInvalid" | "signIn" | "forbidden" | null;

export interface WallboardState {
  snapshot: WallboardSnapshot | null;
  /** Server time − browser time, from the latest snapshot: live counters tick on the server's clock. */
  offsetMs: number;
  connection: Connection;
  fatal: Fatal;
  loadFailed: boolean;
}

const NAMESPACE = "/wallboard";
const RETRY_MS = 5000;

function fatalOf(status: number, hasToken: boolean): Fatal {
  if (status === 401) return hasToken ? "linkInvalid" : "signIn";
  if (status === 403) return "forbidden";
  return null;
}

/**
 * The wallboard's data: the snapshot from GET /api/wallboard first, then every
 * `wallboard:update` pushed on the /wallboard socket (a link token, or the session cookie).
 * At the end of each 15-minute interval it asks for a fresh snapshot, so the rates start over.
 */
export function useWallboard(token: string | null): WallboardState {
  const [state, setState] = useState<WallboardState>({ snapshot: null, offsetMs: 0, connection: "connecting", fatal: null, loadFailed: false });
  const socketRef = useRef<Socket<WallboardServerEvents, WallboardClientEvents> | null>(null);

  useEffect(() => {
    let closed = false;
    const accept = (snapshot: WallboardSnapshot) => {
      setState((s) => {
        // two answers can cross on the wire: keep the newer
        if (s.snapshot && Date.parse(snapshot.at) < Date.parse(s.snapshot.at)) return s;
        return { ...s, snapshot, offsetMs: Date.parse(snapshot.at) - Date.now(), loadFailed: false };
      });
    };

    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    const load = async () => {
      try {
        const res = await fetch(`/api/wallboard${token ? `?token=${encodeURIComponent(token)}` : ""}`, { credentials: "same-origin" });
        if (closed) return;
        if (res.ok) {
          accept(((await res.json()) as { data: WallboardSnapshot }).data);
          return;
        }
        const fatal = fatalOf(res.status, token !== null);
        if (fatal) {
          setState((s) => ({ ...s, fatal }));
          return;
        }
      } catch {
        if (closed) return;
      }
      // the server is restarting or unreachable: say so, and try again
      setState((s) => ({ ...s, loadFailed: true }));
      retryTimer = setTimeout(() => void load(), RETRY_MS);
    };
    void load();

    const socket: Socket<WallboardServerEvents, WallboardClientEvents> = io(NAMESPACE, {
      path: "/socket.io",
      transports: ["websocket"],
      auth: token ? { token } : {},
      reconnectionDelayMax: RETRY_MS,
    });
    socketRef.current = socket;
    socket.on("connect", () => setState((s) => ({ ...s, connection: "live" })));
    socket.on("wallboard:update", accept);
    socket.on("connect_error", (err) => {
      if (/expired, was revoked|does not exist/.test(err.message)) setState((s) => ({ ...s, fatal: "linkInvalid", connection: "offline" }));
      else if (/sign in|session/.test(err.message)) setState((s) => ({ ...s, fatal: "signIn", connection: "offline" }));
      else if (/may not/.test(err.message)) setState((s) => ({ ...s, fatal: "forbidden", connection: "offline" }));
      else setState((s) => ({ ...s, connection: "reconnecting" }));
    });
    socket.on("disconnect", (reason) => {
      // the server cuts a page off when its link is revoked or runs out
      if (reason === "io server disconnect") setState((s) => ({ ...s, fatal: token ? "linkInvalid" : "signIn", connection: "offline" }));
      else setState((s) => ({ ...s, connection: "reconnecting" }));
    });
    return () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket.close();
      socketRef.current = null;
    };
  }, [token]);

  // A new interval (and, at midnight, a new day) starts the rates over: ask for a fresh snapshot.
  const intervalEnd = state.snapshot?.intervalEnd ?? null;
  const offsetMs = state.offsetMs;
  useEffect(() => {
    if (intervalEnd === null) return;
    const wait = Math.max(0, Date.parse(intervalEnd) - (Date.now() + offsetMs)) + 250;
    const timer = setTimeout(() => {
      socketRef.current
        ?.emitWithAck("wallboard:refresh")
        .then((res) => {
          if (res.ok) setState((s) => ({ ...s, snapshot: res.snapshot, offsetMs: Date.parse(res.snapshot.at) - Date.now() }));
        })
        .catch(() => setState((s) => ({ ...s, connection: "reconnecting" })));
    }, wait);
    return () => clearTimeout(timer);
  }, [intervalEnd, offsetMs]);

  return state;
}
