-- A web-chat visitor starts as an anonymous contact ("访客 1234") of their own. The flag tells
-- the console to offer identifying them (merging into a known customer) or naming them; it is
-- cleared when the visitor or an agent says who they are.
ALTER TABLE contacts ADD COLUMN anonymous boolean NOT NULL DEFAULT false;

-- Existing visitor contacts nobody has identified yet: they own a visitor_id identity of a
-- visitor who never filled in the pre-chat form, and no other way to reach them.
UPDATE contacts c SET anonymous = true
WHERE c.merged_into_id IS NULL
  AND EXISTS (
    SELECT 1 FROM identities i
    JOIN widget_visitors v ON v.tenant_id = i.tenant_id AND v.visitor_key = i.value
    WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id AND i.kind = 'visitor_id' AND NOT v.identified
  )
  AND NOT EXISTS (
    SELECT 1 FROM identities o WHERE o.tenant_id = c.tenant_id AND o.contact_id = c.id AND o.kind <> 'visitor_id'
  );
