import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";

function useVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

/** While the conversation is open and the page visible, tells the server the newest seq the agent
 * has seen (`POST /conversations/:id/read`), once per new seq; the inbox badges follow. */
export function useMarkRead(conversationId: string, lastSeq: number | undefined, enabled: boolean): void {
  const client = useQueryClient();
  const visible = useVisible();
  const sent = useRef(-1);
  useEffect(() => {
    if (!enabled || !visible || lastSeq === undefined || lastSeq <= sent.current) return;
    const seq = lastSeq;
    sent.current = seq;
    void api.conversations.read(conversationId, { seq }).then(
      () => client.invalidateQueries({ queryKey: queryKeys.inbox.all }),
      () => {
        // not recorded: try again on the next change
        if (sent.current === seq) sent.current = -1;
      },
    );
  }, [conversationId, lastSeq, enabled, visible, client]);
}
