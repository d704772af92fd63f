import type { Role } from "@yixian/contracts";
import type { Config } from "../config.ts";
import type { Db, DatabaseKind, Tx } from "../db/database.ts";
import type { Clock } from "../platform/clock.ts";
import type { Logger } from "../platform/logger.ts";
import type { Outbox } from "./events/outbox.ts";
import type { StoragePort } from "./attachments/storage-port.ts";
import type { OutboundPorts } from "./channels/outbound-port.ts";

/** Everything a use-case may reach, wired once at start-up. */
export interface Deps {
  db: Db;
  dbKind: DatabaseKind;
  /** Short autocommitted statements made inside a transaction (PostgreSQL; null on PGlite): see `Database.autocommit`. */
  autocommit: Db | null;
  config: Config;
  log: Logger;
  clock: Clock;
  outbox: Outbox;
  storage: StoragePort;
  /** The channels' outbound ports (web chat's, and those to come). */
  channels: OutboundPorts;
}

export type Actor =
  | { type: "user"; id: string; role: Role; name: string }
  | { type: "contact"; id: string }
  | { type: "integration"; id: string | null; name: string }
  | { type: "system" };

/** Who is acting, for which tenant, with what. Every use-case takes one. */
export interface Ctx {
  tenantId: string;
  actor: Actor;
  deps: Deps;
  log: Logger;
}

export function actorType(actor: Actor): "user" | "contact" | "integration" | "system" {
  return actor.type;
}

export function actorId(actor: Actor): string | null {
  return actor.type === "system" ? null : actor.id;
}

/**
 * Runs fn in one transaction. Outbox events written inside it are fanned out only after the
 * commit succeeds; a rollback drops them with everything else.
 */
export async function inTransaction<T>(ctx: Pick<Ctx, "deps">, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.deps.outbox.transaction(fn);
}

export function systemCtx(deps: Deps, tenantId: string): Ctx {
  return { tenantId, actor: { type: "system" }, deps, log: deps.log.child({ tenantId }) };
}
