import { ERROR_CODES } from "@yixian/contracts";
import { z } from "zod";
import type { AnyRoute } from "./route.ts";

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  delete json.$schema;
  return json;
}

/** Query and path parameters, one entry per property of the route's object schema. */
function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = schemaOf(schema, "input");
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: s,
    ...(typeof s.description === "string" ? { description: s.description } : {}),
  }));
}

const ErrorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string", enum: [...ERROR_CODES] }, message: { type: "string" }, details: {} },
    },
  },
};

function errorResponses(route: AnyRoute): Json {
  const out: Json = {};
  const ref = { description: "", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  if (route.params || route.query || route.body || route.requestContentType) out["400"] = { ...ref, description: "Invalid input (VALIDATION_FAILED and domain codes)" };
  if (route.auth !== "public") {
    out["401"] = { ...ref, description: "Not signed in (UNAUTHENTICATED)" };
    out["403"] = { ...ref, description: "Role lacks the permission (FORBIDDEN)" };
  }
  if (route.params) out["404"] = { ...ref, description: "No such record in your tenant (NOT_FOUND)" };
  if (route.method !== "get") out["409"] = { ...ref, description: "Conflicts with the record's state" };
  if (route.requestContentType) {
    out["413"] = { ...ref, description: "Upload too large (PAYLOAD_TOO_LARGE)" };
    out["415"] = { ...ref, description: "File type not allowed (UNSUPPORTED_MEDIA_TYPE)" };
  }
  return out;
}

function requestBodyOf(route: AnyRoute): Json | undefined {
  if (route.requestContentType === "multipart/form-data") {
    return {
      required: true,
      content: {
        "multipart/form-data": {
          schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] },
        },
      },
    };
  }
  if (!route.body) return undefined;
  return {
    required: true,
    content: {
      "application/json": {
        schema: schemaOf(route.body, "input"),
        ...(route.example !== undefined ? { example: route.example } : {}),
      },
    },
  };
}

function successOf(route: AnyRoute): Json {
  if (route.responseContentType) {
    return { "200": { description: "The file", content: { [route.responseContentType]: { schema: { type: "string", format: "binary" } } } } };
  }
  if (!route.response || route.status === 204) return { "204": { description: "Done" } };
  return {
    [String(route.status ?? 200)]: {
      description: "OK",
      content: {
        "application/json": {
          schema: { type: "object", required: ["data"], properties: { data: schemaOf(route.response, "output") } },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(routes: AnyRoute[], info: { version: string }): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `/api${route.path}`;
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: `${route.method}${route.path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      summary: route.summary,
      tags: [route.tag],
      "x-permission": route.auth,
      ...(route.auth === "public" ? { security: [] } : {}),
      parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
      ...(requestBodyOf(route) ? { requestBody: requestBodyOf(route) } : {}),
      responses: { ...successOf(route), ...errorResponses(route) },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Yixian API",
      version: info.version,
      description: "Contact centre and omnichannel ticketing. Every answer is `{ data }` or `{ error: { code, message } }`.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        cookie: { type: "apiKey", in: "cookie", name: "yx_session" },
      },
      schemas: { Error: ErrorSchema },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}
