import { ZCreateWidgetConfig, ZUpdateWidgetConfig, ZWidgetConfig, ZWidgetConfigList, ZWidgetConfigParams } from "@yixian/contracts";
import { createWidgetConfig, deleteWidgetConfig, getWidgetConfig, listWidgetConfigs, updateWidgetConfig } from "../../domain/widget/widget-configs.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const configExample = {
  name: "官网客服",
  allowedOrigins: ["https://www.example.com"],
  preChatForm: { name: "required", phone: "optional", company: "off", verificationCode: "optional" },
  entryPoint: "web-home",
  locale: "zh-CN",
};

/** The tenant's web chat widgets, managed in the console. The widget's public routes are web chat's adapter's (channels/src/webchat/routes.ts). */
export const widgetConfigRoutes: AnyRoute[] = [
  defineRoute({ method: "get", path: "/widget-configs", tag: "widget", summary: "Web chat widgets of the tenant", auth: "tenant:read", response: ZWidgetConfigList, handler: ({ ctx }) => listWidgetConfigs(ctx) }),
  defineRoute({
    method: "post",
    path: "/widget-configs",
    tag: "widget",
    summary: "Create a web chat widget: a public key (wk_…) to embed, allowed origins, pre-chat form, texts, queue",
    auth: "tenant:manage",
    status: 201,
    body: ZCreateWidgetConfig,
    response: ZWidgetConfig,
    example: configExample,
    handler: ({ ctx, body }) => createWidgetConfig(ctx, body),
  }),
  defineRoute({
    method: "get",
    path: "/widget-configs/{widgetConfigId}",
    tag: "widget",
    summary: "A web chat widget's configuration",
    auth: "tenant:read",
    params: ZWidgetConfigParams,
    response: ZWidgetConfig,
    handler: ({ ctx, params }) => getWidgetConfig(ctx, params.widgetConfigId),
  }),
  defineRoute({
    method: "patch",
    path: "/widget-configs/{widgetConfigId}",
    tag: "widget",
    summary: "Change a web chat widget (the public key stays)",
    auth: "tenant:manage",
    params: ZWidgetConfigParams,
    body: ZUpdateWidgetConfig,
    response: ZWidgetConfig,
    example: { greeting: { "zh-CN": "您好！", en: "Hello!" }, enabled: true },
    handler: ({ ctx, params, body }) => updateWidgetConfig(ctx, params.widgetConfigId, body),
  }),
  defineRoute({
    method: "delete",
    path: "/widget-configs/{widgetConfigId}",
    tag: "widget",
    summary: "Remove a web chat widget (kept, disabled, when visitors have used it)",
    auth: "tenant:manage",
    params: ZWidgetConfigParams,
    handler: ({ ctx, params }) => deleteWidgetConfig(ctx, params.widgetConfigId),
  }),
];
