import { ZCategory, ZCategoryParams, ZCreateCategory, ZUpdateCategory } from "@yixian/contracts";
import { z } from "zod";
import { createCategory } from "../../domain/categories/create-category.ts";
import { listCategories } from "../../domain/categories/list-categories.ts";
import { updateCategory } from "../../domain/categories/update-category.ts";
import { defineRoute } from "../route.ts";

export const categoryRoutes = [
  defineRoute({
    method: "get",
    path: "/categories",
    tag: "categories",
    summary: "Problem categories with their difficulty coefficients",
    auth: "ticket:read",
    response: z.array(ZCategory),
    handler: ({ ctx }) => listCategories(ctx),
  }),
  defineRoute({
    method: "post",
    path: "/categories",
    tag: "categories",
    summary: "Add a problem category; difficulty weighs solved tickets in performance",
    auth: "category:manage",
    status: 201,
    body: ZCreateCategory,
    response: ZCategory,
    example: { name: "打印机故障", parentId: null, difficulty: 1.5 },
    handler: ({ ctx, body }) => createCategory(ctx, body),
  }),
  defineRoute({
    method: "patch",
    path: "/categories/{categoryId}",
    tag: "categories",
    summary: "Rename, move or re-weight a category",
    auth: "category:manage",
    params: ZCategoryParams,
    body: ZUpdateCategory,
    response: ZCategory,
    example: { difficulty: 2 },
    handler: ({ ctx, params, body }) => updateCategory(ctx, params.categoryId, body),
  }),
];
