import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "./client.ts";
import { useLang } from "./i18n.tsx";
import type { Connection } from "./live.ts";
import { NavLink } from "./NavLink.tsx";
import { useSoftphone } from "./phone/SoftphoneProvider.tsx";
import { queries, signedOut } from "./queries.ts";
import { Search } from "./Search.tsx";
import { SHORTCUT_EVENTS } from "./Shortcuts.tsx";
import type { Me } from "./types.ts";

const AWAY_REASONS = ["lunch", "break", "training", "meeting"] as const;

export function TopBar({ me, connection }: { me: Me; connection: Connection }) {
  const { t, lang, setLang } = useLang();
  const client = useQueryClient();
  const phone = useSoftphone();
  const signOut = useMutation({
    // the softphone un-registers while its session still lets it
    mutationFn: async () => {
      await phone.stop();
      await api.auth.logout();
    },
    onSettled: () => {
      signedOut(client);
    },
  });
  return (
    <header className="topbar">
      <div className="brand">
        一线 <span>Yixian</span>
      </div>
      <PresenceSwitch />
      <Search />
      <div className="spacer" />
      {me.permissions.includes("queue:manage") ? (
        <NavLink href="/supervisor" route="supervisor" nav="supervisor">
          {t.sup.nav}
        </NavLink>
      ) : null}
      {me.permissions.includes("conversation:read") ? (
        <NavLink href="/calls" route="calls" nav="calls">
          {t.calls.nav}
        </NavLink>
      ) : null}
      {me.permissions.includes("tenant:manage") ? (
        <>
          <NavLink href="/settings/widget" route="widgetSettings" nav="widget-settings">
            {t.widget.nav}
          </NavLink>
          <NavLink href="/settings/trunks" route="trunkSettings" nav="trunk-settings">
            {t.trunks.nav}
          </NavLink>
        </>
      ) : null}
      <NavLink href="/settings/phone" route="phone" nav="my-phone">
        {t.device.nav}
      </NavLink>
      <button type="button" className="ghost" aria-label="?" title="?" data-action="shortcuts" onClick={() => window.dispatchEvent(new Event(SHORTCUT_EVENTS.toggleHelp))}>
        ?
      </button>
      <span className="connection" data-connection={connection}>
        {t.connection[connection]}
      </span>
      <button type="button" className="ghost" data-action="switch-lang" onClick={() => setLang(lang === "en" ? "zh-CN" : "en")}>
        {t.switchLang}
      </button>
      <span className="who" title={me.user.email}>
        {me.user.name}
      </span>
      <button type="button" className="ghost" data-action="sign-out" onClick={() => signOut.mutate()}>
        {t.signOut}
      </button>
    </header>
  );
}

/** Available, away with a reason, or offline; busy and wrap-up come from the work held. */
function PresenceSwitch() {
  const { t } = useLang();
  const client = useQueryClient();
  const presence = useQuery(queries.myPresence());
  const [open, setOpen] = useState(false);
  const set = useMutation({
    mutationFn: api.presence.set,
    onSuccess: (data) => {
      client.setQueryData(queries.myPresence().queryKey, data);
      setOpen(false);
    },
  });
  const state = presence.data?.state ?? "offline";
  const reason = presence.data?.reason;
  return (
    <div className="presence">
      <button type="button" className="presence-current" data-presence={state} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className={`dot ${state}`} />
        {t.presence[state]}
        {state === "away" && reason ? ` · ${t.awayReasons[reason] ?? reason}` : ""}
      </button>
      {open ? (
        <div className="menu" role="menu">
          <button type="button" role="menuitem" data-set-presence="available" onClick={() => set.mutate({ state: "available" })}>
            <span className="dot available" />
            {t.presence.available}
          </button>
          <div className="menu-label">{t.awayReason}</div>
          {AWAY_REASONS.map((r) => (
            <button type="button" role="menuitem" key={r} data-set-presence="away" data-reason={r} onClick={() => set.mutate({ state: "away", reason: r })}>
              <span className="dot away" />
              {t.presence.away} · {t.awayReasons[r]}
            </button>
          ))}
          <button type="button" role="menuitem" data-set-presence="offline" onClick={() => set.mutate({ state: "offline" })}>
            <span className="dot offline" />
            {t.presence.offline}
          </button>
        </div>
      ) : null}
    </div>
  );
}
