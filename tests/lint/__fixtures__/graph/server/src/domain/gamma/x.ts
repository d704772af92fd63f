import type { Y } from "./y.ts";

export interface X {
  y: Y | null;
}
