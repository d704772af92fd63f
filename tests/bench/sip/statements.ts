/**
 * `npm run bench:sip` with BENCH_SQL=1: the statements each call of a step cost, by text and by
 * where they came from (the outermost two frames of server/ or telephony/ code on the async stack
 * when the statement was built: the call step that asked). BENCH_SQL_FOCUS=<origin> also breaks
 * that origin down by the three innermost frames. Measuring costs CPU: read it for counts, not times.
 */
import {
  observeStatements,
  type KyselyPlugin,
  type LogEvent,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "../../../server/src/db/statement-observer.ts";

const FRAME = /(?:server\/src|telephony\/src)\/([^:)]+):\d+/;

function tableOf(node: RootOperationNode): string {
  const named = node as { from?: { froms?: { table?: { identifier?: { name?: string } } }[] }; table?: { table?: { identifier?: { name?: string } } }; into?: { table?: { identifier?: { name?: string } } } };
  return named.from?.froms?.[0]?.table?.identifier?.name ?? named.table?.table?.identifier?.name ?? named.into?.table?.identifier?.name ?? "";
}

export interface StatementCounter {
  reset(): void;
  /** The report's lines for `calls` calls. */
  report(calls: number): string[];
}

export function countStatements(focus = process.env.BENCH_SQL_FOCUS ?? null): StatementCounter {
  const byText = new Map<string, { n: number; ms: number }>();
  const byOrigin = new Map<string, number>();
  const add = (key: string) => byOrigin.set(key, (byOrigin.get(key) ?? 0) + 1);
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const frames = (new Error().stack ?? "").split("\n").slice(2).flatMap((line) => FRAME.exec(line)?.[1] ?? []);
      const origin = frames.slice(-2).reverse().join(" > ") || "(elsewhere)";
      add(origin);
      if (focus && origin.startsWith(focus)) add(`  ${frames.slice(0, 3).join(" < ")} :: ${args.node.kind} ${tableOf(args.node)}`);
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
  const log = (e: LogEvent) => {
    const key = e.query.sql.replace(/\s+/g, " ").slice(0, 160);
    const entry = byText.get(key) ?? { n: 0, ms: 0 };
    entry.n++;
    entry.ms += e.queryDurationMillis;
    byText.set(key, entry);
  };
  // deep enough to reach the call step that asked, through the domain's layers
  Error.stackTraceLimit = 80;
  observeStatements({ log, plugin });
  return {
    reset() {
      byText.clear();
      byOrigin.clear();
    },
    report(calls) {
      const texts = [...byText.entries()].sort((a, b) => b[1].n - a[1].n);
      const total = texts.reduce((sum, [, e]) => sum + e.n, 0);
      const per = (n: number) => (n / Math.max(1, calls)).toFixed(2).padStart(7);
      const lines = [`    statements: ${total} in all, ${(total / Math.max(1, calls)).toFixed(1)} a call (BEGIN and COMMIT included)`];
      for (const [text, e] of texts.slice(0, 25)) lines.push(`    ${per(e.n)} ${(e.ms / e.n).toFixed(2).padStart(6)} ms  ${text}`);
      lines.push("    by where they came from (a call's share; BEGIN and COMMIT not included):");
      for (const [origin, n] of [...byOrigin.entries()].sort((a, b) => b[1] - a[1]).slice(0, 60)) lines.push(`    ${per(n)}  ${origin}`);
      return lines;
    },
  };
}
