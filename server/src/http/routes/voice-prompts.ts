import { TENANT_PROMPT_LIMITS, ZTenantPrompt, ZTenantPromptParams, ZTenantPromptSlot } from "@yixian/contracts";
import { z } from "zod";
import { deleteTenantPrompt, listTenantPrompts, openTenantPrompt } from "../../domain/voice/prompts/manage-prompts.ts";
import { uploadTenantPrompt } from "../../domain/voice/prompts/upload-prompt.ts";
import { receiveFile } from "../multipart.ts";
import { sendDownload } from "../send-download.ts";
import { defineRoute } from "../route.ts";

/** The tenant's own phone prompts and music on hold: upload (converted for the phone), play, delete. */
export const voicePromptRoutes = [
  defineRoute({
    method: "get",
    path: "/voice/prompts",
    tag: "voice",
    summary: "The tenant's own recordings of phone prompts and music on hold (a prompt not listed plays the built-in one)",
    auth: "tenant:manage",
    response: z.array(ZTenantPrompt),
    handler: ({ ctx }) => listTenantPrompts(ctx),
  }),
  defineRoute({
    method: "post",
    path: "/voice/prompts",
    tag: "voice",
    summary: `Upload a recording of a prompt (or of hold-music) in a language, replacing the one before: WAV (any sox reads) or MP3 in the multipart field \`file\`, at most ${TENANT_PROMPT_LIMITS.maxBytes / 1024 / 1024} MB and ${TENANT_PROMPT_LIMITS.maxSeconds / 60} minutes; converted to 8 kHz mono 16-bit WAV. A file that cannot be read or is cut off stores nothing (AUDIO_INVALID, AUDIO_TRUNCATED, UPLOAD_TRUNCATED)`,
    auth: "tenant:manage",
    query: ZTenantPromptSlot,
    requestContentType: "multipart/form-data",
    status: 201,
    response: ZTenantPrompt,
    example: { file: "(binary) 欢迎语.mp3" },
    handler: ({ ctx, query, req }) =>
      receiveFile(req, {
        field: "file",
        maxBytes: TENANT_PROMPT_LIMITS.maxBytes,
        store: (file) => uploadTenantPrompt(ctx, { name: query.name, language: query.language, filename: file.filename, body: file.body }),
      }),
  }),
  defineRoute({
    method: "get",
    path: "/voice/prompts/{promptId}/audio",
    tag: "voice",
    summary: "The recording as the phone plays it (8 kHz WAV), for the console's player; byte ranges answer 206",
    auth: "tenant:manage",
    params: ZTenantPromptParams,
    responseContentType: "audio/wav",
    handler: async ({ ctx, params, req, res }) => sendDownload(req, res, await openTenantPrompt(ctx, params.promptId), 3600),
  }),
  defineRoute({
    method: "delete",
    path: "/voice/prompts/{promptId}",
    tag: "voice",
    summary: "Remove a recording: callers hear the built-in prompt (or music) again",
    auth: "tenant:manage",
    status: 204,
    params: ZTenantPromptParams,
    handler: ({ ctx, params }) => deleteTenantPrompt(ctx, params.promptId),
  }),
];
