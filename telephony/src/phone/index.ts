export { attachPhone, type Phone } from "./attach-phone.ts";
