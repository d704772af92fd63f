export { loadConfig, type Config } from "./config.ts";
export { startServer, type RunningServer, type StartOptions } from "./server.ts";
export { openDatabase } from "./db/database.ts";
export { migrate, loadMigrations } from "./db/migrate.ts";
export { createTenant } from "./domain/tenants/create-tenant.ts";
export type { Ctx, Deps } from "./domain/context.ts";
