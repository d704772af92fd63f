import { trunkSources, type Deps } from "@yixian/server/domain";
import { addressAllowed } from "../calls/cidr.ts";

/**
 * The addresses trunks take calls from, held in memory for the SIP rate limit (checked on every
 * request, before any database work): a provider's SBC that sends many calls a second is not a
 * scanner. Read at start, when a trunk changes on this node, and every refresh on the others.
 */
export class TrustedSources {
  private sources: string[] = [];
  private readonly known = new Map<string, boolean>();

  constructor(private readonly deps: Deps) {}

  async refresh(): Promise<void> {
    try {
      this.sources = await trunkSources(this.deps);
      this.known.clear();
    } catch (err) {
      this.deps.log.warn({ err }, "sip: reading the trunks' source addresses failed; the last ones stay");
    }
  }

  has(address: string): boolean {
    let answer = this.known.get(address);
    if (answer === undefined) {
      answer = addressAllowed(address, this.sources);
      // bounded: a sweep of many addresses clears the memo rather than growing it
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(address, answer);
    }
    return answer;
  }
}
