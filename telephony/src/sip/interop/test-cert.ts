/** A throwaway self-signed certificate for TLS tests on loopback (the openssl CLI; EC P-256, a day). */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCert {
  /** PEM; self-signed, so it is its own CA too. */
  cert: string;
  key: string;
  /** Where both were written (for env vars naming files). */
  certFile: string;
  keyFile: string;
}

/** A certificate for `names` (IP addresses and DNS names, the first is the CN), in a fresh directory. */
export function selfSignedCert(names: string[] = ["127.0.0.1", "localhost"]): TestCert {
  const dir = mkdtempSync(join(tmpdir(), "sip-tls-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", `/CN=${names[0] ?? "localhost"}`, "-addext", `subjectAltName=${san}`, "-keyout", keyFile, "-out", certFile], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), certFile, keyFile };
}
