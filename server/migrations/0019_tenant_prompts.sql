-- A tenant's own phone prompts and music on hold, per prompt name and language, replacing the
-- built-in ones. The file (converted to 8 kHz mono 16-bit WAV) is in attachment storage under
-- storage_key; a new upload is a new row (and key), so a node's cached copy is never stale.
CREATE TABLE tenant_prompts (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants(id),
  name              text NOT NULL,
  language          text NOT NULL CHECK (language IN ('zh-CN', 'en')),
  storage_key       text NOT NULL,
  sha256            text NOT NULL,
  size_bytes        integer NOT NULL CHECK (size_bytes > 0),
  duration_ms       integer NOT NULL CHECK (duration_ms > 0),
  original_filename text NOT NULL,
  original_format   text NOT NULL CHECK (original_format IN ('wav', 'mp3')),
  uploaded_by       uuid REFERENCES users(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name, language)
);
