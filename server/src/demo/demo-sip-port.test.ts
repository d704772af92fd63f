import { createSocket } from "node:dgram";
import { describe, expect, it } from "vitest";
import { demoSipPort } from "./demo-sip-port.ts";

const unset = { udp: null, tcp: null };

describe("the demo hotline's SIP port", () => {
  it("is opened on this machine only, when free, and never over the operator's choice", async () => {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const port = socket.address().port;
    // taken (here by another UDP socket): npm start says why and how to choose one
    expect(await demoSipPort("127.0.0.1", unset, port)).toEqual({ port: null, why: expect.stringMatching(new RegExp(`SIP port ${port} is in use.*SIP_UDP_PORT`)) });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    expect(await demoSipPort("127.0.0.1", unset, port)).toEqual({ port });
    expect(await demoSipPort("localhost", unset, port)).toEqual({ port });
    // reachable from other machines, or ports set: nothing is opened for the demo
    expect(await demoSipPort("0.0.0.0", unset, port)).toEqual({ port: null, why: null });
    expect(await demoSipPort("127.0.0.1", { udp: 5070, tcp: null }, port)).toEqual({ port: null, why: null });
  });
});
