/** Where registrations live (RFC 3261 §10.3): a port, so the device feature can keep them in the database. */
import type { Flow } from "../transport/types.ts";

export interface Binding {
  /** The address-of-record, canonical: `sip:user@domain`. */
  aor: string;
  /** The Contact URI as registered. */
  contact: string;
  expiresAt: number;
  callId: string;
  cseq: number;
  q?: number;
  /** How the device reached us; over TCP and WebSocket the only way back to it. */
  flow?: Flow;
  /** Which of the user's credentials registered it (the credential store's label), when known. */
  credential?: string;
  /** The device's User-Agent header. */
  userAgent?: string;
}

export interface RegistrarStore {
  /** Unexpired bindings of an AOR. */
  list(aor: string): Promise<Binding[]>;
  /** Adds or replaces the binding of (aor, contact). */
  put(binding: Binding): Promise<void>;
  remove(aor: string, contact: string): Promise<void>;
  removeAll(aor: string): Promise<void>;
}

/** Bindings in memory, dropped when they expire. */
export class MemoryRegistrarStore implements RegistrarStore {
  private readonly byAor = new Map<string, Map<string, Binding>>();

  constructor(private readonly now: () => number = Date.now) {}

  async list(aor: string): Promise<Binding[]> {
    const bindings = this.byAor.get(aor);
    if (!bindings) return [];
    const now = this.now();
    for (const [contact, binding] of bindings) if (binding.expiresAt <= now) bindings.delete(contact);
    if (bindings.size === 0) this.byAor.delete(aor);
    return [...bindings.values()];
  }

  async put(binding: Binding): Promise<void> {
    let bindings = this.byAor.get(binding.aor);
    if (!bindings) this.byAor.set(binding.aor, (bindings = new Map()));
    bindings.set(binding.contact, binding);
  }

  async remove(aor: string, contact: string): Promise<void> {
    this.byAor.get(aor)?.delete(contact);
  }

  async removeAll(aor: string): Promise<void> {
    this.byAor.delete(aor);
  }
}
