/**
 * What a file may import, checked file by file (docs/decisions/0014-enforced-boundaries.md, 0015-edge.md):
 * - the domain knows no transport: no express, socket.io, cookie, http/, realtime/ or edge/;
 * - the edge (server/src/edge/) knows none either: no express, socket.io, busboy, http/ or realtime/
 *   (it may read a Cookie header; http/ and realtime/ hand it headers and tokens);
 * - adapters (channels/, telephony/) reach the server only through its domain facade
 *   (`@yixian/server/domain`), edge module (`@yixian/server/edge`) and, for routes they add to
 *   the API, the route definition and upload receiver (`@yixian/server/http`), never a deep file.
 * Circles (between files, and between domain folders) need the whole graph: .dependency-cruiser.mjs.
 * tests/lint/boundaries.test.ts runs both on fixture files to prove each rule fires.
 */

const TRANSPORT = ["express", "express/*", "busboy", "socket.io", "socket.io/*", "@socket.io/*", "cookie"];

/** The edge reads headers (a Cookie header included) but never a transport's objects. */
const EDGE_TRANSPORT = TRANSPORT.filter((p) => p !== "cookie");

const DEEP_SERVER = {
  // the package root, any deep path, or a relative path into server/src
  regex: "^@yixian/server(?!/(domain|edge|http)$)(/.*)?$|(^|/)server/src(/|$)",
  message: "an adapter imports only @yixian/contracts, @yixian/server/domain, @yixian/server/edge and @yixian/server/http",
};

export const boundaries = [
  {
    files: ["server/src/domain/**/*.ts"],
    ignores: ["server/src/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: TRANSPORT.filter((p) => !p.includes("*")).map((name) => ({ name, message: "the domain knows no transport: parse and answer in http/, realtime/ or an adapter" })),
          patterns: [
            { group: TRANSPORT.filter((p) => p.includes("*")), message: "the domain knows no transport" },
            { group: ["**/http/**", "**/realtime/**", "**/edge/**", "**/server.ts", "@yixian/server/edge"], message: "the domain is called by http/, realtime/ and the edge, never the other way" },
          ],
        },
      ],
    },
  },
  {
    files: ["server/src/edge/**/*.ts"],
    ignores: ["server/src/edge/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: EDGE_TRANSPORT.filter((p) => !p.includes("*")).map((name) => ({ name, message: "the edge knows no transport: http/ and realtime/ hand it headers and tokens" })),
          patterns: [
            { group: EDGE_TRANSPORT.filter((p) => p.includes("*")), message: "the edge knows no transport" },
            { group: ["**/http/**", "**/realtime/**", "**/server.ts"], message: "the edge is called by http/ and realtime/, never the other way" },
          ],
        },
      ],
    },
  },
  {
    files: ["channels/**/*.ts", "channels/**/*.tsx", "telephony/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [DEEP_SERVER] }],
    },
  },
];
