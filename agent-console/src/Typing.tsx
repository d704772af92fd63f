import type { ConversationTypingEvent } from "@yixian/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { useT } from "./i18n.tsx";
import { useSocket } from "./live.ts";

/** A typing signal that is not renewed is stale after this long (the sender may have gone). */
const STALE_MS = 6_000;
/** The agent's own "typing" is sent at most this often while they keep typing. */
const THROTTLE_MS = 2_500;
/** Quiet this long after the last key, the agent has stopped typing. */
const IDLE_MS = 4_000;

/** "Customer is typing…" (or a colleague) from `conversation:typing` in the conversation's room. */
export function TypingIndicator({ conversationId, meId }: { conversationId: string; meId: string }) {
  const t = useT();
  const socket = useSocket();
  const [who, setWho] = useState<ConversationTypingEvent["by"] | null>(null);
  useEffect(() => {
    if (!socket) return;
    let stale: ReturnType<typeof setTimeout> | undefined;
    const on = (e: ConversationTypingEvent) => {
      if (e.conversationId !== conversationId || (e.by.type === "user" && e.by.userId === meId)) return;
      clearTimeout(stale);
      if (!e.typing) return setWho(null);
      setWho(e.by);
      stale = setTimeout(() => setWho(null), STALE_MS);
    };
    socket.on("conversation:typing", on);
    return () => {
      clearTimeout(stale);
      socket.off("conversation:typing", on);
    };
  }, [socket, conversationId, meId]);
  if (!who) return null;
  return (
    <div className="typing-indicator" role="status" data-field="typing" data-by={who.type}>
      {who.type === "visitor" ? t.typing.customer : t.typing.colleague(who.name)}
    </div>
  );
}

/** Tells the room the agent is typing: at most once per THROTTLE_MS while keys come, and
 * "stopped" after IDLE_MS of quiet, on send, or when the box unmounts. */
export function useTypingSignal(conversationId: string): { typed: () => void; stopped: () => void } {
  const socket = useSocket();
  const state = useRef<{ lastSent: number; idle: ReturnType<typeof setTimeout> | undefined }>({ lastSent: 0, idle: undefined });
  const stopped = useCallback(() => {
    clearTimeout(state.current.idle);
    if (state.current.lastSent === 0) return;
    state.current.lastSent = 0;
    socket?.emit("conversation:typing", { conversationId, typing: false });
  }, [socket, conversationId]);
  const typed = useCallback(() => {
    const now = Date.now();
    if (now - state.current.lastSent >= THROTTLE_MS) {
      state.current.lastSent = now;
      socket?.emit("conversation:typing", { conversationId, typing: true });
    }
    clearTimeout(state.current.idle);
    state.current.idle = setTimeout(stopped, IDLE_MS);
  }, [socket, conversationId, stopped]);
  useEffect(() => stopped, [stopped]);
  return { typed, stopped };
}
