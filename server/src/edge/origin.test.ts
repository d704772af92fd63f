import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors.ts";
import { checkSignInOrigin, checkWidgetOrigin, cookieMayOpenSocket, fromOwnOrigin, isOwnOrigin, ownOrigins } from "./origin.ts";

describe("own-origin check (CSRF)", () => {
  const host = "desk.example.com:3000";
  it("accepts the Host it was sent to, over http or https, and PUBLIC_URL's origin", () => {
    expect(fromOwnOrigin({ host, origin: "http://desk.example.com:3000" }, null)).toBe(true);
    expect(fromOwnOrigin({ host, origin: "https://desk.example.com:3000" }, null)).toBe(true);
    expect(fromOwnOrigin({ host: "10.0.0.5:3000", origin: "https://yixian.example.com" }, "https://yixian.example.com/")).toBe(true);
  });

  it("falls back to the Referer's origin only when there is no Origin", () => {
    expect(fromOwnOrigin({ host, referer: "http://desk.example.com:3000/tickets/1" }, null)).toBe(true);
    expect(fromOwnOrigin({ host, origin: "https://evil.example", referer: "http://desk.example.com:3000/" }, null)).toBe(false);
  });

  it("refuses other sites, look-alikes, Origin: null and requests that say nothing", () => {
    expect(fromOwnOrigin({ host, origin: "https://evil.example" }, null)).toBe(false);
    expect(fromOwnOrigin({ host, origin: "http://desk.example.com:3000.evil.example" }, null)).toBe(false);
    expect(fromOwnOrigin({ host, origin: "null" }, null)).toBe(false);
    expect(fromOwnOrigin({ host }, null)).toBe(false);
    expect(fromOwnOrigin({ host, referer: "not a url" }, null)).toBe(false);
  });
});

describe("the session cookie on a socket", () => {
  const host = "desk.example.com:3000";
  it("counts from the console's own origin, or from a client that names no origin", () => {
    expect(cookieMayOpenSocket({ host, origin: "http://desk.example.com:3000" }, null)).toBe(true);
    expect(cookieMayOpenSocket({ host }, null)).toBe(true);
  });

  it("does not count from another site's page", () => {
    expect(cookieMayOpenSocket({ host, origin: "https://evil.example" }, null)).toBe(false);
    expect(cookieMayOpenSocket({ host, origin: "null" }, null)).toBe(false);
  });
});

describe("the widget's allowed origins", () => {
  const host = "desk.example.com";
  const widget = { allowed_origins: ["https://Shop.example"] };
  it("allows its sites (case aside), the server's own origins and callers that name none", () => {
    for (const origin of ["https://shop.example", "https://SHOP.example", "http://desk.example.com", "https://desk.example.com", "https://yixian.example", undefined]) {
      expect(() => checkWidgetOrigin(widget, { host, origin }, "https://yixian.example/"), String(origin)).not.toThrow();
    }
  });

  it("refuses any other site with FORBIDDEN, naming it", () => {
    expect(() => checkWidgetOrigin(widget, { host, origin: "https://shop.example.evil.example" }, null)).toThrow(
      new DomainError("FORBIDDEN", "this widget may not be used from https://shop.example.evil.example"),
    );
    expect(() => checkWidgetOrigin(widget, { host, origin: "http://shop.example" }, null)).toThrow(DomainError);
  });

  it("knows the server's own origins from the Host and PUBLIC_URL", () => {
    expect(ownOrigins("Desk.example.com:3000", "https://yixian.example/app")).toEqual(["http://desk.example.com:3000", "https://desk.example.com:3000", "https://yixian.example"]);
    expect(isOwnOrigin("HTTPS://YIXIAN.example", undefined, "https://yixian.example")).toBe(true);
    expect(isOwnOrigin("https://yixian.example", undefined, null)).toBe(false);
  });
});

describe("sign-in origin (login CSRF)", () => {
  const host = "desk.example.com:3000";
  const code = (f: () => void) => {
    try {
      f();
      return "ok";
    } catch (err) {
      return err instanceof DomainError ? err.code : "thrown";
    }
  };
  it("takes the console's own page and clients that name no origin; refuses another site, by Origin or Referer, and Origin: null", () => {
    expect(code(() => checkSignInOrigin({ host, origin: "http://desk.example.com:3000" }, null))).toBe("ok");
    expect(code(() => checkSignInOrigin({ host, referer: "http://desk.example.com:3000/login" }, null))).toBe("ok");
    expect(code(() => checkSignInOrigin({ host }, null))).toBe("ok");
    expect(code(() => checkSignInOrigin({ host, origin: "https://evil.example" }, null))).toBe("CSRF_REJECTED");
    expect(code(() => checkSignInOrigin({ host, referer: "https://evil.example/form.html" }, null))).toBe("CSRF_REJECTED");
    expect(code(() => checkSignInOrigin({ host, origin: "null" }, null))).toBe("CSRF_REJECTED");
  });
});
