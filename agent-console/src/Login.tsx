import { useState, type FormEvent } from "react";
import { ApiError } from "./api.ts";
import { api } from "./client.ts";
import { useLang } from "./i18n.tsx";

/** E-mail and password; the server sets the httpOnly session cookie. */
export function Login({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const { t, lang, setLang } = useLang();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.auth.login({ email, password });
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 401 || err.status === 400) ? t.login.failed : `${t.error}${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} data-testid="login">
        <div className="brand">一线 <span>Yixian</span></div>
        <h1>{t.login.title}</h1>
        {expired && !error ? <p className="notice" data-notice="expired">{t.login.expired}</p> : null}
        {error ? <p className="notice error" role="alert">{error}</p> : null}
        <label>
          {t.login.email}
          <input name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t.login.password}
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? t.login.busy : t.login.submit}
        </button>
        <button type="button" className="link" onClick={() => setLang(lang === "en" ? "zh-CN" : "en")}>
          {t.switchLang}
        </button>
      </form>
    </div>
  );
}
