import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SipDeviceSecret } from "@yixian/contracts";
import { useId, useState } from "react";
import { api } from "./client.ts";
import { Confirm } from "./Confirm.tsx";
import { errorText } from "./error-text.ts";
import { formatTime } from "./format.ts";
import { useLang } from "./i18n.tsx";
import { queryKeys } from "./keys.ts";
import { queries } from "./queries.ts";
import type { Me } from "./types.ts";

/**
 * What a desk phone needs to register as the agent (extension, SIP user, realm, this server's
 * address), whether one is registered, and a new desk-phone password, shown once. User managers
 * pick whose phone they set up.
 */
export function MyPhone({ me }: { me: Me }) {
  const { t } = useLang();
  const [userId, setUserId] = useState(me.user.id);
  const manager = me.permissions.includes("user:manage");
  const users = useQuery({ ...queries.users(), enabled: manager });
  return (
    <main className="pane settings-page my-phone">
      <div className="scroll">
        <h2>{t.device.title}</h2>
        <p className="muted">{t.device.intro}</p>
        {manager ? (
          <label className="inline-field">
            {t.device.whose}
            <select name="userId" value={userId} onChange={(e) => setUserId(e.target.value)}>
              <option value={me.user.id}>{me.user.name}</option>
              {(users.data ?? [])
                .filter((u) => u.id !== me.user.id)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <Device key={userId} userId={userId} me={me} />
      </div>
    </main>
  );
}

function Device({ userId, me }: { userId: string; me: Me }) {
  const { t, lang } = useLang();
  const td = t.device;
  const client = useQueryClient();
  const device = useQuery(queries.sipDevice(userId));
  const [confirming, setConfirming] = useState(false);
  // the new password lives in this component only: never in the query cache, gone on reload
  const [secret, setSecret] = useState<SipDeviceSecret | null>(null);
  const rotate = useMutation({
    mutationFn: () => api.sipDevices.newPassword(userId),
    onSuccess: (answer) => {
      const { password: _password, ...rest } = answer;
      client.setQueryData(queryKeys.sipDevice(userId), rest);
      setSecret(answer);
      setConfirming(false);
    },
  });
  const zone = me.tenant.timeZone;
  if (device.isPending) return <p className="muted">{t.loading}</p>;
  if (device.error) return <p className="error">{`${t.error}${errorText(device.error, lang)}`}</p>;
  const d = device.data;
  // the console's own softphones register over WebSocket: counted, not listed with the desk phones
  const deskPhones = d.registrations.filter((r) => r.transport === "udp" || r.transport === "tcp" || r.transport === "tls");
  const ports = [["UDP", d.server.udpPort], ["TCP", d.server.tcpPort], ["TLS", d.server.tlsPort]].filter((p): p is [string, number] => p[1] !== null);
  const softphones = d.registrations.length - deskPhones.length;
  return (
    <section className="device" data-user-id={userId}>
      <dl className="facts">
        <dt>{td.extension}</dt>
        <dd data-field="extension">{d.extension}</dd>
        <dt>{td.username}</dt>
        <dd>
          <code data-field="sip-username">{d.username}</code>
        </dd>
        <dt>{td.realm}</dt>
        <dd>
          <code data-field="realm">{d.realm}</code>
        </dd>
        <dt>{td.server}</dt>
        <dd>
          <code data-field="server">{d.server.address}</code>
        </dd>
        <dt>{td.transport}</dt>
        <dd data-field="ports">
          {ports.length === 0 ? td.transportsOff : ports.map(([name, port]) => `${name} ${port}`).join(" · ")}
        </dd>
        <dt>{td.passwordSetAt}</dt>
        <dd>{formatTime(d.passwordSetAt, lang, zone)}</dd>
      </dl>
      {d.server.tlsPort === null ? null : (
        <p className="muted" data-field="tls-hint">
          {td.tlsHint}
        </p>
      )}
      <h3>{td.registrations}</h3>
      {deskPhones.length === 0 ? (
        <p className="muted" data-field="registrations">
          {td.none}
        </p>
      ) : (
        <ul className="registrations" data-field="registrations">
          {deskPhones.map((r) => (
            <li key={`${r.transport}-${r.expiresAt}-${r.userAgent ?? ""}`}>
              <code>{r.transport.toUpperCase()}</code> {r.userAgent ?? td.unknownModel} · {td.until(formatTime(r.expiresAt, lang, zone))}
            </li>
          ))}
        </ul>
      )}
      {softphones > 0 ? (
        <p className="muted" data-field="softphones">
          {td.softphones(softphones)}
        </p>
      ) : null}
      {secret ? (
        <OncePassword password={secret.password} onDone={() => setSecret(null)} />
      ) : confirming ? (
        <Confirm
          label={td.rotate}
          text={td.rotateWarning}
          warning
          confirm={td.confirm}
          cancel={td.cancel}
          action="confirm-password"
          busy={rotate.isPending}
          onConfirm={() => rotate.mutate()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <div className="row">
          <button type="button" data-action="new-password" onClick={() => setConfirming(true)}>
            {td.rotate}
          </button>
        </div>
      )}
      {rotate.error ? (
        <p className="error" role="alert">
          {`${td.failed}${errorText(rotate.error, lang)}`}
        </p>
      ) : null}
    </section>
  );
}

/** The new password with a copy button and the warning that it is not shown again. */
function OncePassword({ password, onDone }: { password: string; onDone: () => void }) {
  const { t } = useLang();
  const td = t.device;
  const id = useId();
  const [copy, setCopy] = useState<"copied" | "failed" | null>(null);
  return (
    <div className="once" data-field="once-password">
      <label htmlFor={id}>{td.newPassword}</label>
      <div className="row">
        <input id={id} className="secret-value" readOnly value={password} aria-describedby={`${id}-once`} onFocus={(e) => e.target.select()} />
        <button
          type="button"
          data-action="copy-password"
          onClick={() => {
            // there is no clipboard on a page served over plain http from another machine
            const clipboard = navigator.clipboard as Clipboard | undefined;
            if (!clipboard) setCopy("failed");
            else
              clipboard.writeText(password).then(
                () => setCopy("copied"),
                () => setCopy("failed"),
              );
          }}
        >
          {td.copy}
        </button>
      </div>
      <p className="warning" id={`${id}-once`} role="alert">
        {td.once}
      </p>
      <p role="status" className="muted" data-field="copy-state">
        {copy === "copied" ? td.copied : copy === "failed" ? td.copyFailed : ""}
      </p>
      <div className="row">
        <button type="button" data-action="password-noted" onClick={onDone}>
          {td.done}
        </button>
      </div>
    </div>
  );
}
