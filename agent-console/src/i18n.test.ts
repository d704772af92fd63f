import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { dictionaries } from "./i18n.tsx";

// Untranslated text fails here: both dictionaries have the same keys, the Chinese one has no
// English words and the English one no Chinese (but the names below), and no component writes
// user-facing text outside the dictionaries.

/** Words that stay as they are in both languages: product names, key names, established abbreviations,
 * and the phone's protocol names (SIP, DID, UDP …; "IPv" of IPv4 and IPv6). */
const ASCII_ALLOWED = new Set([
  ...["VIP", "SLA", "Yixian", "Ctrl", "Enter", "Alt", "Esc", "English", "contact", "agent", "ticket", "name", "number", "https", "http", "www", "example", "com", "localhost", "body", "rrggbb"],
  ...["SIP", "DID", "IP", "IPv", "UDP", "TCP", "TLS", "CSV"],
]);
const CJK_ALLOWED = new Set(["中文", "一线"]);

/** Every leaf of a dictionary as [path, text]; functions are called with sample arguments. */
function leaves(node: unknown, path = ""): [string, string][] {
  if (typeof node === "string") return [[path, node]];
  if (typeof node === "function") {
    const args = Array.from({ length: node.length }, (_, i) => (i === 0 ? 1 : "x"));
    return [[path, String((node as (...a: unknown[]) => unknown)(...args))]];
  }
  if (node && typeof node === "object") return Object.entries(node).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [];
}

const zh = leaves(dictionaries["zh-CN"]);
const en = leaves(dictionaries.en);

describe("the console's dictionaries", () => {
  it("have the same keys in both languages", () => {
    expect(zh.map(([p]) => p).sort()).toEqual(en.map(([p]) => p).sort());
  });

  it("have no English words in Chinese", () => {
    const english = zh.flatMap(([path, text]) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ASCII_ALLOWED.has(w)).map((w) => `${path}: ${w}`));
    expect(english).toEqual([]);
  });

  it("have no Chinese in English", () => {
    const chinese = en.flatMap(([path, text]) => (text.match(/[\u3400-\u9fff]+/g) ?? []).filter((w) => !CJK_ALLOWED.has(w)).map((w) => `${path}: ${w}`));
    expect(chinese).toEqual([]);
  });
});

describe("the console's components", () => {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".tsx") && f !== "i18n.tsx");
  /** Text a component may write itself: the brand, key caps, the VIP badge, an example origin. */
  const LITERAL_ALLOWED = new Set(["一线", "Yixian", "VIP", "Alt+N", "Ctrl+Enter", "A", "https://www.example.com"]);
  const USER_FACING_ATTRIBUTES = new Set(["aria-label", "title", "placeholder", "alt", "label"]);

  it("write no user-facing text outside the dictionaries (JSX text and labels go through t)", () => {
    const found: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(`${dir}${file}`, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node): void => {
        let text: string | null = null;
        if (ts.isJsxText(node)) text = node.text.trim();
        else if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer) && USER_FACING_ATTRIBUTES.has(node.name.getText(source))) text = node.initializer.text;
        else if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteral(node.expression) && ts.isJsxElement(node.parent)) text = node.expression.text;
        if (text && /[A-Za-z\u3400-\u9fff]/.test(text) && !LITERAL_ALLOWED.has(text)) {
          found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
