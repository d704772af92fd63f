import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { OutboundLimits } from "@yixian/contracts";
import { useId, useState } from "react";
import { api } from "./client.ts";
import { errorText } from "./error-text.ts";
import { useLang } from "./i18n.tsx";
import { queryKeys } from "./keys.ts";
import { parsePrefixes } from "./outbound-prefixes.ts";
import { queries } from "./queries.ts";

/** The admin's outbound limits: which classes of number agents may call, and prefixes never dialled. */
export function OutboundLimitsForm() {
  const { t, lang } = useLang();
  const limits = useQuery(queries.outboundLimits());
  if (limits.isPending) return <p className="muted">{t.loading}</p>;
  if (limits.error) return <p className="error">{`${t.error}${errorText(limits.error, lang)}`}</p>;
  return <LimitsForm stored={limits.data} />;
}

function LimitsForm({ stored }: { stored: OutboundLimits }) {
  const { t, lang } = useLang();
  const tt = t.outboundLimits;
  const client = useQueryClient();
  const ids = useId();
  const [draft, setDraft] = useState({ ...stored, prefixes: stored.deniedPrefixes.join("\n") });
  const [tried, setTried] = useState(false);
  const parsed = parsePrefixes(draft.prefixes);
  const save = useMutation({
    mutationFn: (body: OutboundLimits) => api.outboundLimits.replace(body),
    onSuccess: (saved) => client.setQueryData(queryKeys.outboundLimits, saved),
  });
  const set = (patch: Partial<typeof draft>) => {
    save.reset();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const badPrefix = tried && parsed.bad !== null;
  return (
    <form
      className="settings-form outbound-limits"
      aria-labelledby={`${ids}-title`}
      data-form="outbound-limits"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (parsed.bad === null) save.mutate({ national: draft.national, mobile: draft.mobile, international: draft.international, deniedPrefixes: parsed.prefixes });
      }}
    >
      <h3 id={`${ids}-title`}>{tt.title}</h3>
      <p className="muted hint">{tt.intro}</p>
      <label className="check">
        <input type="checkbox" name="national" checked={draft.national} onChange={(e) => set({ national: e.target.checked })} />
        {tt.national}
      </label>
      <label className="check">
        <input type="checkbox" name="mobile" checked={draft.mobile} onChange={(e) => set({ mobile: e.target.checked })} />
        {tt.mobile}
      </label>
      <label className="check">
        <input type="checkbox" name="international" checked={draft.international} aria-describedby={draft.international ? `${ids}-warning` : undefined} onChange={(e) => set({ international: e.target.checked })} />
        {tt.international}
      </label>
      {draft.international ? (
        <p className="warning" id={`${ids}-warning`}>
          {tt.internationalWarning}
        </p>
      ) : null}
      <label>
        {tt.deniedPrefixes}
        <textarea
          name="deniedPrefixes"
          rows={3}
          value={draft.prefixes}
          placeholder="+86168"
          aria-invalid={badPrefix}
          aria-describedby={`${ids}-prefixes-hint${badPrefix ? ` ${ids}-prefixes-error` : ""}`}
          onChange={(e) => set({ prefixes: e.target.value })}
        />
      </label>
      <p className="muted hint" id={`${ids}-prefixes-hint`}>
        {tt.deniedHint}
      </p>
      {badPrefix ? (
        <p className="error" id={`${ids}-prefixes-error`} data-error="deniedPrefixes">
          {tt.badPrefix(parsed.bad ?? "")}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending} data-action="save-outbound-limits">
          {tt.save}
        </button>
      </div>
      {save.isSuccess ? (
        <p className="notice" role="status" data-field="outbound-saved">
          {tt.saved}
        </p>
      ) : null}
      {save.error ? (
        <p className="error" role="alert">
          {`${tt.failed}${errorText(save.error, lang)}`}
        </p>
      ) : null}
    </form>
  );
}
