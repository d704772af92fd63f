import type { FormFieldMode, LeaveMessage, PreChatFormConfig, PreChatSubmit, WidgetUploadLimits } from "@yixian/contracts";
import { fmt, formatBytes, type Strings } from "./i18n.ts";

export type PreChatField = keyof PreChatFormConfig;
export const PRECHAT_FIELDS: PreChatField[] = ["name", "phone", "company", "verificationCode"];

export type Errors = Partial<Record<string, string>>;

const PHONE = /^\+?[\d\s()-]{3,40}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CODE = /^[0-9]{4,12}$/;
const MAX: Record<PreChatField, number> = { name: 100, phone: 40, company: 200, verificationCode: 12 };

const label = (t: Strings, f: PreChatField) => (f === "verificationCode" ? t.code : t[f]);

function validPhone(v: string): boolean {
  return PHONE.test(v) && v.replace(/\D/g, "").length >= 5;
}

/** Checks the pre-chat form as the server will; the messages are the visitor's language. */
export function validatePreChat(form: PreChatFormConfig, values: Record<string, string>, t: Strings): { errors: Errors; body: PreChatSubmit } {
  const errors: Errors = {};
  const body: PreChatSubmit = {};
  for (const f of PRECHAT_FIELDS) {
    const mode: FormFieldMode = form[f];
    if (mode === "off") continue;
    const v = (values[f] ?? "").trim();
    if (!v) {
      if (mode === "required") errors[f] = fmt(t.required, { field: label(t, f) });
      continue;
    }
    if (v.length > MAX[f]) errors[f] = fmt(t.tooLong, { field: label(t, f) });
    else if (f === "phone" && !validPhone(v)) errors[f] = t.badPhone;
    else if (f === "verificationCode" && !CODE.test(v)) errors[f] = fmt(t.required, { field: label(t, f) });
    else body[f] = v;
  }
  return { errors, body };
}

/** The leave-a-message form: name, a phone number or e-mail address, and the message. */
export function validateLeave(values: Record<string, string>, t: Strings): { errors: Errors; body: LeaveMessage | null } {
  const errors: Errors = {};
  const name = (values.name ?? "").trim();
  const contact = (values.contact ?? "").trim();
  const text = (values.text ?? "").trim();
  if (!name) errors.name = fmt(t.required, { field: t.name });
  else if (name.length > 100) errors.name = fmt(t.tooLong, { field: t.name });
  const isEmail = contact.includes("@");
  if (!contact) errors.contact = fmt(t.required, { field: t.contact });
  else if (isEmail ? !EMAIL.test(contact) : !validPhone(contact)) errors.contact = t.badContact;
  if (!text) errors.text = fmt(t.required, { field: t.message });
  if (Object.keys(errors).length) return { errors, body: null };
  return { errors, body: { name, text, ...(isEmail ? { email: contact } : { phone: contact }) } };
}

/** The server's bare media type of a declared one ("Text/Plain; charset=utf-8" → "text/plain"). */
function bareType(type: string): string {
  return (type.split(";")[0] ?? "").trim().toLowerCase();
}

function extensionOf(name: string): string | null {
  return name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? null;
}

/**
 * Checks a file against the server's upload limits (public config) before uploading it, the way
 * the server takes it: its declared type, or, when the browser gives none, its extension's. The
 * message says the real limit. The server checks again (and looks at the bytes).
 */
export function checkUpload(file: { name: string; size: number; type: string }, limits: WidgetUploadLimits, t: Strings): string | null {
  const bare = bareType(file.type);
  const ext = extensionOf(file.name);
  const allowed =
    bare && bare !== "application/octet-stream"
      ? limits.types.includes(bare)
      : ext && limits.extensions.includes(ext)
        ? true
        : limits.types.includes("application/octet-stream");
  if (!allowed) return limits.extensions.length ? fmt(t.fileTypeList, { list: limits.extensions.map((e) => `.${e}`).join(" ") }) : t.fileType;
  if (file.size > limits.maxBytes) return fmt(t.fileTooBig, { max: formatBytes(limits.maxBytes) });
  return null;
}

/** The file picker's accept list: the types and extensions the server takes. */
export function acceptList(limits: WidgetUploadLimits): string {
  return [...limits.types, ...limits.extensions.map((e) => `.${e}`)].join(",");
}

/** What the visitor reads when the server refused an upload (its code), in their language. */
export function uploadErrorText(code: string, limits: WidgetUploadLimits | null, t: Strings): string {
  switch (code) {
    case "PAYLOAD_TOO_LARGE":
      return limits ? fmt(t.fileTooBig, { max: formatBytes(limits.maxBytes) }) : t.uploadFailed;
    case "UNSUPPORTED_MEDIA_TYPE":
      return t.fileType;
    case "RATE_LIMITED":
      return t.uploadBusy;
    default:
      return t.uploadFailed;
  }
}
