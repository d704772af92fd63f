import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormFieldMode, LocalisedText, PreChatFormConfig, WidgetConfig, WidgetLocale } from "@yixian/contracts";
import { useState } from "react";
import { api } from "./client.ts";
import { useLang, type Strings } from "./i18n.tsx";
import { queryKeys } from "./keys.ts";
import { queries } from "./queries.ts";

/**
 * The admin's page for the tenant's web chat widgets: where the widget may be embedded (allowed
 * origins), its colours and title, greeting, pre-chat form, and the text of the leave-a-message
 * form shown when nobody is available. Saves through PATCH /widget-configs/{id}.
 */
export function WidgetSettings() {
  const { t } = useLang();
  const list = useQuery(queries.widgetConfigs());
  const [pickedId, setPickedId] = useState<string | null>(null);
  const widgets = list.data?.items ?? [];
  const widget = widgets.find((w) => w.id === pickedId) ?? widgets[0];
  return (
    <main className="pane widget-settings">
      <div className="scroll">
        <div className="panel-head">
          <h2>{t.widget.title}</h2>
          {widgets.length > 1 ? (
            <select aria-label={t.widget.pick} value={widget?.id ?? ""} onChange={(e) => setPickedId(e.target.value)}>
              {widgets.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          ) : null}
        </div>
        {list.isPending ? <p className="muted">{t.loading}</p> : null}
        {list.error ? <p className="error">{`${t.error}${list.error.message}`}</p> : null}
        {list.data && !widget ? <p className="muted">{t.widget.none}</p> : null}
        {widget ? <WidgetForm key={widget.id} widget={widget} /> : null}
      </div>
    </main>
  );
}

interface Draft {
  name: string;
  enabled: boolean;
  origins: string;
  title: LocalisedText;
  primaryColor: string;
  textColor: string;
  locale: WidgetLocale;
  greeting: LocalisedText;
  offlineMessage: LocalisedText;
  preChatForm: PreChatFormConfig;
}

const COLOUR = /^#[0-9a-fA-F]{6}$/;
// the contracts' lists, kept here as types so the page does not bundle zod
const FORM_FIELD_MODES: readonly FormFieldMode[] = ["off", "optional", "required"];
const WIDGET_LOCALES: readonly WidgetLocale[] = ["zh-CN", "en"];

/**
 * An allowed origin as the server stores it (scheme://host[:port], or scheme://host:* for any
 * port), or null when the line is not one.
 */
export function toOrigin(line: string): string | null {
  const text = line.trim();
  if (!/^https?:\/\//i.test(text)) return null;
  const anyPort = /:\*\/?$/.test(text);
  try {
    const url = new URL(anyPort ? text.replace(/:\*(\/?)$/, "$1") : text);
    // a path, query or login in the line means it was a page address, not an origin: say so
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) return null;
    // only the port may be a wildcard
    if (url.hostname.includes("*")) return null;
    if (!anyPort) return url.origin;
    return url.port ? null : `${url.protocol}//${url.hostname}:*`;
  } catch {
    return null;
  }
}

/** The draft's allowed origins, one a line, and the lines that are not origins. */
export function parseOrigins(text: string): { origins: string[]; invalid: string[] } {
  const lines = text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean);
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const line of lines) {
    const origin = toOrigin(line);
    if (origin === null) invalid.push(line);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, invalid };
}

function draftOf(w: WidgetConfig): Draft {
  return {
    name: w.name,
    enabled: w.enabled,
    origins: w.allowedOrigins.join("\n"),
    title: w.theme.title,
    primaryColor: w.theme.primaryColor,
    textColor: w.theme.textColor,
    locale: w.locale,
    greeting: w.greeting,
    offlineMessage: w.offlineMessage,
    preChatForm: w.preChatForm,
  };
}

function WidgetForm({ widget }: { widget: WidgetConfig }) {
  const { t } = useLang();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(widget));
  const [saved, setSaved] = useState(false);
  const origins = parseOrigins(draft.origins);
  const badColour = !COLOUR.test(draft.primaryColor) || !COLOUR.test(draft.textColor);
  const noTitle = WIDGET_LOCALES.some((l) => draft.title[l].trim() === "");
  const invalid = origins.invalid.length > 0 || badColour || draft.name.trim() === "" || noTitle;
  const save = useMutation({
    mutationFn: () =>
      api.widgetConfigs.update(widget.id, {
        name: draft.name.trim(),
        enabled: draft.enabled,
        allowedOrigins: origins.origins,
        theme: { title: { "zh-CN": draft.title["zh-CN"].trim(), en: draft.title.en.trim() }, primaryColor: draft.primaryColor, textColor: draft.textColor },
        locale: draft.locale,
        greeting: draft.greeting,
        offlineMessage: draft.offlineMessage,
        preChatForm: draft.preChatForm,
      }),
    onSuccess: (updated) => {
      client.setQueryData(queryKeys.widgetConfigs, (old: { items: WidgetConfig[] } | undefined) => (old ? { items: old.items.map((w) => (w.id === updated.id ? updated : w)) } : old));
      setSaved(true);
    },
  });
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const snippet = `<script src="${location.origin}/widget.js" data-key="${widget.publicKey}" async></script>`;

  return (
    <form
      className="widget-form"
      data-widget-id={widget.id}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid) save.mutate();
      }}
    >
      <section>
        <h3>{t.widget.embed}</h3>
        <p className="muted">{t.widget.embedHint}</p>
        <code className="snippet" data-field="snippet">
          {snippet}
        </code>
      </section>

      <section>
        <h3>{t.widget.general}</h3>
        <label>
          {t.widget.name}
          <input name="name" value={draft.name} required maxLength={100} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          {t.widget.enabled}
        </label>
        <label>
          {t.widget.locale}
          <select name="locale" value={draft.locale} onChange={(e) => set({ locale: WIDGET_LOCALES.find((l) => l === e.target.value) ?? draft.locale })}>
            {WIDGET_LOCALES.map((l) => (
              <option key={l} value={l}>
                {t.widget.locales[l]}
              </option>
            ))}
          </select>
        </label>
      </section>

      <section>
        <h3>{t.widget.origins}</h3>
        <p className="muted" id="origins-hint">
          {t.widget.originsHint}
        </p>
        <textarea
          name="allowedOrigins"
          aria-label={t.widget.origins}
          aria-describedby="origins-hint"
          aria-invalid={origins.invalid.length > 0}
          rows={4}
          placeholder="https://www.example.com"
          value={draft.origins}
          onChange={(e) => set({ origins: e.target.value })}
        />
        {origins.invalid.length > 0 ? (
          <p className="error" role="alert" data-field="origins-error">
            {t.widget.badOrigins(origins.invalid.join(", "))}
          </p>
        ) : null}
      </section>

      <section>
        <h3>{t.widget.look}</h3>
        <LocalisedField label={t.widget.headerTitle} name="title" value={draft.title} t={t} line onChange={(title) => set({ title })} />
        {noTitle ? <p className="error">{t.widget.noTitle}</p> : null}
        <ColourField label={t.widget.primaryColor} name="primaryColor" value={draft.primaryColor} onChange={(primaryColor) => set({ primaryColor })} />
        <ColourField label={t.widget.textColor} name="textColor" value={draft.textColor} onChange={(textColor) => set({ textColor })} />
        {badColour ? <p className="error">{t.widget.badColour}</p> : null}
        {/* the header as a visitor in the widget's default language sees it */}
        <div className="widget-preview" lang={draft.locale} style={COLOUR.test(draft.primaryColor) && COLOUR.test(draft.textColor) ? { background: draft.primaryColor, color: draft.textColor } : undefined}>
          {draft.title[draft.locale]}
        </div>
      </section>

      <section>
        <h3>{t.widget.texts}</h3>
        <LocalisedField label={t.widget.greeting} name="greeting" value={draft.greeting} t={t} onChange={(greeting) => set({ greeting })} />
        <LocalisedField label={t.widget.offline} name="offlineMessage" value={draft.offlineMessage} t={t} onChange={(offlineMessage) => set({ offlineMessage })} />
      </section>

      <section>
        <h3>{t.widget.preChat}</h3>
        <dl className="facts">
          {(Object.keys(draft.preChatForm) as (keyof PreChatFormConfig)[]).map((field) => (
            <PreChatField key={field} field={field} mode={draft.preChatForm[field]} t={t} onChange={(mode) => set({ preChatForm: { ...draft.preChatForm, [field]: mode } })} />
          ))}
        </dl>
      </section>

      {save.error ? (
        <p className="error" role="alert">
          {`${t.widget.failed}${save.error.message}`}
        </p>
      ) : null}
      {saved ? (
        <p className="notice" role="status" data-field="saved">
          {t.widget.saved}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={invalid || save.isPending} data-action="save-widget">
          {t.widget.save}
        </button>
      </div>
    </form>
  );
}

function ColourField({ label, name, value, onChange }: { label: string; name: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="colour-field">
      {label}
      <span className="row">
        <input type="color" aria-label={label} value={COLOUR.test(value) ? value : "#000000"} onChange={(e) => onChange(e.target.value)} />
        <input name={name} value={value} maxLength={7} pattern="#[0-9a-fA-F]{6}" onChange={(e) => onChange(e.target.value.trim())} />
      </span>
    </label>
  );
}

/** One text per widget language: a labelled box for each (`line`: a one-line, required input of up to 100 characters). */
function LocalisedField({ label, name, value, t, line = false, onChange }: { label: string; name: string; value: LocalisedText; t: Strings; line?: boolean; onChange: (v: LocalisedText) => void }) {
  return (
    <fieldset className="localised">
      <legend>{label}</legend>
      {WIDGET_LOCALES.map((l) => (
        <label key={l}>
          {t.widget.locales[l]}
          {line ? (
            <input name={`${name}.${l}`} lang={l} required maxLength={100} aria-invalid={value[l].trim() === ""} value={value[l]} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
          ) : (
            <textarea name={`${name}.${l}`} lang={l} rows={2} maxLength={2000} value={value[l]} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
          )}
        </label>
      ))}
    </fieldset>
  );
}

function PreChatField({ field, mode, t, onChange }: { field: keyof PreChatFormConfig; mode: FormFieldMode; t: Strings; onChange: (m: FormFieldMode) => void }) {
  return (
    <>
      <dt>{t.widget.fields[field]}</dt>
      <dd>
        <select name={`preChat.${field}`} aria-label={t.widget.fields[field]} value={mode} onChange={(e) => onChange(FORM_FIELD_MODES.find((m) => m === e.target.value) ?? mode)}>
          {FORM_FIELD_MODES.map((m) => (
            <option key={m} value={m}>
              {t.widget.modes[m]}
            </option>
          ))}
        </select>
      </dd>
    </>
  );
}
