export * from "./common.ts";
export * from "./errors.ts";
export * from "./realtime.ts";
export * from "./roles.ts";
export * from "./users.ts";
export * from "./timeline.ts";
