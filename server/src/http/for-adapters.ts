/**
 * What a channel adapter serving routes in the API takes from http/ (as `@yixian/server/http`):
 * the route definition, so its routes are documented, guarded, validated and mounted like every
 * other, and the one multipart receiver for uploads. Nothing else of http/.
 */
export { defineRoute, type AnyRoute } from "./route.ts";
export { receiveUpload } from "./routes/attachments.ts";
