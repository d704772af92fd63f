import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Invalidates a query key at once, then at most once per `ms` while events for it keep coming
 * (the last one always lands): a console stays live on a quiet desk and does not refetch its
 * lists a hundred times a second on a busy one.
 */
export function throttledInvalidation(client: Pick<QueryClient, "invalidateQueries">, ms = 500, now: () => number = Date.now) {
  const last = new Map<string, number>();
  const waiting = new Map<string, ReturnType<typeof setTimeout>>();
  const run = (id: string, key: QueryKey) => {
    last.set(id, now());
    void client.invalidateQueries({ queryKey: key });
  };
  return (key: QueryKey): void => {
    const id = JSON.stringify(key);
    if (waiting.has(id)) return;
    const since = now() - (last.get(id) ?? -Infinity);
    if (since >= ms) return run(id, key);
    waiting.set(
      id,
      setTimeout(() => {
        waiting.delete(id);
        run(id, key);
      }, ms - since),
    );
  };
}
