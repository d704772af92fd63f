import { ZCreateCustomField, ZCustomFieldDefinition, ZCustomFieldListQuery, ZCustomFieldParams, ZUpdateCustomField } from "@yixian/contracts";
import { z } from "zod";
import { createCustomField } from "../../domain/custom-fields/create-custom-field.ts";
import { deleteCustomField } from "../../domain/custom-fields/delete-custom-field.ts";
import { listCustomFields } from "../../domain/custom-fields/list-custom-fields.ts";
import { updateCustomField } from "../../domain/custom-fields/update-custom-field.ts";
import { defineRoute } from "../route.ts";

export const customFieldRoutes = [
  defineRoute({
    method: "get",
    path: "/custom-fields",
    tag: "custom fields",
    summary: "The tenant's custom field definitions (for tickets, contacts, companies)",
    auth: "ticket:read",
    query: ZCustomFieldListQuery,
    response: z.array(ZCustomFieldDefinition),
    handler: ({ ctx, query }) => listCustomFields(ctx, query.entity),
  }),
  defineRoute({
    method: "post",
    path: "/custom-fields",
    tag: "custom fields",
    summary: "Define a custom field: text, number, boolean, date or select with options",
    auth: "category:manage",
    status: 201,
    body: ZCreateCustomField,
    response: ZCustomFieldDefinition,
    example: { entity: "ticket", key: "printer_model", label: "打印机型号", type: "select", options: ["HP M104", "Canon LBP2900"], required: false },
    handler: ({ ctx, body }) => createCustomField(ctx, body),
  }),
  defineRoute({
    method: "patch",
    path: "/custom-fields/{customFieldId}",
    tag: "custom fields",
    summary: "Change a custom field's label, options or whether it is required",
    auth: "category:manage",
    params: ZCustomFieldParams,
    body: ZUpdateCustomField,
    response: ZCustomFieldDefinition,
    example: { label: "打印机型号", required: true },
    handler: ({ ctx, params, body }) => updateCustomField(ctx, params.customFieldId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/custom-fields/{customFieldId}",
    tag: "custom fields",
    summary: "Delete a custom field definition; stored values are kept",
    auth: "category:manage",
    status: 204,
    params: ZCustomFieldParams,
    handler: ({ ctx, params }) => deleteCustomField(ctx, params.customFieldId),
  }),
];
