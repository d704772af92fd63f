import type {
  CreateVisitorSession,
  LeaveMessage,
  LeaveMessageResult,
  PreChatResult,
  PreChatSubmit,
  VisitorAttachment,
  VisitorMessageList,
  VisitorRating,
  VisitorRatingResult,
  VisitorSession,
  WidgetPublicConfig,
} from "@yixian/contracts";

/** A coded error from the server (`{ error: { code, message } }`), or NETWORK when none came. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The public widget REST API (contracts/src/widget.ts), relative to the script's server. */
export class WidgetApi {
  token: string | null = null;

  constructor(
    private readonly origin: string,
    private readonly key: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(`${this.origin}/api${path}`, { method, headers, body: payload, credentials: "omit" });
    } catch (err) {
      throw new ApiError("NETWORK", err instanceof Error ? err.message : "network error", 0);
    }
    const json = (await res.json().catch(() => null)) as { data?: T; error?: { code: string; message: string } } | null;
    if (!res.ok || !json || json.data === undefined) {
      throw new ApiError(json?.error?.code ?? "NETWORK", json?.error?.message ?? res.statusText, res.status);
    }
    return json.data;
  }

  config(): Promise<WidgetPublicConfig> {
    return this.call("GET", `/widget/${encodeURIComponent(this.key)}/config`);
  }

  session(body: CreateVisitorSession): Promise<VisitorSession> {
    return this.call("POST", `/widget/${encodeURIComponent(this.key)}/sessions`, body);
  }

  preChat(body: PreChatSubmit): Promise<PreChatResult> {
    return this.call("POST", "/widget/sessions/prechat", body);
  }

  messages(afterSeq: number): Promise<VisitorMessageList> {
    return this.call("GET", `/widget/sessions/messages?afterSeq=${afterSeq}`);
  }

  leaveMessage(body: LeaveMessage): Promise<LeaveMessageResult> {
    return this.call("POST", "/widget/sessions/leave-message", body);
  }

  rate(body: VisitorRating): Promise<VisitorRatingResult> {
    return this.call("POST", "/widget/sessions/rating", body);
  }

  upload(file: File): Promise<VisitorAttachment> {
    const form = new FormData();
    form.append("file", file, file.name);
    return this.call("POST", "/widget/sessions/attachments", form);
  }

  /** An attachment's address for <img src> / a download link: the server signed it for that one file. */
  fileUrl(path: string): string {
    return new URL(path, this.origin).toString();
  }
}
