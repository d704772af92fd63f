/** Request-Line and Status-Line (RFC 3261 §7.1, §7.2): exactly one SP between the parts. */
import { fail } from "./errors.ts";
import { clip, isToken } from "./grammar.ts";
import { parseUri, type Uri } from "./uri.ts";

export type StartLine =
  | { kind: "request"; method: string; uri: Uri }
  | { kind: "response"; status: number; reason: string };

const VERSION = /^SIP\/(\d+)\.(\d+)$/i;

function checkVersion(text: string): void {
  const m = VERSION.exec(text);
  if (!m) fail("START_LINE", `bad SIP version: ${clip(text)}`);
  if (m[1] !== "2" || m[2] !== "0") fail("VERSION", `unsupported SIP version ${clip(text)}`);
}

export function parseStartLine(line: string): StartLine {
  if (/^SIP\//i.test(line)) {
    // SIP/2.0 SP 3DIGIT SP reason; a missing final SP is tolerated (RFC 4475 noreason)
    const m = /^(\S+) (\d+)(?: (.*))?$/.exec(line);
    if (!m) return fail("START_LINE", `bad status line: ${clip(line)}`);
    checkVersion(m[1] ?? "");
    const code = m[2] ?? "";
    if (code.length !== 3 || code < "100" || code > "699") fail("STATUS_CODE", `bad status code: ${clip(code)}`);
    const reason = m[3] ?? "";
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(reason)) fail("START_LINE", "control character in reason phrase");
    return { kind: "response", status: Number(code), reason };
  }
  const parts = line.split(" ");
  if (parts.length !== 3) fail("START_LINE", `request line needs 3 parts separated by single spaces: ${clip(line)}`);
  const [method = "", target = "", version = ""] = parts;
  if (!isToken(method)) fail("START_LINE", `bad method: ${clip(method)}`);
  checkVersion(version);
  let uri: Uri;
  try {
    uri = parseUri(target);
  } catch {
    return fail("REQUEST_URI", `bad Request-URI: ${clip(target)}`);
  }
  if (uri.kind === "sip" && uri.headers.size > 0) fail("REQUEST_URI", "Request-URI may not carry headers");
  return { kind: "request", method, uri };
}
