import { once } from "node:events";
import type { RunningServer } from "@yixian/server";
import { WebSocket } from "ws";
import { digestHa1, digestResponse, getHeaders, parseAuthHeader, parseMessage, type SipMessage, type SipResponse } from "../../telephony/src/sip/index.ts";

/** What the console receives from GET /api/me/softphone. */
export interface SoftphoneCreds {
  username: string;
  password: string;
  realm: string;
  uri: string;
}

/**
 * A softphone registering over SIP/WebSocket on the server's own /sip, written out as JsSIP
 * sends it: REGISTER → 401 with a digest challenge → REGISTER with the session's password → 200.
 */
export async function softphone(server: Pick<RunningServer, "url">) {
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/sip`, "sip");
  await once(socket, "open");
  const inbox: SipMessage[] = [];
  let wake: (() => void) | null = null;
  socket.on("message", (data: Buffer) => {
    inbox.push(parseMessage(data, { datagram: true }));
    wake?.();
  });
  let cseq = 0;
  const callId = `reg-${Math.random().toString(36).slice(2)}`;
  async function response(): Promise<SipResponse> {
    while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return inbox.shift() as SipResponse;
  }
  async function register(creds: SoftphoneCreds, options: { expires?: number; password?: string; challenge?: SipResponse } = {}): Promise<SipResponse> {
    cseq += 1;
    const requestUri = `sip:${creds.realm}`;
    const headers = [
      `REGISTER ${requestUri} SIP/2.0`,
      `Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK${Math.random().toString(36).slice(2)};rport`,
      "Max-Forwards: 69",
      `To: <${creds.uri}>`,
      `From: <${creds.uri}>;tag=${callId}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:x7k2@df7jal23ls0d.invalid;transport=ws>;expires=${options.expires ?? 600}`,
      "User-Agent: JsSIP 3.10.1",
    ];
    if (options.challenge) {
      const challenge = getHeaders(options.challenge, "WWW-Authenticate").map((v) => parseAuthHeader(v)!).find((c) => (c.params.get("algorithm") ?? "MD5") === "MD5")!;
      const nonce = challenge.params.get("nonce")!;
      const ha1 = digestHa1("MD5", creds.username, creds.realm, options.password ?? creds.password);
      const response = digestResponse({ algorithm: "MD5", ha1, method: "REGISTER", uri: requestUri, nonce, qop: { nc: "00000001", cnonce: "abc123" } });
      headers.push(`Authorization: Digest username="${creds.username}", realm="${creds.realm}", nonce="${nonce}", uri="${requestUri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="abc123"`);
    }
    socket.send([...headers, "Content-Length: 0", "", ""].join("\r\n"));
    return response();
  }
  /** REGISTER, answer the challenge, return the final answer. */
  async function signIn(creds: SoftphoneCreds, options: { expires?: number; password?: string } = {}): Promise<SipResponse> {
    const first = await register(creds, options);
    if (first.status !== 401) return first;
    return register(creds, { ...options, challenge: first });
  }
  return { signIn, register, close: () => socket.close() };
}
