import { ZCreateRating, ZRating, ZTicketParams } from "@yixian/contracts";
import { z } from "zod";
import { createRating } from "../../domain/ratings/create-rating.ts";
import { listRatings } from "../../domain/ratings/list-ratings.ts";
import { defineRoute } from "../route.ts";

export const ratingRoutes = [
  defineRoute({
    method: "post",
    path: "/tickets/{ticketId}/ratings",
    tag: "ratings",
    summary: "Record the customer's satisfaction rating (1–5), e.g. given on the phone; one per interaction",
    auth: "rating:write",
    status: 201,
    params: ZTicketParams,
    body: ZCreateRating,
    response: ZRating,
    example: { score: 5, comment: "师傅很专业，问题当天解决", channel: "phone", conversationId: null },
    handler: ({ ctx, params, body }) => createRating(ctx, params.ticketId, body),
  }),
  defineRoute({
    method: "get",
    path: "/tickets/{ticketId}/ratings",
    tag: "ratings",
    summary: "The ratings given for a ticket",
    auth: "ticket:read",
    params: ZTicketParams,
    response: z.array(ZRating),
    handler: ({ ctx, params }) => listRatings(ctx, params.ticketId),
  }),
];
