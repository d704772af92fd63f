import { b } from "../beta/b.ts";

export const a = () => b;
