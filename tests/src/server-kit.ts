import { afterAll, afterEach, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

/** Anything a test opens and must close: sockets, mostly. */
export interface Closable {
  close(): unknown;
}

/**
 * One test server for the whole file: started before its first test and handed to `set`,
 * stopped after its last. What a test puts in `closeAfterEach` is closed after that test; what
 * goes in `closeAfterAll` is closed after the last test, before the server stops.
 */
export function serverForFile(
  set: (server: TestServer) => void,
  options: { start?: Parameters<typeof startTestServer>[0]; closeAfterEach?: Closable[]; closeAfterAll?: Closable[] } = {},
): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options.start);
    set(server);
  });
  const perTest = options.closeAfterEach;
  if (perTest) {
    afterEach(() => {
      for (const s of perTest.splice(0)) s.close();
    });
  }
  afterAll(async () => {
    for (const s of options.closeAfterAll ?? []) s.close();
    await server?.stop();
  });
}
