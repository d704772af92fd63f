-- The widget's header title becomes one text per widget language, as its greeting and offline
-- message already are: theme.title "…" → { "zh-CN": "…", "en": "…" }. The old default 在线客服
-- becomes the default of each language; any other title goes to the language it is written in
-- (Chinese characters: zh-CN, otherwise en) and the other language gets its default, so an
-- English visitor no longer sees a Chinese title. Defaults: 在线客服 / Customer service.
UPDATE widget_configs
SET theme = jsonb_set(
  theme,
  '{title}',
  CASE
    WHEN theme->>'title' = '在线客服' THEN jsonb_build_object('zh-CN', '在线客服', 'en', 'Customer service')
    WHEN theme->>'title' ~ '[\u3400-\u9fff\uf900-\ufaff]' THEN jsonb_build_object('zh-CN', theme->>'title', 'en', 'Customer service')
    ELSE jsonb_build_object('zh-CN', '在线客服', 'en', theme->>'title')
  END
)
WHERE jsonb_typeof(theme->'title') = 'string';
