import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CannedReply } from "@yixian/contracts";
import { useState } from "react";
import { api } from "./client.ts";
import { queryKeys } from "./keys.ts";
import { useT, useLang } from "./i18n.tsx";
import { errorText } from "./error-text.ts";
import { queries } from "./queries.ts";

/** The `/` picker above the reply box: the matches of what was typed, the active one highlighted.
 * The keys are handled by the composer (the focus stays in the textarea). */
export function CannedPicker({ items, active, pending, onPick }: { items: CannedReply[]; active: number; pending: boolean; onPick: (r: CannedReply) => void }) {
  const t = useT();
  return (
    <div className="canned-picker" role="listbox" aria-label={t.canned.manage} data-picker="canned">
      {items.length === 0 && !pending ? <div className="muted canned-none">{t.canned.none}</div> : null}
      {items.map((r, i) => (
        <div
          key={r.id}
          role="option"
          aria-selected={i === active}
          className={`canned-option${i === active ? " active" : ""}`}
          data-canned-id={r.id}
          onMouseDown={(e) => {
            // keep the focus in the textarea
            e.preventDefault();
            onPick(r);
          }}
        >
          <span className="canned-shortcut">{r.shortcut}</span>
          <span className="canned-title">{r.title}</span>
          <span className="muted canned-body">{r.body}</span>
        </div>
      ))}
      <div className="muted canned-hint">{t.canned.hint}</div>
    </div>
  );
}

interface Draft {
  id: string | null;
  shortcut: string;
  title: string;
  body: string;
}

const EMPTY: Draft = { id: null, shortcut: "/", title: "", body: "" };

/** The agent's own canned replies: create, edit, delete. Shared ones are listed, not edited here. */
export function CannedManager({ userId, onClose }: { userId: string; onClose: () => void }) {
  const { t, lang } = useLang();
  const client = useQueryClient();
  const list = useQuery({ ...queries.cannedReplies(""), staleTime: 0 });
  const [draft, setDraft] = useState<Draft | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.cannedReplies.all });
  const save = useMutation({
    mutationFn: (d: Draft) => {
      const body = { shortcut: d.shortcut.trim(), title: d.title.trim(), body: d.body };
      return d.id ? api.cannedReplies.update(d.id, body) : api.cannedReplies.create({ ...body, scope: "personal" });
    },
    onSuccess: async () => {
      setDraft(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.cannedReplies.remove(id),
    onSuccess: (_done, id) => {
      // out of every list at once, also the picker's cached searches (refetched when next shown)
      client.setQueriesData<CannedReply[]>({ queryKey: queryKeys.cannedReplies.all }, (old) => old?.filter((r) => r.id !== id));
      return refresh();
    },
  });
  const own = (list.data ?? []).filter((r) => r.scope === "personal" && r.ownerId === userId);
  const shared = (list.data ?? []).filter((r) => r.scope === "tenant");
  const failure = save.error ?? remove.error;

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={t.canned.title} data-overlay="canned" onClick={onClose}>
      <div className="overlay-card canned-manager" onClick={(e) => e.stopPropagation()}>
        <h2>{t.canned.title}</h2>
        {list.isPending ? <div className="muted">{t.loading}</div> : null}
        {list.data && own.length === 0 ? <div className="muted">{t.canned.empty}</div> : null}
        <ul className="canned-list">
          {own.map((r) => (
            <li key={r.id} data-canned-id={r.id}>
              <span className="canned-shortcut">{r.shortcut}</span> <strong>{r.title}</strong>
              <div className="muted canned-body">{r.body}</div>
              <div className="row">
                <button type="button" className="link" data-action="edit-canned" onClick={() => setDraft({ id: r.id, shortcut: r.shortcut, title: r.title, body: r.body })}>
                  {t.canned.edit}
                </button>
                <button type="button" className="link" data-action="delete-canned" disabled={remove.isPending} onClick={() => remove.mutate(r.id)}>
                  {t.canned.remove}
                </button>
              </div>
            </li>
          ))}
          {shared.map((r) => (
            <li key={r.id} data-canned-id={r.id} className="shared">
              <span className="canned-shortcut">{r.shortcut}</span> <strong>{r.title}</strong> <span className="muted">· {t.canned.shared}</span>
            </li>
          ))}
        </ul>
        {draft ? (
          <form
            className="canned-form"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate(draft);
            }}
          >
            <input name="shortcut" aria-label={t.canned.shortcut} placeholder={t.canned.shortcut} value={draft.shortcut} onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })} required />
            <input name="title" aria-label={t.canned.titleField} placeholder={t.canned.titleField} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required />
            <textarea name="body" aria-label={t.canned.body} placeholder={t.canned.body} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} rows={4} required />
            <div className="row">
              <button type="submit" className="primary" disabled={save.isPending} data-action="save-canned">
                {t.canned.save}
              </button>
              <button type="button" onClick={() => setDraft(null)}>
                {t.canned.cancel}
              </button>
            </div>
          </form>
        ) : null}
        {failure ? (
          <div className="error" role="alert">
            {t.canned.failed}
            {errorText(failure, lang)}
          </div>
        ) : null}
        <div className="row">
          {draft ? null : (
            <button type="button" className="primary" data-action="new-canned" onClick={() => setDraft(EMPTY)}>
              {t.canned.add}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t.canned.close}
          </button>
        </div>
      </div>
    </div>
  );
}
