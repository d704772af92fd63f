import type { AnyRoute } from "../route.ts";
import { authRoutes } from "./auth.ts";

/** Every API route. The OpenAPI document and the tenant-isolation test are built from this list. */
export const allRoutes: AnyRoute[] = [...authRoutes];
