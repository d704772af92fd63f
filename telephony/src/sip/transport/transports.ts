/** The transports a stack runs, as one: send to a destination by its transport name. */
import type { Destination, Flow, Transport, TransportName } from "./types.ts";

export class Transports {
  private readonly byName = new Map<TransportName, Transport>();

  constructor(transports: Transport[] = []) {
    for (const transport of transports) this.add(transport);
  }

  add(transport: Transport): void {
    this.byName.set(transport.name, transport);
  }

  get(name: TransportName): Transport {
    const transport = this.byName.get(name);
    if (!transport) throw new Error(`no ${name} transport is running`);
    return transport;
  }

  has(name: TransportName): boolean {
    return this.byName.has(name);
  }

  send(data: Buffer, to: Destination): Promise<Flow> {
    return this.get(to.transport).send(data, to);
  }

  async close(): Promise<void> {
    await Promise.all([...this.byName.values()].map((t) => t.close()));
  }
}
