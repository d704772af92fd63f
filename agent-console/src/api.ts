/** The REST transport under client.ts: JSON in, `{ data }` out, coded errors thrown as ApiError. The session rides
 * in the httpOnly cookie the login set, so there is no token to keep in the page. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Unauthorised = () => void;
let onUnauthorised: Unauthorised = () => undefined;

/** Called when the server answers 401 to a signed-in request: the session ended or expired. */
export function setUnauthorisedHandler(handler: Unauthorised): void {
  onUnauthorised = handler;
}

interface Options {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  form?: FormData;
  /** Do not treat a 401 as "the session expired" (the login form itself). */
  anonymous?: boolean;
}

export async function request<T>(path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`/api${path}`, { method: options.method ?? "GET", headers, body, credentials: "same-origin" });
  if (res.status === 204) return undefined as T;
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401 && !options.anonymous) onUnauthorised();
    throw new ApiError(res.status, error?.code ?? "HTTP_ERROR", error?.message ?? res.statusText);
  }
  return (json as { data: T }).data;
}

/** `?a=1&b=2` from the defined entries. */
export function qs(params: object): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params) as [string, unknown][]) {
    if ((typeof v === "string" && v !== "") || typeof v === "number" || typeof v === "boolean") s.set(k, String(v));
  }
  const text = s.toString();
  return text ? `?${text}` : "";
}
