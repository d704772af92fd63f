/**
 * The visitor's token, kept so a returning visitor is recognised: localStorage first; a
 * first-party cookie when storage is blocked (Safari private mode, some in-app browsers).
 */
export interface KeyValueStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  remove(name: string): void;
}

function cookieStore(doc: Document): KeyValueStore {
  return {
    get: (name) => {
      const hit = doc.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
      return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
    },
    set: (name, value) => {
      doc.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=31536000; SameSite=Lax`;
    },
    remove: (name) => {
      doc.cookie = `${name}=; path=/; max-age=0`;
    },
  };
}

/** localStorage if it works here, else cookies. */
export function browserStore(win: Window): KeyValueStore {
  try {
    const probe = "yx_probe";
    win.localStorage.setItem(probe, "1");
    win.localStorage.removeItem(probe);
    const ls = win.localStorage;
    return { get: (n) => ls.getItem(n), set: (n, v) => ls.setItem(n, v), remove: (n) => ls.removeItem(n) };
  } catch {
    return cookieStore(win.document);
  }
}

/** Names are per widget key: two widgets of two tenants on one site keep apart. */
export const storageKeys = (widgetKey: string) => ({
  visitor: `yx_chat_${widgetKey}_visitor`,
  session: `yx_chat_${widgetKey}_session`,
  outbox: `yx_chat_${widgetKey}_outbox`,
});
