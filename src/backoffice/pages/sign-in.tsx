// Sign-in: the clerk pastes the admin token; it is tried against the API before it is kept.
import { useState } from 'preact/hooks';
import { ApiClientError, createApiClient } from '../api-client';
import { LanguageSwitch } from '../components/language-switch';
import { ErrorMessage } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { useI18n } from '../context';
import { useAction } from '../hooks';
import { normalizeToken } from '../session';

interface Props {
  /** why the last session ended: the server refused the token */
  refusal: ApiClientError | null;
  onSignedIn(token: string): void;
}

export function SignIn({ refusal, onSignedIn }: Props) {
  const { t } = useI18n();
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const token = normalizeToken(pasted);
    if (!token) {
      setProblem(t('signIn.tokenMissing'));
      return;
    }
    setProblem(null);
    void run(async () => {
      await createApiClient({ token }).listTechnicians();
      onSignedIn(token);
    });
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
          <label for="admin-token">{t('signIn.tokenLabel')}</label>
          <input
            id="admin-token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={pasted}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'admin-token-error' : 'admin-token-hint'}
            onInput={(e) => setPasted(e.currentTarget.value)}
            data-testid="sign-in-token"
          />
          {problem
            ? <p id="admin-token-error" class="field-error" data-testid="sign-in-token-error">{problem}</p>
            : <p id="admin-token-hint" class="hint">{t('signIn.tokenHint')}</p>}
        </div>
        <button type="submit" disabled={busy} data-testid="sign-in-submit">{busy ? t('signIn.checking') : t('signIn.submit')}</button>
      </form>
      {error !== null && <ErrorMessage error={error} testId="sign-in-error" />}
    </main>
  );
}
