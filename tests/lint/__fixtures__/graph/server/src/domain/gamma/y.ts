import type { X } from "./x.ts";

export interface Y {
  x: X | null;
}
