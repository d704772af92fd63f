import { fileURLToPath } from "node:url";
import { cruise, type IForbiddenRuleType } from "dependency-cruiser";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The rules `npm run lint:graph` uses (a variable path: the config is plain JavaScript). */
const graphConfig = `${root}.dependency-cruiser.mjs`;
const graphRules = ((await import(graphConfig)) as { default: { forbidden: IForbiddenRuleType[] } }).default;

/** The project's ESLint config, checking only the import borders (no type information needed). */
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports",
});

async function importErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as m from "${specifier}";\nexport const used = m;\n`, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? "parse"}: ${m.message}`);
}

// the first lint of a run loads the parser and config: slow on a busy machine
describe("import borders (npm run lint)", { timeout: 60_000 }, () => {
  it.each([
    ["express"],
    ["socket.io"],
    ["cookie"],
    ["../../http/errors.ts"],
    ["../../realtime/socket-server.ts"],
    ["../../edge/index.ts"],
    ["@yixian/server/edge"],
  ])("the domain may not import %s", async (specifier) => {
    const errors = await importErrors("server/src/domain/tickets/fixture.ts", specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-restricted-imports: .*the domain/);
  });

  it.each([["../shared/audit.ts"], ["../../db/database.ts"], ["@yixian/contracts"], ["kysely"]])("the domain may import %s", async (specifier) => {
    expect(await importErrors("server/src/domain/tickets/fixture.ts", specifier)).toEqual([]);
  });

  it.each([["express"], ["socket.io"], ["busboy"], ["../http/errors.ts"], ["../realtime/socket-server.ts"], ["../server.ts"]])("the edge may not import %s", async (specifier) => {
    const errors = await importErrors("server/src/edge/fixture.ts", specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-restricted-imports: .*the edge/);
  });

  it.each([["../domain/errors.ts"], ["../domain/index.ts"], ["../db/errors.ts"], ["../platform/logger.ts"], ["@yixian/contracts"], ["cookie"]])("the edge may import %s", async (specifier) => {
    expect(await importErrors("server/src/edge/fixture.ts", specifier)).toEqual([]);
  });

  it.each([
    ["channels/src/email/fixture.ts", "@yixian/server"],
    ["channels/src/email/fixture.ts", "@yixian/server/src/domain/tickets/create-ticket.ts"],
    ["channels/src/email/fixture.ts", "../../../server/src/domain/tickets/create-ticket.ts"],
    ["channels/src/webchat/fixture.ts", "@yixian/server/src/http/route.ts"],
    ["telephony/src/sip/fixture.ts", "../../../server/src/db/database.ts"],
  ])("an adapter (%s) may not import %s", async (file, specifier) => {
    const errors = await importErrors(file, specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-restricted-imports: .*an adapter imports only/);
  });

  it.each([["@yixian/contracts"], ["@yixian/server/domain"], ["@yixian/server/edge"], ["@yixian/server/http"]])("an adapter may import %s", async (specifier) => {
    expect(await importErrors("channels/src/webchat/fixture.ts", specifier)).toEqual([]);
    expect(await importErrors("telephony/src/calls/fixture.ts", specifier)).toEqual([]);
  });
});

describe("import graph (npm run lint:graph)", { timeout: 60_000 }, () => {
  it("finds a circle of type-only imports and a loop between two domain folders", async () => {
    const result = await cruise(["server"], {
      baseDir: fileURLToPath(new URL("__fixtures__/graph", import.meta.url)),
      validate: true,
      ruleSet: { forbidden: graphRules.forbidden },
      tsPreCompilationDeps: true,
    });
    if (typeof result.output === "string") throw new Error("expected a cruise result");
    const found = result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual([
      "no-circular: server/src/domain/gamma/x.ts → server/src/domain/gamma/y.ts",
      "no-domain-folder-loop: server/src/domain/alpha → server/src/domain/beta",
      "no-domain-folder-loop: server/src/domain/beta → server/src/domain/alpha",
    ]);
  });
});
