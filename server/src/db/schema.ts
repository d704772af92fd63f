import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Kysely's view of migrations/*.sql. Keep in step with every migration. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string, string>;
type JsonObject = ColumnType<Record<string, unknown>, string | undefined, string>;
/** Filled by the database from search_tokens; never written. */
type SearchVector = ColumnType<string, never, never>;
type Id = ColumnType<string, string | undefined, never>;

export interface TenantsTable {
  id: Id;
  slug: string;
  name: string;
  default_country: ColumnType<string, string | undefined, string>;
  time_zone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<string, string | undefined, string>;
  ticket_prefix: ColumnType<string, string | undefined, string>;
  settings: JsonObject;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Id;
  tenant_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: string;
  phone: string | null;
  locale: string | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: Id;
  tenant_id: string;
  user_id: string;
  token_hash: string;
  user_agent: string | null;
  created_at: CreatedAt;
  expires_at: Date | string;
  revoked_at: Date | string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  account: string;
  source: string;
  succeeded: boolean;
  created_at: Date | string;
}

export interface SkillsTable {
  id: Id;
  tenant_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface UserSkillsTable {
  tenant_id: string;
  user_id: string;
  skill_id: string;
  level: ColumnType<number, number | undefined, number>;
}

type WithDefault<T> = ColumnType<T, T | undefined, T>;

export interface QueuesTable {
  id: Id;
  tenant_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  strategy: WithDefault<string>;
  sticky_seconds: WithDefault<number>;
  vip_first: WithDefault<boolean>;
  priority: WithDefault<number>;
  calendar_id: ColumnType<string | null, string | null | undefined, string | null>;
  max_wait_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  max_length: ColumnType<number | null, number | null | undefined, number | null>;
  overflow_action: WithDefault<string>;
  overflow_queue_id: ColumnType<string | null, string | null | undefined, string | null>;
  wrap_up_seconds: WithDefault<number>;
  offer_timeout_seconds: WithDefault<number>;
  service_level_seconds: WithDefault<number>;
  max_missed_offers: WithDefault<number>;
  /** A call-back nobody answered is offered again after this long, up to callback_max_tries tries (migration 0027). */
  callback_retry_minutes: WithDefault<number>;
  callback_max_tries: WithDefault<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CalendarsTable {
  id: Id;
  tenant_id: string;
  name: string;
  time_zone: WithDefault<string>;
  weekly_hours: ColumnType<Record<string, [string, string][]>, string | undefined, string>;
  holidays: ColumnType<{ date: string; name?: string }[], string | undefined, string>;
  extra_workdays: ColumnType<{ date: string; hours: [string, string][] }[], string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface QueueSkillsTable {
  tenant_id: string;
  queue_id: string;
  skill_id: string;
  min_level: WithDefault<number>;
}

export interface RoutingRulesTable {
  id: Id;
  tenant_id: string;
  name: string;
  position: number;
  enabled: WithDefault<boolean>;
  conditions: JsonObject;
  action: ColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AgentPresenceTable {
  user_id: string;
  tenant_id: string;
  state: WithDefault<string>;
  reason: string | null;
  state_since: Timestamp;
  capacity: ColumnType<Record<string, number>, string | undefined, string>;
  idle_since: Timestamp;
  missed_offers: WithDefault<number>;
  wrap_up_until: Date | string | null;
  /** The agent's last console socket went away at; null while connected (or never connected). */
  disconnected_at: ColumnType<Date | string | null, Date | string | null | undefined, Date | string | null>;
  updated_at: Timestamp;
}

/** A running server process; see migration 0015. */
export interface NodesTable {
  id: string;
  started_at: CreatedAt;
  heartbeat_at: Timestamp;
}

/** An agent with a console socket on a node. */
export interface NodeAgentsTable {
  node_id: string;
  user_id: string;
  tenant_id: string;
}

export interface AgentStateLogTable {
  id: Generated<number>;
  tenant_id: string;
  user_id: string;
  state: string;
  reason: string | null;
  started_at: Date | string;
  ended_at: Date | string | null;
}

export interface WorkItemsTable {
  id: Id;
  tenant_id: string;
  queue_id: string;
  media: string;
  channel: string;
  conversation_id: string | null;
  ticket_id: string | null;
  contact_id: string | null;
  priority: WithDefault<number>;
  vip: WithDefault<boolean>;
  language: string | null;
  preferred_agent_id: string | null;
  state: WithDefault<string>;
  enqueued_at: Date | string;
  offered_at: Date | string | null;
  assigned_to: string | null;
  assigned_at: Date | string | null;
  completed_at: Date | string | null;
  abandoned_at: Date | string | null;
  hold_ms: WithDefault<number>;
  wrap_ms: WithDefault<number>;
  rule_id: string | null;
  decision: JsonObject;
  /** contact: a live contact; voicemail / callback: a caller who left the queue that way (migration 0023); outbound: an agent's call out (0025). */
  kind: WithDefault<string>;
  /** The call record a voicemail or call-back item came from. */
  call_id: string | null;
  /** A call-back's tries nobody answered so far, and when it may be offered again (migration 0027). */
  callback_tries: WithDefault<number>;
  retry_at: Date | string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OffersTable {
  id: Id;
  tenant_id: string;
  work_item_id: string;
  agent_id: string;
  state: WithDefault<string>;
  created_at: CreatedAt;
  expires_at: Date | string;
  responded_at: Date | string | null;
}

export interface QueueCursorsTable {
  queue_id: string;
  tenant_id: string;
  last_agent_id: string | null;
  updated_at: Timestamp;
}

export interface QueueMembersTable {
  tenant_id: string;
  queue_id: string;
  user_id: string;
}

export interface CustomerGroupsTable {
  id: Id;
  tenant_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CompaniesTable {
  id: Id;
  tenant_id: string;
  customer_group_id: string | null;
  name: string;
  verification_code: string;
  service_pack: string | null;
  /** A calendar date, YYYY-MM-DD. */
  service_expires_on: string | null;
  address: ColumnType<string, string | undefined, string>;
  notes: ColumnType<string, string | undefined, string>;
  custom_fields: JsonObject;
  search_tokens: ColumnType<string, string | undefined, string>;
  search_vector: SearchVector;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ContactsTable {
  id: Id;
  tenant_id: string;
  company_id: string | null;
  name: string;
  title: ColumnType<string, string | undefined, string>;
  language: string | null;
  is_vip: ColumnType<boolean, boolean | undefined, boolean>;
  notes: ColumnType<string, string | undefined, string>;
  custom_fields: JsonObject;
  merged_into_id: string | null;
  search_tokens: ColumnType<string, string | undefined, string>;
  search_vector: SearchVector;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** An unidentified web-chat visitor (0010). */
  anonymous: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface IdentitiesTable {
  id: Id;
  tenant_id: string;
  contact_id: string;
  kind: string;
  value: string;
  display_value: string;
  verified: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface CategoriesTable {
  id: Id;
  tenant_id: string;
  parent_id: string | null;
  name: string;
  difficulty: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CustomFieldDefinitionsTable {
  id: Id;
  tenant_id: string;
  entity: string;
  key: string;
  label: string;
  type: string;
  options: ColumnType<unknown[], string | undefined, string>;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface TicketCountersTable {
  tenant_id: string;
  day: string;
  last_value: number;
}

export interface TicketsTable {
  id: Id;
  tenant_id: string;
  number: string;
  subject: string;
  status: ColumnType<string, string | undefined, string>;
  priority: ColumnType<string, string | undefined, string>;
  source_channel: string | null;
  category_id: string | null;
  contact_id: string | null;
  company_id: string | null;
  queue_id: string | null;
  assignee_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom_fields: JsonObject;
  merged_into_id: string | null;
  search_tokens: ColumnType<string, string | undefined, string>;
  search_vector: SearchVector;
  first_response_at: Date | string | null;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TicketLinksTable {
  tenant_id: string;
  ticket_id: string;
  linked_ticket_id: string;
  kind: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ConversationsTable {
  id: Id;
  tenant_id: string;
  channel: string;
  contact_id: string | null;
  identity_id: string | null;
  ticket_id: string | null;
  queue_id: string | null;
  assignee_id: string | null;
  state: ColumnType<string, string | undefined, string>;
  subject: ColumnType<string, string | undefined, string>;
  external_ref: string | null;
  last_seq: ColumnType<number, number | undefined, number>;
  started_at: Timestamp;
  accepted_at: Date | string | null;
  ended_at: Date | string | null;
  last_message_at: Date | string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConversationParticipantsTable {
  id: Id;
  tenant_id: string;
  conversation_id: string;
  kind: string;
  user_id: string | null;
  contact_id: string | null;
  joined_at: Timestamp;
  left_at: Date | string | null;
}

export interface MessagesTable {
  id: Id;
  tenant_id: string;
  conversation_id: string;
  ticket_id: string | null;
  channel: string;
  seq: number;
  direction: string;
  author_type: string;
  author_id: string | null;
  body_text: ColumnType<string, string | undefined, string>;
  body_rich: Json | null;
  delivery_state: ColumnType<string, string | undefined, string>;
  delivery_error: ColumnType<string | null, string | null | undefined, string | null>;
  external_id: string | null;
  client_id: string | null;
  search_tokens: ColumnType<string, string | undefined, string>;
  search_vector: SearchVector;
  created_at: Timestamp;
}

export interface AttachmentsTable {
  id: Id;
  tenant_id: string;
  message_id: string | null;
  ticket_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface TimelineEventsTable {
  id: Generated<number>;
  tenant_id: string;
  ticket_id: string;
  kind: string;
  occurred_at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  data: JsonObject;
}

export interface RatingsTable {
  id: Id;
  tenant_id: string;
  ticket_id: string;
  conversation_id: string | null;
  contact_id: string | null;
  score: number;
  comment: ColumnType<string, string | undefined, string>;
  channel: string;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: JsonObject;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: Generated<number>;
  tenant_id: string | null;
  event: string;
  rooms: string[];
  payload: Json;
  created_at: CreatedAt;
  dispatched_at: Date | string | null;
  claimed_until: Date | string | null;
}

export interface SlaPoliciesTable {
  id: Id;
  tenant_id: string;
  name: string;
  position: number;
  is_default: WithDefault<boolean>;
  priorities: ColumnType<string[], string[] | undefined, string[]>;
  service_packs: ColumnType<string[], string[] | undefined, string[]>;
  calendar_id: ColumnType<string | null, string | null | undefined, string | null>;
  first_response_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  next_response_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  resolution_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  warn_fraction: WithDefault<number>;
  pause_when_pending: WithDefault<boolean>;
  notify_supervisors: WithDefault<boolean>;
  raise_priority: ColumnType<string | null, string | null | undefined, string | null>;
  move_to_queue_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TicketSlaTable {
  ticket_id: string;
  tenant_id: string;
  policy_id: string | null;
  matched_priority: string;
  matched_service_pack: string | null;
  ticket_updated_at: Date | string | null;
  stale: WithDefault<boolean>;
  updated_at: Timestamp;
}

export interface TicketSlaClocksTable {
  ticket_id: string;
  target: string;
  tenant_id: string;
  started_at: Date | string;
  due_at: Date | string | null;
  warn_at: Date | string | null;
  stopped_at: Date | string | null;
  warned_at: Date | string | null;
  breached_at: Date | string | null;
  updated_at: Timestamp;
}

export interface WallboardLinksTable {
  id: Id;
  tenant_id: string;
  name: string;
  token_hash: string;
  queue_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Date | string;
  revoked_at: Date | string | null;
}

export interface WallboardChangesTable {
  id: Generated<number>;
  tenant: string;
  changed_at: CreatedAt;
}

export interface WallboardPusherLeaseTable {
  id: number;
  holder: string;
  expires_at: Date | string;
}

export interface CannedRepliesTable {
  id: Id;
  tenant_id: string;
  owner_id: string | null;
  shortcut: string;
  title: string;
  body: string;
  category: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  usage_count: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConversationReadsTable {
  tenant_id: string;
  user_id: string;
  conversation_id: string;
  last_read_seq: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface WidgetConfigsTable {
  id: Id;
  tenant_id: string;
  public_key: string;
  name: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  pre_chat_form: Json;
  greeting: Json;
  offline_message: Json;
  default_queue_id: string | null;
  entry_point: string;
  calendar_id: string | null;
  /** { title: { "zh-CN", en }, primaryColor, textColor } (the title per language since 0016) */
  theme: Json;
  locale: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WidgetVisitorsTable {
  id: Id;
  tenant_id: string;
  widget_config_id: string;
  visitor_key: string;
  identified: ColumnType<boolean, boolean | undefined, boolean>;
  conversation_id: string | null;
  read_seq: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WidgetUploadsTable {
  attachment_id: string;
  tenant_id: string;
  visitor_id: string;
  created_at: CreatedAt;
}

export interface MentionsTable {
  id: Id;
  tenant_id: string;
  user_id: string;
  author_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  ticket_id: string | null;
  timeline_event_id: number | null;
  excerpt: string;
  created_at: CreatedAt;
  read_at: Date | string | null;
}

export interface SipTrunksTable {
  id: Id;
  tenant_id: string;
  name: string;
  hosts: string[];
  transport: string;
  allowed_sources: ColumnType<string[], string[] | undefined, string[]>;
  digest_username: string | null;
  digest_ha1_md5: string | null;
  digest_ha1_sha256: string | null;
  registration: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  registration_secret: string | null;
  caller_id: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SipTrunkRegistrationsTable {
  trunk_id: string;
  holder: string;
  lease_expires_at: Date | string;
  state: string;
  reason: string | null;
  changed_at: Timestamp;
  expires_at: Date | string | null;
}

export interface SipDidsTable {
  number: string;
  tenant_id: string;
  trunk_id: string;
  label: string | null;
  queue_id: string | null;
  position: ColumnType<number, number | undefined, number>;
  /** The number's IVR settings (contracts VoiceIvr, language optional); null: the defaults (0019) */
  ivr: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface SipDevicesTable {
  user_id: string;
  tenant_id: string;
  extension: string;
  username: string;
  realm: string;
  ha1_md5: string;
  ha1_sha256: string;
  password_set_at: Timestamp;
}

export interface SipRegistrationsTable {
  username: string;
  contact: string;
  tenant_id: string;
  user_id: string;
  transport: string;
  flow: string;
  session_id: string | null;
  user_agent: string | null;
  expires_at: Timestamp;
  updated_at: Timestamp;
  call_id: ColumnType<string, string | undefined, string>;
  cseq: ColumnType<number, number | undefined, number>;
  node_id: string | null;
}

/** A tenant's own phone prompt or music on hold (0019). */
export interface TenantPromptsTable {
  id: ColumnType<string, string, never>;
  tenant_id: string;
  name: string;
  language: string;
  storage_key: string;
  sha256: string;
  size_bytes: number;
  duration_ms: number;
  original_filename: string;
  original_format: string;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface CallsTable {
  id: Id;
  tenant_id: string;
  conversation_id: string | null;
  sip_call_id: string;
  direction: string;
  from_number: string | null;
  to_number: string | null;
  did: string | null;
  trunk_id: string | null;
  queue_id: string | null;
  agent_id: string | null;
  started_at: Timestamp;
  queued_at: Timestamp | null;
  ringing_at: Timestamp | null;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  held_since: Timestamp | null;
  hold_seconds: ColumnType<number, number | undefined, number>;
  wrap_up_seconds: number | null;
  disposition: string | null;
  hangup_side: string | null;
  hangup_cause: string | null;
  recording_id: string | null;
  rating: number | null;
  node_id: string | null;
}

/** A missed call or call-back request waiting to be called back (0022). */
export interface MissedCallsTable {
  id: Id;
  tenant_id: string;
  kind: string;
  number: string;
  contact_id: string | null;
  queue_id: string | null;
  last_call_id: string;
  first_at: Timestamp;
  last_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  waited_seconds: ColumnType<number, number | undefined, number>;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  done_at: Timestamp | null;
  done_by: string | null;
  outcome: string | null;
  note: string | null;
  /** A call-back request's work item: the pair finished together (migration 0026). */
  work_item_id: string | null;
  updated_at: Timestamp;
}

export interface DB {
  calls: CallsTable;
  missed_calls: MissedCallsTable;
  sip_trunks: SipTrunksTable;
  sip_dids: SipDidsTable;
  sip_trunk_registrations: SipTrunkRegistrationsTable;
  tenant_prompts: TenantPromptsTable;
  sip_devices: SipDevicesTable;
  sip_registrations: SipRegistrationsTable;
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  skills: SkillsTable;
  user_skills: UserSkillsTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  customer_groups: CustomerGroupsTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  identities: IdentitiesTable;
  categories: CategoriesTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_links: TicketLinksTable;
  conversations: ConversationsTable;
  conversation_participants: ConversationParticipantsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  timeline_events: TimelineEventsTable;
  ratings: RatingsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  calendars: CalendarsTable;
  queue_skills: QueueSkillsTable;
  routing_rules: RoutingRulesTable;
  agent_presence: AgentPresenceTable;
  agent_state_log: AgentStateLogTable;
  nodes: NodesTable;
  node_agents: NodeAgentsTable;
  work_items: WorkItemsTable;
  offers: OffersTable;
  queue_cursors: QueueCursorsTable;
  wallboard_links: WallboardLinksTable;
  wallboard_changes: WallboardChangesTable;
  wallboard_pusher_lease: WallboardPusherLeaseTable;
  sla_policies: SlaPoliciesTable;
  ticket_sla: TicketSlaTable;
  ticket_sla_clocks: TicketSlaClocksTable;
  canned_replies: CannedRepliesTable;
  conversation_reads: ConversationReadsTable;
  mentions: MentionsTable;
  widget_configs: WidgetConfigsTable;
  widget_visitors: WidgetVisitorsTable;
  widget_uploads: WidgetUploadsTable;
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
