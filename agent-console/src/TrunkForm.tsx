import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Trunk } from "@yixian/contracts";
import { useId, useRef, useState, type ReactNode } from "react";
import { Choice } from "./Choice.tsx";
import { api } from "./client.ts";
import { errorText } from "./error-text.ts";
import { useLang } from "./i18n.tsx";
import { queryKeys } from "./keys.ts";
import { queries } from "./queries.ts";
import { draftOf, drops, emptyDid, problems, storedSecrets, toInput, TRANSPORTS, type DidDraft, type TrunkDraft } from "./trunk-draft.ts";

/**
 * Adds a SIP trunk or replaces one (`trunk`). Every input is labelled; what is wrong shows under
 * the input once the admin tries to save, and the first wrong input gets the focus. Passwords are
 * write-only: editing a trunk with digest or registration says that the password must be given
 * again, and that saving without it removes that section.
 */
export function TrunkForm({ trunk, onDone }: { trunk: Trunk | null; onDone: (saved: Trunk | null) => void }) {
  const { t, lang } = useLang();
  const tt = t.trunks;
  const client = useQueryClient();
  const queues = useQuery(queries.queues());
  const [draft, setDraft] = useState<TrunkDraft>(() => draftOf(trunk));
  const [tried, setTried] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const ids = useId();
  const stored = storedSecrets(trunk);
  const removing = drops(draft, stored);
  const found = problems(draft, stored, tt.errors);
  const shown = tried ? found : {};
  const save = useMutation({
    mutationFn: () => (trunk ? api.trunks.replace(trunk.id, toInput(draft)) : api.trunks.create(toInput(draft))),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: queryKeys.trunks });
      onDone(saved);
    },
  });
  const queueOptions = (queues.data ?? []).map((q) => ({ value: q.id, text: q.name }));
  const set = (patch: Partial<TrunkDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setDid = (i: number, patch: Partial<DidDraft>) => setDraft((d) => ({ ...d, dids: d.dids.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));

  /** The props that tie an input to its hint and its error. */
  const field = (name: string, hint = false) => ({
    name,
    "aria-invalid": Boolean(shown[name]),
    "aria-describedby": [hint ? `${ids}-${name}-hint` : "", shown[name] ? `${ids}-${name}-error` : ""].filter(Boolean).join(" ") || undefined,
  });
  const error = (name: string) =>
    shown[name] ? (
      <p className="error" id={`${ids}-${name}-error`} data-error={name}>
        {shown[name]}
      </p>
    ) : null;
  const hint = (name: string, text: ReactNode) => (
    <p className="muted hint" id={`${ids}-${name}-hint`}>
      {text}
    </p>
  );

  return (
    <form
      ref={form}
      className="trunk-form settings-form"
      aria-labelledby={`${ids}-title`}
      data-trunk-form={trunk?.id ?? "new"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(found).length === 0) save.mutate();
        // after React shows the errors, the first wrong input takes the focus
        else requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      }}
    >
      <h3 id={`${ids}-title`}>{trunk ? tt.editTitle(trunk.name) : tt.newTitle}</h3>

      <section>
        <h4>{tt.general}</h4>
        <label>
          {tt.name}
          <input {...field("name")} value={draft.name} maxLength={100} required onChange={(e) => set({ name: e.target.value })} />
        </label>
        {error("name")}
        <label className="check">
          <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          {tt.enabled}
        </label>
        <label>
          {tt.hosts}
          <textarea {...field("hosts", true)} rows={2} value={draft.hosts} placeholder="198.51.100.10:5060" onChange={(e) => set({ hosts: e.target.value })} />
        </label>
        {hint("hosts", tt.hostsHint)}
        {error("hosts")}
        <Choice label={tt.transport} name="transport" value={draft.transport} options={TRANSPORTS.map((x) => ({ value: x, text: tt.transports[x] }))} onChange={(transport) => set({ transport: transport || draft.transport })} />
        {draft.transport === "tls" && <p className="muted hint">{tt.tlsHint}</p>}
        <label>
          {tt.callerIdField}
          <input {...field("callerId")} value={draft.callerId} inputMode="tel" placeholder="+864001234567" onChange={(e) => set({ callerId: e.target.value })} />
        </label>
        {error("callerId")}
      </section>

      <section>
        <h4>{tt.inbound}</h4>
        <p className="muted">{tt.inboundHint}</p>
        <label>
          {tt.sources}
          <textarea {...field("sources", true)} rows={3} value={draft.sources} placeholder="203.0.113.0/28" onChange={(e) => set({ sources: e.target.value })} />
        </label>
        {hint("sources", tt.sourcesHint)}
        {error("sources")}
        <label className="check">
          <input type="checkbox" name="digestOn" checked={draft.digestOn} onChange={(e) => set({ digestOn: e.target.checked })} />
          {tt.digest}
        </label>
        {draft.digestOn ? (
          <Secret
            prefix="digest"
            user={draft.digestUser}
            password={draft.digestPassword}
            keep={stored.digest}
            removing={removing.digest ? tt.dropsDigest : null}
            field={field}
            error={error}
            onUser={(digestUser) => set({ digestUser })}
            onPassword={(digestPassword) => set({ digestPassword })}
          />
        ) : null}
      </section>

      <section>
        <h4>{tt.registrationTitle}</h4>
        <label className="check">
          <input type="checkbox" name="registrationOn" checked={draft.registrationOn} onChange={(e) => set({ registrationOn: e.target.checked })} />
          {tt.registration}
        </label>
        {draft.registrationOn ? (
          <>
            <label>
              {tt.registrar}
              <input {...field("registrar")} value={draft.registrar} onChange={(e) => set({ registrar: e.target.value })} />
            </label>
            {error("registrar")}
            <Secret
              prefix="registration"
              user={draft.registrationUser}
              password={draft.registrationPassword}
              keep={stored.registration}
              removing={removing.registration ? tt.dropsRegistration : null}
              field={field}
              error={error}
              onUser={(registrationUser) => set({ registrationUser })}
              onPassword={(registrationPassword) => set({ registrationPassword })}
            />
            <label>
              {tt.expires}
              <input {...field("expires")} type="number" min={60} max={86400} value={draft.expires} onChange={(e) => set({ expires: e.target.value })} />
            </label>
            {error("expires")}
          </>
        ) : null}
      </section>

      <section>
        <h4>{tt.numbers}</h4>
        <p className="muted">{tt.numbersHint}</p>
        {draft.dids.map((d, i) => (
          <fieldset key={d.key} className="did-row" data-did-row={i}>
            <legend className="visually-hidden">{`${tt.number} ${i + 1}`}</legend>
            <label>
              {tt.number}
              <input {...field(`dids.${i}.number`)} value={d.number} inputMode="tel" placeholder="+864001234567" onChange={(e) => setDid(i, { number: e.target.value })} />
            </label>
            <label>
              {tt.label}
              <input name={`dids.${i}.label`} value={d.label} maxLength={100} onChange={(e) => setDid(i, { label: e.target.value })} />
            </label>
            <Choice label={tt.queue} name={`dids.${i}.queueId`} value={d.queueId} none={tt.rulesDecide} options={queueOptions} onChange={(queueId) => setDid(i, { queueId })} />
            <button type="button" className="link" data-action="remove-did" onClick={() => set({ dids: draft.dids.filter((_, j) => j !== i) })}>
              {tt.removeNumber(i + 1)}
            </button>
            {error(`dids.${i}.number`)}
          </fieldset>
        ))}
        <div className="row">
          <button type="button" data-action="add-did" onClick={() => set({ dids: [...draft.dids, emptyDid()] })}>
            {tt.addNumber}
          </button>
        </div>
      </section>

      {tried && Object.keys(found).length > 0 ? (
        <p className="error" role="alert" data-field="fix">
          {tt.fix}
        </p>
      ) : null}
      {save.error ? (
        <p className="error" role="alert" data-field="save-error">
          {`${tt.failed}${errorText(save.error, lang)}`}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending} data-action="save-trunk">
          {trunk ? tt.save : tt.create}
        </button>
        <button type="button" data-action="cancel-trunk" onClick={() => onDone(null)}>
          {tt.cancel}
        </button>
      </div>
    </form>
  );
}

type FieldProps = (name: string, hint?: boolean) => { name: string; "aria-invalid": boolean; "aria-describedby": string | undefined };

/** A user name and its write-only password; on a stored section, the warning that an empty password removes it. */
function Secret(props: {
  prefix: "digest" | "registration";
  user: string;
  password: string;
  keep: boolean;
  removing: string | null;
  field: FieldProps;
  error: (name: string) => ReactNode;
  onUser: (v: string) => void;
  onPassword: (v: string) => void;
}) {
  const { t } = useLang();
  const ids = useId();
  const userName = `${props.prefix}User`;
  const passwordName = `${props.prefix}Password`;
  const password = props.field(passwordName);
  const describedBy = [password["aria-describedby"], `${ids}-hint`, props.removing ? `${ids}-removing` : ""].filter(Boolean).join(" ");
  return (
    <div className="secret" data-secret={props.prefix}>
      <label>
        {t.trunks.username}
        <input {...props.field(userName)} value={props.user} autoComplete="off" onChange={(e) => props.onUser(e.target.value)} />
      </label>
      {props.error(userName)}
      <label>
        {t.trunks.password}
        <input {...password} aria-describedby={describedBy} type="password" autoComplete="new-password" value={props.password} onChange={(e) => props.onPassword(e.target.value)} />
      </label>
      <p className="muted hint" id={`${ids}-hint`}>
        {props.keep ? t.trunks.keepSecret : t.trunks.passwordHint}
      </p>
      {props.removing ? (
        <p className="warning" id={`${ids}-removing`} data-field={`${props.prefix}-removed`}>
          {props.removing}
        </p>
      ) : null}
      {props.error(passwordName)}
    </div>
  );
}
