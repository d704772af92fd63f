import type { KyselyPlugin, LogConfig } from "kysely";

export type { KyselyPlugin, LogEvent, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";

/**
 * What a benchmark may ask of the databases this process opens from now on: Kysely's `log` (each
 * statement's text and time) and a plugin (each statement as it is built, on its caller's async
 * stack). Unset in the product; `npm run bench:sip` with BENCH_SQL=1 counts a call's statements.
 */
export interface StatementObserver {
  log?: LogConfig;
  plugin?: KyselyPlugin;
}

let observer: StatementObserver | null = null;

export function observeStatements(next: StatementObserver | null): void {
  observer = next;
}

/** The Kysely options a new database gets from the observer (none without one). */
export function observerOptions(): { log?: LogConfig; plugins?: KyselyPlugin[] } {
  if (!observer) return {};
  return { ...(observer.log ? { log: observer.log } : {}), ...(observer.plugin ? { plugins: [observer.plugin] } : {}) };
}
