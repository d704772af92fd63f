import type { IdentityKind, Role, ServicePack } from "@yixian/contracts";
import { localDate } from "../platform/time-zone.ts";

export const DEMO_USERS: { role: Role; email: string; name: string; locale: "zh-CN" | "en" }[] = [
  { role: "admin", email: "admin@demo.yixian.dev", name: "张伟", locale: "zh-CN" },
  { role: "supervisor", email: "supervisor@demo.yixian.dev", name: "王静", locale: "zh-CN" },
  { role: "agent", email: "agent@demo.yixian.dev", name: "李娜", locale: "zh-CN" },
  { role: "senior_agent", email: "senior@demo.yixian.dev", name: "刘洋", locale: "zh-CN" },
  { role: "vip_agent", email: "vip@demo.yixian.dev", name: "陈杰", locale: "zh-CN" },
  { role: "field_engineer", email: "engineer@demo.yixian.dev", name: "赵磊", locale: "zh-CN" },
  { role: "quality_inspector", email: "quality@demo.yixian.dev", name: "孙丽", locale: "en" },
  { role: "service_operations", email: "operations@demo.yixian.dev", name: "周敏", locale: "zh-CN" },
];

interface DemoContact {
  name: string;
  title: string;
  identities: { kind: IdentityKind; value: string }[];
}

export const DEMO_COMPANIES: {
  name: string;
  code: string;
  pack: ServicePack;
  /** Days from today to the last day of service; negative = already expired. */
  expiresInDays: number;
  group: "重点客户" | "普通客户" | "渠道代理";
  address: string;
  contacts: DemoContact[];
}[] = [
  {
    name: "上海华东机电有限公司",
    code: "318204",
    pack: "vip",
    expiresInDays: 220,
    group: "重点客户",
    address: "上海市浦东新区张江路 88 号",
    contacts: [
      { name: "王建国", title: "财务经理", identities: [{ kind: "phone", value: "021-6123 4567" }, { kind: "phone", value: "13800138000" }, { kind: "email", value: "wangjg@huadong-jd.example.cn" }] },
      { name: "陈晓红", title: "会计", identities: [{ kind: "phone", value: "139 1234 5678" }, { kind: "email", value: "chenxh@huadong-jd.example.cn" }] },
    ],
  },
  {
    name: "杭州明达贸易有限公司",
    code: "527719",
    pack: "standard",
    expiresInDays: -40,
    group: "普通客户",
    address: "杭州市西湖区文三路 200 号",
    contacts: [{ name: "徐明", title: "IT 主管", identities: [{ kind: "phone", value: "0571-8765 4321" }, { kind: "email", value: "xuming@mingda.example.cn" }] }],
  },
  {
    name: "苏州新源电子科技有限公司",
    code: "604385",
    pack: "online",
    expiresInDays: 20,
    group: "普通客户",
    address: "苏州工业园区星湖街 328 号",
    contacts: [{ name: "林峰", title: "出纳", identities: [{ kind: "phone", value: "+86 137 6123 4567" }, { kind: "email", value: "linfeng@xinyuan.example.cn" }] }],
  },
  {
    name: "北京锦程物流有限公司",
    code: "730956",
    pack: "value_added",
    expiresInDays: 130,
    group: "渠道代理",
    address: "北京市朝阳区望京街 10 号",
    contacts: [{ name: "高远", title: "总经理", identities: [{ kind: "phone", value: "(010)88886666" }, { kind: "email", value: "gaoyuan@jincheng.example.cn" }] }],
  },
];

/** today ± days as YYYY-MM-DD, in the demo tenant's time zone (Asia/Shanghai). */
export function dateFromToday(today: Date, days: number): string {
  return localDate("Asia/Shanghai", today.getTime() + days * 86_400_000);
}
