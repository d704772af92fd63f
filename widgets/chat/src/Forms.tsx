/** @jsxImportSource preact */
import type { LocalisedText, PreChatFormConfig } from "@yixian/contracts";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError } from "./api.ts";
import type { ChatClient } from "./client.ts";
import { PRECHAT_FIELDS, validateLeave, validatePreChat, type Errors } from "./validation.ts";
import { fmt, type Lang, type Strings } from "./i18n.ts";
import { CompositionGuard } from "./ime.ts";

interface FieldProps {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  required?: boolean;
  type?: string;
  multiline?: boolean;
  autoComplete?: string;
  inputMode?: "text" | "tel" | "numeric" | "email";
  onInput: (v: string) => void;
}

/** A labelled input whose error is announced and tied to it. */
export function Field(p: FieldProps) {
  const errId = `${p.id}-err`;
  const common = {
    id: p.id,
    name: p.id,
    value: p.value,
    "aria-invalid": p.error ? true : undefined,
    "aria-describedby": p.error ? errId : undefined,
    "aria-required": p.required ? true : undefined,
  };
  return (
    <div class="yx-field">
      <label for={p.id}>
        {p.label}
        {p.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={4} onInput={(e) => p.onInput(e.currentTarget.value)} />
      ) : (
        <input {...common} type={p.type ?? "text"} autoComplete={p.autoComplete} inputMode={p.inputMode} onInput={(e) => p.onInput(e.currentTarget.value)} />
      )}
      {p.error ? (
        <p class="yx-error" id={errId} role="alert">
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

const LABEL: Record<(typeof PRECHAT_FIELDS)[number], keyof Strings> = { name: "name", phone: "phone", company: "company", verificationCode: "code" };
const AUTOCOMPLETE: Record<(typeof PRECHAT_FIELDS)[number], string> = { name: "name", phone: "tel", company: "organization", verificationCode: "one-time-code" };

/**
 * A form's state: its values and errors, and a submit that validates, sends with the button
 * busy, and shows a refusal (or an unreachable server) as the form's error.
 */
function useForm(t: Strings, initial: () => Record<string, string>) {
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const onInput = (key: string) => (v: string) => {
    setValues({ ...values, [key]: v });
    setErrors({ ...errors, [key]: undefined });
  };
  /** `check` answers the errors found, and what to send when there are none. */
  const submit = (check: () => { errors: Errors; send: (() => Promise<unknown>) | null }) => async (e: Event) => {
    e.preventDefault();
    const { errors: found, send } = check();
    setErrors(found);
    if (!send) return;
    setBusy(true);
    try {
      await send();
    } catch (err) {
      setErrors({ form: err instanceof ApiError && err.code !== "NETWORK" ? err.message : t.unavailable });
    } finally {
      setBusy(false);
    }
  };
  // an Enter that confirms a pinyin candidate in a field must not submit the form (Safari's order)
  const ime = useMemo(() => new CompositionGuard(), []);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => (formRef.current ? ime.listen(formRef.current) : undefined), [ime]);
  const imeProps = {
    ref: formRef,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === "Enter" && e.target instanceof HTMLInputElement && ime.owns(e)) e.preventDefault();
    },
  };
  return { values, errors, busy, onInput, submit, imeProps };
}

/** The form's own error (not one field's), and its submit button. */
function FormEnd({ error, busy, label }: { error: string | undefined; busy: boolean; label: string }) {
  return (
    <>
      {error ? (
        <p class="yx-error" role="alert">
          {error}
        </p>
      ) : null}
      <button class="yx-primary" type="submit" disabled={busy}>
        {label}
      </button>
    </>
  );
}

export function PreChatForm({ client, form, t, greeting }: { client: ChatClient; form: PreChatFormConfig; t: Strings; greeting: string }) {
  const { values, errors, busy, onInput, submit, imeProps } = useForm(t, () => ({}));
  const onSubmit = submit(() => {
    const { errors: found, body } = validatePreChat(form, values, t);
    return { errors: found, send: Object.keys(found).length ? null : () => client.submitPreChat(body) };
  });
  return (
    <form class="yx-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="prechat" {...imeProps}>
      {greeting ? <p class="yx-intro">{greeting}</p> : null}
      {PRECHAT_FIELDS.filter((f) => form[f] !== "off").map((f) => (
        <Field
          key={f}
          id={`yx-${f}`}
          label={t[LABEL[f]]}
          type={f === "phone" ? "tel" : "text"}
          inputMode={f === "verificationCode" ? "numeric" : undefined}
          autoComplete={AUTOCOMPLETE[f]}
          required={form[f] === "required"}
          value={values[f] ?? ""}
          error={errors[f]}
          onInput={onInput(f)}
        />
      ))}
      <FormEnd error={errors.form} busy={busy} label={t.start} />
    </form>
  );
}

export function LeaveMessageForm({ client, t, lang, intro }: { client: ChatClient; t: Strings; lang: Lang; intro: LocalisedText }) {
  const contact = client.state.session?.contact;
  // a visitor we know (pre-chat form, an agent) need not type their name again
  const { values, errors, busy, onInput, submit, imeProps } = useForm(t, () => ({ name: contact?.identified ? contact.name : "" }));
  const left = client.state.left;
  if (left) {
    return (
      <div class="yx-form" role="status" data-testid="left">
        <p class="yx-done">{t.leaveDone}</p>
        <p>{left.reply[lang] || left.reply[lang === "en" ? "zh-CN" : "en"]}</p>
        <p class="yx-muted">#{left.ticketNumber}</p>
      </div>
    );
  }
  const onSubmit = submit(() => {
    const { errors: found, body } = validateLeave(values, t);
    return { errors: found, send: body ? () => client.leaveMessage(body) : null };
  });
  const field = (id: "name" | "contact" | "text", label: string, extra: Partial<FieldProps> = {}) => (
    <Field id={`yx-leave-${id}`} label={label} required value={values[id] ?? ""} error={errors[id]} onInput={onInput(id)} {...extra} />
  );
  return (
    <form class="yx-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="leave" {...imeProps}>
      <h2 class="yx-h2">{t.leaveTitle}</h2>
      <p class="yx-intro">{intro[lang] || t.leaveIntro}</p>
      {field("name", t.name, { autoComplete: "name" })}
      {field("contact", t.contact, { autoComplete: "tel" })}
      {field("text", t.message, { multiline: true })}
      <FormEnd error={errors.form} busy={busy} label={t.submit} />
    </form>
  );
}

export function RatingCard({ client, t }: { client: ChatClient; t: Strings }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (client.state.rated) {
    return (
      <div class="yx-card" role="status" data-testid="rated">
        <p>{t.rateDone}</p>
        <button class="yx-link" type="button" onClick={() => client.newChat()}>
          {t.newChat}
        </button>
      </div>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!score) return;
    setBusy(true);
    try {
      await client.rate(score, comment.trim());
    } catch {
      setError(t.unavailable);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="yx-card" onSubmit={(e) => void submit(e)} data-testid="rating">
      <fieldset class="yx-stars">
        <legend>{t.rateTitle}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <button key={n} type="button" class={n <= score ? "yx-star on" : "yx-star"} aria-pressed={n === score} aria-label={fmt(n === 1 ? t.star : t.stars, { n })} onClick={() => setScore(n)}>
            ★
          </button>
        ))}
      </fieldset>
      <label class="yx-sr" for="yx-rate-comment">
        {t.comment}
      </label>
      <textarea id="yx-rate-comment" rows={2} placeholder={t.comment} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      {error ? (
        <p class="yx-error" role="alert">
          {error}
        </p>
      ) : null}
      <button class="yx-primary" type="submit" disabled={!score || busy}>
        {t.submit}
      </button>
    </form>
  );
}
