import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Trunk, TrunkRegistrationStatus } from "@yixian/contracts";
import { useState } from "react";
import { api } from "./client.ts";
import { Confirm } from "./Confirm.tsx";
import { errorText } from "./error-text.ts";
import { formatTime } from "./format.ts";
import { OutboundLimitsForm } from "./OutboundLimitsForm.tsx";
import { useLang } from "./i18n.tsx";
import { queryKeys } from "./keys.ts";
import { queries } from "./queries.ts";
import { TrunkForm } from "./TrunkForm.tsx";

/**
 * The admin's page for the tenant's SIP trunks: each trunk with who may send calls through it,
 * its registration, caller-ID and numbers; add, edit (the whole trunk is replaced) and delete;
 * and where agents may call out through them.
 */
export function TrunkSettings() {
  const { t, lang } = useLang();
  const tt = t.trunks;
  const list = useQuery(queries.trunks());
  const [editing, setEditing] = useState<Trunk | "new" | null>(null);
  const [saved, setSaved] = useState(false);
  const trunks = list.data ?? [];
  return (
    <main className="pane settings-page trunk-settings">
      <div className="scroll">
        <div className="panel-head">
          <h2>{tt.title}</h2>
          {editing === null ? (
            <button
              type="button"
              className="primary"
              data-action="add-trunk"
              onClick={() => {
                setSaved(false);
                setEditing("new");
              }}
            >
              {tt.add}
            </button>
          ) : null}
        </div>
        <p className="muted">{tt.intro}</p>
        {saved ? (
          <p className="notice" role="status" data-field="saved">
            {tt.saved}
          </p>
        ) : null}
        {editing !== null ? (
          <TrunkForm
            key={editing === "new" ? "new" : editing.id}
            trunk={editing === "new" ? null : editing}
            onDone={(result) => {
              setEditing(null);
              setSaved(result !== null);
            }}
          />
        ) : null}
        {list.isPending ? <p className="muted">{t.loading}</p> : null}
        {list.error ? <p className="error">{`${t.error}${errorText(list.error, lang)}`}</p> : null}
        {list.data && trunks.length === 0 && editing === null ? <p className="muted">{tt.none}</p> : null}
        <ul className="card-list">
          {trunks.map((trunk) => (
            <TrunkCard
              key={trunk.id}
              trunk={trunk}
              onEdit={() => {
                setSaved(false);
                setEditing(trunk);
              }}
            />
          ))}
        </ul>
        <OutboundLimitsForm />
      </div>
    </main>
  );
}

function TrunkCard({ trunk, onEdit }: { trunk: Trunk; onEdit: () => void }) {
  const { t, lang } = useLang();
  const tt = t.trunks;
  const client = useQueryClient();
  const queues = useQuery(queries.queues());
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.trunks.remove(trunk.id),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.trunks }),
  });
  const queueName = (id: string | null) => (id ? (queues.data?.find((q) => q.id === id)?.name ?? "…") : tt.rulesDecide);
  return (
    <li className="card" data-trunk-id={trunk.id}>
      <div className="panel-head">
        <h3>{trunk.name}</h3>
        <span className="status-pill trunk-state" data-enabled={trunk.enabled}>{trunk.enabled ? tt.enabledState : tt.disabledState}</span>
      </div>
      <dl className="facts">
        <dt>{tt.hosts}</dt>
        <dd>
          <code>{trunk.hosts.join(", ")}</code> · {tt.transports[trunk.transport]}
        </dd>
        <dt>{tt.inbound}</dt>
        <dd>
          {trunk.allowedSources.length ? <code>{trunk.allowedSources.join(", ")}</code> : null}
          {trunk.digestUsername ? (
            <div>
              {tt.digestUser}
              <code>{trunk.digestUsername}</code>
            </div>
          ) : null}
        </dd>
        {trunk.registration ? (
          <>
            <dt>{tt.registrationTitle}</dt>
            <dd>
              {tt.registersWith}
              <code>{trunk.registration.registrar}</code>
              {trunk.registrationStatus ? <RegistrationState status={trunk.registrationStatus} /> : null}
            </dd>
          </>
        ) : null}
        {trunk.callerId ? (
          <>
            <dt>{tt.callerId}</dt>
            <dd>{trunk.callerId}</dd>
          </>
        ) : null}
        <dt>{tt.numbers}</dt>
        <dd>
          {trunk.dids.length ? (
            <ul className="did-list">
              {trunk.dids.map((d) => (
                <li key={d.number} data-did={d.number}>
                  <strong>{d.number}</strong>
                  {d.label ? ` · ${d.label}` : ""} → {queueName(d.queueId)}
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">{tt.noNumbers}</span>
          )}
        </dd>
      </dl>
      {confirming ? (
        <>
          <Confirm
            label={tt.remove}
            text={tt.confirmRemove(trunk.name)}
            confirm={tt.confirm}
            cancel={tt.cancel}
            action="confirm-remove"
            danger
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
            onCancel={() => setConfirming(false)}
          />
          {remove.error ? (
            <p className="error" role="alert">
              {`${tt.removeFailed}${errorText(remove.error, lang)}`}
            </p>
          ) : null}
        </>
      ) : (
        <div className="row">
          <button type="button" data-action="edit-trunk" onClick={onEdit}>
            {tt.edit}
          </button>
          <button type="button" data-action="remove-trunk" onClick={() => setConfirming(true)}>
            {tt.remove}
          </button>
        </div>
      )}
    </li>
  );
}

/** Where the trunk's registration at its provider stands: registered (until when), failing (why), or off; and since when. */
function RegistrationState({ status }: { status: TrunkRegistrationStatus }) {
  const { t, lang } = useLang();
  const tr = t.trunkRegistration;
  const me = useQuery(queries.me());
  const zone = me.data?.tenant.timeZone ?? "UTC";
  const when = (iso: string | null) => formatTime(iso, lang, zone);
  return (
    <div className="trunk-registration" data-registration={status.state}>
      <span className="status-pill registration-state" data-state={status.state}>
        {tr[status.state]}
      </span>
      {status.state === "registered" && status.expiresAt ? <span>{tr.until(when(status.expiresAt))}</span> : null}
      {status.since ? <span className="muted"> {tr.since(when(status.since))}</span> : status.state === "off" ? <span className="muted">{tr.pending}</span> : null}
      {status.state === "failing" && status.reason ? (
        <p className="error" data-field="registration-reason">
          {tr.why(status.reason)}
        </p>
      ) : null}
    </div>
  );
}
