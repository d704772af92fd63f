/** What a canned reply's placeholders can name. A missing value renders as an empty string. */
export interface TemplateValues {
  "contact.name": string | null;
  "agent.name": string | null;
  "ticket.number": string | null;
}

const PLACEHOLDER = /\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g;

function isKnown(key: string, values: TemplateValues): key is keyof TemplateValues {
  return Object.prototype.hasOwnProperty.call(values, key);
}

/** Fills {{contact.name}}, {{agent.name}} and {{ticket.number}}; anything else in braces stays as written. */
export function renderTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, key: string) => (isKnown(key, values) ? (values[key] ?? "") : whole));
}
