import { describe, expect, it } from "vitest";
import { renderTemplate } from "./render-template.ts";

const values = { "contact.name": "王芳", "agent.name": "李雷", "ticket.number": "YX-20261122-0042" };

describe("renderTemplate", () => {
  it("fills the customer's name, the agent's name and the ticket number", () => {
    expect(renderTemplate("{{contact.name}}您好，我是{{agent.name}}，工单号 {{ ticket.number }}。", values)).toBe("王芳您好，我是李雷，工单号 YX-20261122-0042。");
  });

  it("fills every occurrence", () => {
    expect(renderTemplate("{{agent.name}} / {{agent.name}}", values)).toBe("李雷 / 李雷");
  });

  it("renders a missing value as nothing", () => {
    expect(renderTemplate("Hello {{contact.name}}, ticket {{ticket.number}}", { ...values, "contact.name": null, "ticket.number": null })).toBe("Hello , ticket ");
  });

  it("leaves unknown placeholders and plain braces as written", () => {
    expect(renderTemplate("{{contact.phone}} {x} {{toString.call}}", values)).toBe("{{contact.phone}} {x} {{toString.call}}");
  });
});
