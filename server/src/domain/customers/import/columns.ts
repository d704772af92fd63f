/** The columns an import understands, by their English key. */
export const IMPORT_COLUMNS = [
  "company",
  "verification_code",
  "service_pack",
  "service_expires_on",
  "group",
  "contact_name",
  "title",
  "phone",
  "email",
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Header spellings people use, English and Chinese, after lower-casing and trimming. */
const ALIASES: Record<string, ImportColumn> = {
  company: "company",
  company_name: "company",
  公司: "company",
  公司名称: "company",
  客户名称: "company",
  单位: "company",
  verification_code: "verification_code",
  code: "verification_code",
  服务验证码: "verification_code",
  验证码: "verification_code",
  service_pack: "service_pack",
  pack: "service_pack",
  服务包: "service_pack",
  service_expires_on: "service_expires_on",
  expires_on: "service_expires_on",
  expiry: "service_expires_on",
  到期日: "service_expires_on",
  服务到期日: "service_expires_on",
  到期日期: "service_expires_on",
  group: "group",
  customer_group: "group",
  客户组: "group",
  客户分组: "group",
  contact_name: "contact_name",
  contact: "contact_name",
  name: "contact_name",
  联系人: "contact_name",
  姓名: "contact_name",
  title: "title",
  职务: "title",
  职位: "title",
  phone: "phone",
  mobile: "phone",
  tel: "phone",
  电话: "phone",
  手机: "phone",
  手机号: "phone",
  联系电话: "phone",
  email: "email",
  e_mail: "email",
  邮箱: "email",
  电子邮件: "email",
  电子邮箱: "email",
};

/** The column a header cell names, or null for a column the import ignores. */
export function columnOf(header: string): ImportColumn | null {
  const key = header
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return ALIASES[key] ?? null;
}
