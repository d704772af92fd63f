import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs; credentials and message bodies never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "yixian" },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "password",
        "*.password",
        "token",
        "*.token",
        "body_text",
        "*.body_text",
      ],
      censor: "[redacted]",
    },
  });
}
