import type { ZMe } from "@yixian/contracts";
import type { z } from "zod";

/** The signed-in user, their tenant and permissions (`GET /api/auth/me`). */
export type Me = z.infer<typeof ZMe>;
