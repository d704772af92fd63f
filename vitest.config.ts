import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["server/src/**/*.test.ts", "tests/lint/**/*.test.ts", "contracts/src/**/*.test.ts", "widgets/*/src/**/*.test.ts", "agent-console/src/**/*.test.ts", "telephony/src/**/*.test.ts", "channels/src/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/src/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // each file starts its own server and database; two cores, so two at a time
          maxWorkers: 2,
        },
      },
      {
        test: {
          // the wallboard page in Chromium (needs `npm run build` first: `npm run test:e2e` does it)
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
