import { a2 } from "../alpha/a2.ts";

export const b = a2;
