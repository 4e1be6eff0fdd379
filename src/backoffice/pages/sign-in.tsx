// Sign-in: a user name and a password, checked by the server, which answers with a session cookie.
import { useState } from 'preact/hooks';
import type { SessionInfo } from '../../domain/accounts';
import { createAccountClient } from '../account-client';
import type { ApiClientError } from '../api-client';
import { LanguageSwitch } from '../components/language-switch';
import { ErrorMessage } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { useI18n } from '../context';
import { useAction } from '../hooks';

interface Props {
  /** why the last session ended: the server refused it */
  refusal: ApiClientError | null;
  onSignedIn(session: SessionInfo): void;
}

export function SignIn({ refusal, onSignedIn }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const blank = name.trim() === '' || password === '';
    setMissing(blank);
    if (blank) return;
    void run(async () => onSignedIn(await createAccountClient().signIn(name.trim(), password)));
  };

  return (
    <main id="main" class="sign-in" data-testid="page-sign-in">
      <div class="sign-in-language"><LanguageSwitch /></div>
      <PageHeading title={t('signIn.title')} />
      <p>{t('signIn.intro')}</p>
      {refusal && !error && (
        <div data-testid="sign-in-refusal">
          <p class="error-lead">{t('signIn.sessionEnded')}</p>
          <ErrorMessage error={refusal} />
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="sign-in-name">{t('signIn.nameLabel')}</label>
          <input id="sign-in-name" autoComplete="username" spellcheck={false} value={name} maxLength={64}
            aria-invalid={missing && name.trim() === '' ? true : undefined} aria-describedby={missing ? 'sign-in-missing' : undefined}
            onInput={(e) => setName(e.currentTarget.value)} data-testid="sign-in-name" />
        </div>
        <div class="field">
          <label for="sign-in-password">{t('signIn.passwordLabel')}</label>
          <input id="sign-in-password" type="password" autoComplete="current-password" value={password} maxLength={200}
            aria-invalid={missing && password === '' ? true : undefined} aria-describedby={missing ? 'sign-in-missing' : undefined}
            onInput={(e) => setPassword(e.currentTarget.value)} data-testid="sign-in-password" />
        </div>
        {missing && <p id="sign-in-missing" class="field-error" data-testid="sign-in-missing">{t('signIn.missing')}</p>}
        <button type="submit" disabled={busy} data-testid="sign-in-submit">{busy ? t('signIn.checking') : t('signIn.submit')}</button>
      </form>
      {error !== null && <ErrorMessage error={error} testId="sign-in-error" />}
      <p class="hint">{t('signIn.firstAdmin')}</p>
    </main>
  );
}
