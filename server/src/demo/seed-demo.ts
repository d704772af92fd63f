import { ZCreateCompany, ZCreateContact, ZCreateConversation, ZCreateTicket, ZCreateWidgetConfig, ZTrunkInput, type Role } from "@yixian/contracts";
import { createCategory } from "../domain/categories/create-category.ts";
import type { Ctx, Deps } from "../domain/context.ts";
import { acceptConversation } from "../domain/conversations/accept-conversation.ts";
import { appendMessage } from "../domain/conversations/append-message.ts";
import { createConversation } from "../domain/conversations/create-conversation.ts";
import { endConversation } from "../domain/conversations/end-conversation.ts";
import { createCompany } from "../domain/customers/create-company.ts";
import { createWallboardLink } from "../domain/metrics/create-wallboard-link.ts";
import { setPresence } from "../domain/presence/set-presence.ts";
import { createWidgetConfig } from "../domain/widget/widget-configs.ts";
import { createContact } from "../domain/customers/create-contact.ts";
import { createCustomerGroup } from "../domain/customers/create-customer-group.ts";
import { createQueue } from "../domain/queues/queues.ts";
import { createSkill } from "../domain/queues/skills.ts";
import { createRating } from "../domain/ratings/create-rating.ts";
import { createTenant } from "../domain/tenants/create-tenant.ts";
import { addNote } from "../domain/tickets/add-note.ts";
import { assignTicket } from "../domain/tickets/assign-ticket.ts";
import { changeTicketStatus } from "../domain/tickets/change-ticket-status.ts";
import { createTicket } from "../domain/tickets/create-ticket.ts";
import { createUser } from "../domain/users/create-user.ts";
import { getSipDevice } from "../domain/voice/devices.ts";
import { createTrunk } from "../domain/voice/trunks.ts";
import { updateUser } from "../domain/users/update-user.ts";
import { DEMO_COMPANIES, DEMO_USERS, dateFromToday } from "./demo-data.ts";

export interface DemoSummary {
  tenantName: string;
  logins: { role: Role; email: string }[];
  /** A read-only wallboard link (path and query) for a TV; null on a later start (only its hash is kept). */
  wallboardPath: string | null;
  /** The demo web chat widget's public key. */
  widgetKey: string;
  /** The demo hotline number: a call to it from this machine (sipp, a softphone) lands in the hotline queue. */
  phoneNumber: string | null;
}

/** The demo hotline: a number on a trunk that admits calls from this machine only. */
export const DEMO_NUMBER = "+864008001234";

/** A clock the seed moves forward, so the demo timelines read like real days of work. */
function steppingDeps(deps: Deps, start: Date): { deps: Deps; advance: (minutes: number) => void; jumpTo: (at: Date) => void } {
  let now = start.getTime();
  return {
    deps: { ...deps, clock: { now: () => new Date(now) } },
    advance: (minutes) => (now += minutes * 60_000),
    jumpTo: (at) => (now = Math.max(now, at.getTime())),
  };
}

/**
 * Creates the demo tenant (users of every role, customer groups, companies with verification
 * codes and service packs — one VIP, one expired — contacts, and tickets with timelines) on an
 * empty database. A database that already holds a tenant is left alone.
 */
export async function seedDemo(realDeps: Deps): Promise<DemoSummary | null> {
  const existing = await realDeps.db.selectFrom("tenants").select("id").limit(1).executeTakeFirst();
  if (existing) return null;

  const { deps, advance, jumpTo } = steppingDeps(realDeps, new Date(realDeps.clock.now().getTime() - 3 * 86_400_000));
  const password = deps.config.demoPassword;
  const [adminSpec, ...others] = DEMO_USERS;
  const { tenantId, adminId } = await createTenant(deps, {
    slug: "demo",
    name: "一线演示 · Yixian Demo",
    admin: { email: adminSpec!.email, name: adminSpec!.name, password },
  });
  const as = (userId: string, role: Role, name: string): Ctx => ({
    tenantId,
    actor: { type: "user", id: userId, role, name },
    deps,
    log: deps.log.child({ tenantId, seed: true }),
  });
  const admin = as(adminId, "admin", adminSpec!.name);

  const users = new Map<Role, Ctx>([["admin", admin]]);
  for (const spec of others) {
    const user = await createUser(admin, { email: spec.email, name: spec.name, role: spec.role, password, locale: spec.locale });
    users.set(spec.role, as(user.id, spec.role, spec.name));
  }
  const ctxOf = (role: Role): Ctx => users.get(role)!;
  const idOf = (role: Role): string => (ctxOf(role).actor as { id: string }).id;

  const skills = new Map<string, string>();
  for (const name of ["用友U8", "金蝶K3", "管家婆", "网络与硬件"]) skills.set(name, (await createSkill(admin, { name })).id);
  await updateUser(admin, idOf("agent"), { skills: [{ skillId: skills.get("用友U8")!, level: 6 }, { skillId: skills.get("管家婆")!, level: 4 }] });
  await updateUser(admin, idOf("senior_agent"), { skills: [{ skillId: skills.get("用友U8")!, level: 9 }, { skillId: skills.get("金蝶K3")!, level: 8 }] });
  await updateUser(admin, idOf("field_engineer"), { skills: [{ skillId: skills.get("网络与硬件")!, level: 8 }] });

  const hotline = await createQueue(admin, { name: "财务软件热线", description: "ERP and finance software hotline", memberIds: [idOf("agent"), idOf("senior_agent")] });
  await createQueue(admin, { name: "VIP专席", description: "VIP customers first", memberIds: [idOf("vip_agent"), idOf("senior_agent")] });
  await createQueue(admin, { name: "服务经营", description: "Service packs and renewals", memberIds: [idOf("service_operations")] });

  const groups = new Map<string, string>();
  for (const [name, description] of [["重点客户", "Key accounts"], ["普通客户", "Standard customers"], ["渠道代理", "Resellers"]] as const) {
    groups.set(name, (await createCustomerGroup(admin, { name, description })).id);
  }
  const categories = new Map<string, string>();
  for (const [name, difficulty] of [["账务处理", 1], ["安装部署", 1.5], ["数据修复", 2.5], ["咨询", 0.5]] as const) {
    categories.set(name, (await createCategory(admin, { name, difficulty, parentId: null })).id);
  }

  const today = deps.clock.now();
  const contacts = new Map<string, string>();
  for (const c of DEMO_COMPANIES) {
    const company = await createCompany(
      ctxOf("service_operations"),
      ZCreateCompany.parse({
        name: c.name,
        customerGroupId: groups.get(c.group),
        verificationCode: c.code,
        servicePack: c.pack,
        serviceExpiresOn: dateFromToday(today, c.expiresInDays),
        address: c.address,
      }),
    );
    for (const p of c.contacts) {
      const contact = await createContact(
        ctxOf("agent"),
        ZCreateContact.parse({ name: p.name, title: p.title, companyId: company.id, isVip: c.pack === "vip", identities: p.identities }),
      );
      contacts.set(p.name, contact.id);
    }
  }

  const agent = ctxOf("agent");
  const customer = (name: string): Ctx => ({ tenantId, actor: { type: "contact", id: contacts.get(name)! }, deps, log: admin.log });

  // 1. A web chat, accepted (so a ticket opens), answered, resolved and rated 5.
  const chat = await createConversation(agent, ZCreateConversation.parse({ channel: "webchat", contactId: contacts.get("林峰"), subject: "发票打印不出来", queueId: hotline.id }));
  await appendMessage(customer("林峰"), { conversationId: chat.id, direction: "inbound", text: "你好，管家婆里的增值税发票打印不出来，点打印没有反应。" });
  advance(2);
  // the agent was signed in then (an offline agent may not pick up a chat), and signed out after
  await setPresence(agent, idOf("agent"), { state: "away" });
  const accepted = await acceptConversation(agent, chat.id);
  const chatTicket = accepted.ticketId!;
  advance(1);
  await appendMessage(agent, { conversationId: chat.id, direction: "outbound", text: "您好，我是李娜。请问打印机型号是什么？打印预览能显示吗？" });
  advance(3);
  await appendMessage(customer("林峰"), { conversationId: chat.id, direction: "inbound", text: "映美 FP-630K，预览正常，就是打不出来。" });
  advance(2);
  await appendMessage(agent, { conversationId: chat.id, direction: "internal", text: "常见问题：驱动端口被系统更新改成了 USB002，需改回 USB001。" });
  await appendMessage(agent, { conversationId: chat.id, direction: "outbound", text: "请在打印机属性里把端口改回 USB001 再试一次。" });
  advance(4);
  await appendMessage(customer("林峰"), { conversationId: chat.id, direction: "inbound", text: "可以了，谢谢！" });
  await changeTicketStatus(agent, chatTicket, { status: "resolved", reason: "打印机端口恢复为 USB001" });
  await endConversation(agent, chat.id, { wrapUp: "打印机端口设置" });
  await setPresence(agent, idOf("agent"), { state: "offline" });
  advance(1);
  await createRating(customer("林峰"), chatTicket, { score: 5, comment: "很快就解决了", channel: "webchat", conversationId: chat.id });

  // 2. A VIP customer's month-end closing problem: a phone report, a note, escalated to L2, pending.
  advance(60 * 20);
  const closing = await createTicket(
    agent,
    ZCreateTicket.parse({
      subject: "U8 月末结账报错：存在未记账凭证",
      priority: "high",
      sourceChannel: "phone",
      contactId: contacts.get("王建国"),
      categoryId: categories.get("账务处理"),
      queueId: hotline.id,
      assigneeId: idOf("agent"),
      tags: ["月结", "U8"],
      description: "客户来电：11 月结账时提示存在未记账凭证，但凭证查询里找不到。",
    }),
  );
  advance(10);
  await addNote(agent, closing.id, { body: "远程查看：凭证 0458 被另一用户锁定，需在系统管理里清除异常任务。" });
  advance(5);
  await assignTicket(agent, closing.id, { assigneeId: idOf("senior_agent"), note: "需要二线清理异常任务" });
  advance(15);
  await changeTicketStatus(ctxOf("senior_agent"), closing.id, { status: "pending", reason: "等待客户财务主管确认后再清除" });

  // 3. An expired customer's e-mail, arrived a few minutes ago: waiting in the hotline queue.
  jumpTo(new Date(realDeps.clock.now().getTime() - 4 * 60_000));
  const email = await createConversation(agent, ZCreateConversation.parse({ channel: "email", contactId: contacts.get("徐明"), subject: "金蝶K3 无法登录，提示许可证过期", queueId: hotline.id }));
  await appendMessage(customer("徐明"), {
    conversationId: email.id,
    direction: "inbound",
    text: "今天早上开始金蝶K3 登录时提示许可证过期，全公司都登录不了，请尽快处理。",
    externalId: "<k3-license-20261120@mingda.example.cn>",
  });

  const wallboard = await createWallboardLink(ctxOf("supervisor"), { name: "大厅电视 · Lobby TV", queueIds: [] });
  const widget = await createWidgetConfig(
    admin,
    ZCreateWidgetConfig.parse({
      name: "官网在线客服 · Website chat",
      // the printed embed snippet works on a page served from this machine (the server's own
      // origin is always allowed); a real site's origin is added on the console's widget page
      allowedOrigins: demoOrigins(deps.config.publicUrl),
      defaultQueueId: hotline.id,
      preChatForm: { name: "required", phone: "optional", company: "off", verificationCode: "optional" },
    }),
  );
  // the phone: a trunk that admits calls from this machine on the hotline number, and each
  // agent's extension (the console's softphone registers with it when they sign in)
  await createTrunk(
    admin,
    ZTrunkInput.parse({
      name: "演示中继 · Demo trunk (this machine)",
      hosts: ["127.0.0.1"],
      allowedSources: ["127.0.0.1", "::1"],
      dids: [{ number: DEMO_NUMBER, label: "400 热线 · Hotline", queueId: hotline.id }],
    }),
  );
  for (const u of DEMO_USERS) await getSipDevice(admin, idOf(u.role));
  return {
    tenantName: "一线演示 · Yixian Demo",
    logins: DEMO_USERS.map((u) => ({ role: u.role, email: u.email })),
    wallboardPath: `/wallboard?token=${encodeURIComponent(wallboard.token)}`,
    widgetKey: widget.publicKey,
    phoneNumber: DEMO_NUMBER,
  };
}

/** Where a newcomer tries the snippet: a page served from any local port (python -m http.server,
 * npx serve, VS Code Live Server, vite …) on localhost or 127.0.0.1, and PUBLIC_URL. */
export function demoOrigins(publicUrl: string | null): string[] {
  const local = ["http://localhost:*", "http://127.0.0.1:*"];
  return publicUrl ? [new URL(publicUrl).origin, ...local] : local;
}

/**
 * The demo tenant an earlier start created, for the start banner (logins, chat page), or null
 * when there is none (another tenant's database, or the demo was never seeded).
 */
export async function existingDemo(deps: Deps): Promise<DemoSummary | null> {
  const tenant = await deps.db.selectFrom("tenants").select(["id", "name"]).where("slug", "=", "demo").executeTakeFirst();
  if (!tenant) return null;
  const widget = await deps.db
    .selectFrom("widget_configs")
    .select("public_key")
    .where("tenant_id", "=", tenant.id)
    .where("enabled", "=", true)
    .orderBy("created_at")
    .executeTakeFirst();
  if (!widget) return null;
  const did = await deps.db.selectFrom("sip_dids").select("number").where("tenant_id", "=", tenant.id).orderBy("position").executeTakeFirst();
  return {
    tenantName: tenant.name,
    logins: DEMO_USERS.map((u) => ({ role: u.role, email: u.email })),
    wallboardPath: null,
    widgetKey: widget.public_key,
    phoneNumber: did?.number ?? null,
  };
}
