/**
 * Whole-graph borders, run by `npm run lint` (docs/decisions/0014-enforced-boundaries.md).
 * Type-only imports count: two files whose types need each other still cannot change apart.
 * What a single file may import is in eslint.boundaries.js.
 */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "files import each other in a circle: move what both need into a file of its own",
      from: { path: "^(server|channels|telephony|contracts|agent-console|widgets|tests)/" },
      to: { circular: true },
    },
    {
      name: "no-domain-folder-loop",
      severity: "error",
      scope: "folder",
      comment: "two domain folders need each other: one of them owns the shared part, or it moves to a third",
      from: { path: "^server/src/domain/[^/]+$" },
      to: { path: "^server/src/domain/[^/]+$", circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/|\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: false,
  },
};
