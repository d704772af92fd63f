/**
 * What a channel adapter serving routes in the API takes from http/ (as `@yixian/server/http`):
 * the route definition, so its routes are documented, guarded, validated and mounted like every
 * other, the one multipart receiver for uploads, and the one file sender for downloads (ranges
 * included). Nothing else of http/.
 */
export { defineRoute, type AnyRoute } from "./route.ts";
export { receiveUpload } from "./routes/attachments.ts";
export { sendDownload } from "./send-download.ts";
