import { useQuery } from "@tanstack/react-query";
import type { SearchHit } from "@yixian/contracts";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { formatTime } from "./format.ts";
import { useLang, type Strings } from "./i18n.tsx";
import { queries } from "./queries.ts";
import { navigate } from "./router.ts";
import { SHORTCUT_EVENTS } from "./Shortcuts.tsx";

/** Where a hit opens: its ticket, its conversation, or its customer. */
function targetOf(hit: SearchHit): string | null {
  switch (hit.type) {
    case "ticket":
      return `/tickets/${hit.id}`;
    case "message":
      return hit.conversationId ? `/conversations/${hit.conversationId}` : hit.ticketId ? `/tickets/${hit.ticketId}` : null;
    case "contact":
      return `/contacts/${hit.id}`;
    case "company":
      return null;
  }
}

/** A ticket hit's snippet is "number · status" with the status as its code: shown in the page's language. */
function snippetOf(hit: SearchHit, t: Strings): string {
  if (hit.type !== "ticket") return hit.snippet;
  const cut = hit.snippet.lastIndexOf(" · ");
  const status = cut < 0 ? undefined : t.ticket.statuses[hit.snippet.slice(cut + 3)];
  return status ? `${hit.snippet.slice(0, cut)} · ${status}` : hit.snippet;
}

/** One box across tickets, customers and messages (the server segments Chinese). `/` focuses it. */
export function Search() {
  const { t, lang } = useLang();
  const me = useQuery(queries.me());
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  useEffect(() => {
    const id = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(id);
  }, [text]);
  useEffect(() => {
    const focus = () => input.current?.focus();
    window.addEventListener(SHORTCUT_EVENTS.focusSearch, focus);
    return () => window.removeEventListener(SHORTCUT_EVENTS.focusSearch, focus);
  }, []);
  const results = useQuery({ ...queries.search(q), enabled: q.length > 0 });
  const hits = results.data?.items ?? [];

  function go(hit: SearchHit | undefined) {
    const target = hit ? targetOf(hit) : null;
    if (!target) return;
    navigate(target);
    setOpen(false);
    input.current?.blur();
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") setActive(Math.min(active + 1, hits.length - 1));
    else if (e.key === "ArrowUp") setActive(Math.max(active - 1, 0));
    else if (e.key === "Enter") go(hits[active]);
    else if (e.key === "Escape") {
      setOpen(false);
      input.current?.blur();
    } else return;
    e.preventDefault();
  }

  return (
    <div className="search" role="search">
      <input
        ref={input}
        type="search"
        name="search"
        placeholder={t.search.placeholder}
        aria-label={t.search.placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      {open && q ? (
        <ul className="search-results" role="listbox">
          {results.isPending ? <li className="muted">{t.loading}</li> : null}
          {results.data && hits.length === 0 ? <li className="muted">{t.search.none}</li> : null}
          {hits.map((hit, i) => (
            <li
              key={`${hit.type}:${hit.id}`}
              role="option"
              aria-selected={i === active}
              className={`hit${targetOf(hit) ? "" : " static"}`}
              data-hit-type={hit.type}
              onMouseDown={(e) => {
                e.preventDefault();
                go(hit);
              }}
            >
              <span className="hit-type">{t.search.types[hit.type]}</span>
              <span className="hit-title">{hit.title}</span>
              <span className="hit-snippet">{snippetOf(hit, t)}</span>
              <time className="muted">{formatTime(hit.at, lang, me.data?.tenant.timeZone ?? "UTC")}</time>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
