import type { FormFieldMode, LeaveMessage, PreChatFormConfig, PreChatSubmit } from "@yixian/contracts";
import { fmt, type Strings } from "./i18n.ts";

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

/** What the widget accepts before uploading; the server checks again (type sniffing, size). */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const UPLOAD_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "application/zip",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "text/plain",
];

export function checkUpload(file: { size: number; type: string }, t: Strings, maxBytes = UPLOAD_MAX_BYTES): string | null {
  if (!UPLOAD_TYPES.includes(file.type)) return t.fileType;
  if (file.size > maxBytes) return fmt(t.fileTooBig, { max: `${Math.round(maxBytes / 1024 / 1024)} MB` });
  return null;
}
