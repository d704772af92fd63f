import { describe, expect, it } from "vitest";
import { parseOrigins } from "./WidgetSettings.tsx";

describe("allowed origins typed on the widget settings page", () => {
  it("keeps origins and any-port origins, and flags page addresses and wildcards outside the port", () => {
    const typed = ["https://www.example.com/", "http://localhost:*", "HTTP://127.0.0.1:*/", "http://[::1]:*", "https://shop.example.com/cart", "http://*.example.com", "http://localhost:8080:*", "http://localhost:*1"];
    expect(parseOrigins(typed.join("\n"))).toEqual({
      origins: ["https://www.example.com", "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
      invalid: ["https://shop.example.com/cart", "http://*.example.com", "http://localhost:8080:*", "http://localhost:*1"],
    });
  });
});
