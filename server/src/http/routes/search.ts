import { ZSearchQuery, ZSearchResults } from "@yixian/contracts";
import { search } from "../../domain/search/search.ts";
import { defineRoute } from "../route.ts";

export const searchRoutes = [
  defineRoute({
    method: "get",
    path: "/search",
    tag: "search",
    summary: "Search tickets, contacts, companies and messages (Chinese and English), best matches first; types your role cannot read are left out",
    auth: "authenticated",
    query: ZSearchQuery,
    response: ZSearchResults,
    handler: ({ ctx, query }) => search(ctx, query),
  }),
];
