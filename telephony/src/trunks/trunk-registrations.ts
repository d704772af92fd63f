import { randomUUID } from "node:crypto";
import { holdTrunkRegistration, recordTrunkRegistration, trunksToRegister, type Deps, type OutboxSubscriber, type TrunkToRegister } from "@yixian/server/domain";
import type { UserAgent } from "../sip/index.ts";
import { ProviderRegistration, type RegistrationReport } from "./provider-registration.ts";

const STOP_WAIT_MS = 3_000;

export interface TrunkRegistrationsOptions {
  /** This node's id; without one a holder id of this process. */
  nodeId: string | null;
  /** How often the trunks to register are read and the leases renewed (default NODE_HEARTBEAT_MS). */
  reconcileMs?: number;
  /** A lease not renewed for this long is taken by another node (default NODE_TIMEOUT_MS). */
  leaseMs?: number;
  /** First wait after a failed REGISTER, doubled up to 5 minutes. */
  backoffMs?: number;
}

/**
 * Registers the trunks that ask for it at their providers, one node of the cluster per trunk
 * (a lease per trunk in the database, renewed while the node lives). A trunk saved with other
 * settings is registered again; one deleted, disabled or no longer registering is removed at the
 * provider (Expires: 0); a node that stops removes its registrations and gives up its leases so
 * another node takes them. Where each stands is written for the console's trunks page.
 */
export class TrunkRegistrations {
  private readonly running = new Map<string, { registration: ProviderRegistration; trunk: TrunkToRegister }>();
  /** Bindings being removed at providers, by trunk: a new registration of the trunk starts after. */
  private readonly removing = new Map<string, Promise<void>>();
  private readonly holder: string;
  private readonly log: Deps["log"];
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    private readonly ua: UserAgent,
    private readonly options: TrunkRegistrationsOptions,
  ) {
    this.holder = options.nodeId ?? randomUUID();
    this.log = deps.log.child({ component: "trunk-registrations" });
  }

  start(): Promise<void> {
    this.timer = setInterval(() => void this.reconcile(), this.options.reconcileMs ?? this.deps.config.nodeHeartbeatMs);
    this.timer.unref();
    return this.reconcile();
  }

  /** A trunk changed on some node: look again now. */
  readonly subscriber: OutboxSubscriber = {
    name: "trunk registrations",
    handle: async ({ event }) => {
      if (event === "trunk:changed") void this.reconcile();
    },
  };

  /** Reads the trunks to register and brings the registrations this node holds in line; one pass at a time. */
  reconcile(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      do {
        this.again = false;
        await this.once().catch((err: unknown) => this.log.warn({ err }, "sip: bringing trunk registrations in line failed"));
      } while (this.again && !this.stopped);
      this.pass = null;
    })();
    return this.pass;
  }

  private async once(): Promise<void> {
    const wanted = await trunksToRegister(this.deps);
    const ids = new Set(wanted.map((t) => t.id));
    for (const [id, { registration, trunk }] of this.running) {
      if (ids.has(id)) continue;
      this.running.delete(id);
      // not awaited: a provider that does not answer must not hold up the other trunks
      this.remove(id, registration.stop(true).then(() => this.write(trunk, { state: "off", release: true })));
    }
    for (const trunk of wanted) {
      if (this.stopped) return;
      const current = this.running.get(trunk.id);
      if (!(await holdTrunkRegistration(this.deps, trunk.id, this.holder, this.options.leaseMs ?? this.deps.config.nodeTimeoutMs))) {
        // another node holds it (it took over while this one stalled): stop without touching the binding
        if (current) {
          this.running.delete(trunk.id);
          await current.registration.stop(false);
        }
        continue;
      }
      if (current?.trunk.version === trunk.version) continue;
      if (current) {
        this.running.delete(trunk.id);
        // the same account: the new REGISTER replaces the binding; another one: the old is removed
        const moved = current.trunk.registrar !== trunk.registrar || current.trunk.username !== trunk.username;
        this.remove(trunk.id, current.registration.stop(moved));
      }
      this.begin(trunk);
    }
  }

  private begin(trunk: TrunkToRegister): void {
    const log = this.log.child({ tenantId: trunk.tenantId, trunkId: trunk.id });
    const registration = new ProviderRegistration(this.ua, trunk, {
      ...(this.options.backoffMs !== undefined ? { backoffMs: this.options.backoffMs } : {}),
      onReport: (report: RegistrationReport) => {
        if (report.state === "failing") log.warn({ registrar: trunk.registrar, reason: report.reason, retryInMs: report.retryInMs }, "sip: registering a trunk at its provider failed");
        void this.write(trunk, report.state === "registered" ? { state: "registered", expiresAt: report.expiresAt } : { state: "failing", reason: report.reason });
      },
    });
    this.running.set(trunk.id, { registration, trunk });
    const removal = this.removing.get(trunk.id);
    if (!removal) registration.start();
    // an unREGISTER still on its way must not land after this registration
    else void removal.then(() => this.running.get(trunk.id)?.registration === registration && registration.start());
  }

  private remove(trunkId: string, removal: Promise<void>): void {
    const done = removal.finally(() => {
      if (this.removing.get(trunkId) === done) this.removing.delete(trunkId);
    });
    this.removing.set(trunkId, done);
  }

  private async write(trunk: TrunkToRegister, status: Parameters<typeof recordTrunkRegistration>[3]): Promise<void> {
    await recordTrunkRegistration(this.deps, trunk, this.holder, status).catch((err: unknown) => this.log.warn({ err, trunkId: trunk.id }, "sip: writing a trunk's registration state failed"));
  }

  /**
   * The node stops: every registration is removed at its provider and its lease given up, waiting
   * at most `STOP_WAIT_MS` for providers to answer (a lease not given up runs out by itself).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.pass;
    const all = [...this.running.values()];
    this.running.clear();
    const removed = Promise.all([
      ...this.removing.values(),
      ...all.map(async ({ registration, trunk }) => {
        await registration.stop(true);
        await this.write(trunk, { state: "off", release: true });
      }),
    ]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([removed, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }
}
