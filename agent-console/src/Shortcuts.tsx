import { useEffect, useState } from "react";
import { useLang } from "./i18n.tsx";

/** Console-wide keys, sent as window events the owning component listens for. */
export const SHORTCUT_EVENTS = {
  focusSearch: "yx:focus-search",
  acceptOffer: "yx:accept-offer",
  toggleNote: "yx:toggle-note",
  focusReply: "yx:focus-reply",
  toggleHelp: "yx:toggle-help",
} as const;

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** Listens for the shortcuts and shows the help overlay on `?`. */
export function Shortcuts() {
  const { t } = useLang();
  const [help, setHelp] = useState(false);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const fire = (name: string) => {
        e.preventDefault();
        window.dispatchEvent(new Event(name));
      };
      if (e.altKey && e.code === "KeyN") return fire(SHORTCUT_EVENTS.toggleNote);
      if (e.key === "Escape") return setHelp(false);
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/") return fire(SHORTCUT_EVENTS.focusSearch);
      if (e.key === "a" || e.key === "A") return fire(SHORTCUT_EVENTS.acceptOffer);
      if (e.key === "r" || e.key === "R") return fire(SHORTCUT_EVENTS.focusReply);
      if (e.key === "?") {
        e.preventDefault();
        setHelp((h) => !h);
      }
    }
    const toggle = () => setHelp((h) => !h);
    window.addEventListener("keydown", onKey);
    window.addEventListener(SHORTCUT_EVENTS.toggleHelp, toggle);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener(SHORTCUT_EVENTS.toggleHelp, toggle);
    };
  }, []);
  if (!help) return null;
  const rows: [string, string][] = [
    ["/", t.keys.search],
    ["A", t.keys.accept],
    ["R", t.keys.reply],
    ["Ctrl / ⌘ + Enter", t.keys.send],
    ["Alt + N", t.keys.note],
    ["?", t.keys.help],
    ["Esc", t.keys.close],
  ];
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={t.keys.title} data-overlay="shortcuts" onClick={() => setHelp(false)}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2>{t.keys.title}</h2>
        <table>
          <tbody>
            {rows.map(([key, what]) => (
              <tr key={key}>
                <td>
                  <kbd>{key}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
