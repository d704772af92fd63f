/** Open connections of a connection transport (TCP, WebSocket), by id and by remote address. */
import type { HostPort } from "./types.ts";

export interface Connection {
  id: string;
  remote: HostPort;
  local: HostPort;
  write(data: Buffer): void;
  close(): void;
}

export class Connections<C extends Connection = Connection> {
  private readonly byId = new Map<string, C>();
  private readonly byRemote = new Map<string, C>();
  private next = 0;

  constructor(private readonly prefix: string) {}

  newId(): string {
    this.next += 1;
    return `${this.prefix}${this.next}`;
  }

  add(connection: C): void {
    this.byId.set(connection.id, connection);
    this.byRemote.set(key(connection.remote), connection);
  }

  remove(connection: C): void {
    this.byId.delete(connection.id);
    if (this.byRemote.get(key(connection.remote)) === connection) this.byRemote.delete(key(connection.remote));
  }

  /** The named connection if it is open, else any open one to the same address and port. */
  find(to: HostPort & { connectionId?: string }): C | undefined {
    return (to.connectionId === undefined ? undefined : this.byId.get(to.connectionId)) ?? this.byRemote.get(key(to));
  }

  closeAll(): void {
    for (const connection of this.byId.values()) connection.close();
    this.byId.clear();
    this.byRemote.clear();
  }

  get size(): number {
    return this.byId.size;
  }
}

function key(remote: HostPort): string {
  return `${remote.address}|${remote.port}`;
}
