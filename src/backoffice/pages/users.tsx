// Users (admins only): add one with a role and an initial password; change a role, disable or enable,
// unlock after failed sign-ins, reset a password. Every change lands in the audit log.
import { useState } from 'preact/hooks';
import { PASSWORD_MIN_LENGTH, ROLES, type Role, type UserChange, type UserRecord } from '../../domain/accounts';
import { ApiClientError } from '../api-client';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useI18n, useSession } from '../context';
import { fieldErrorMap } from '../error-text';
import { formatDateTime } from '../format';
import { useAction, useLoad } from '../hooks';
import type { Translate } from '../i18n';

export function UsersPage() {
  const { t } = useI18n();
  const { accounts } = useSession();
  const [users, reload] = useLoad(() => accounts.listUsers(), [accounts]);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setNotice(message);
    reload();
  };
  return (
    <section data-testid="page-users">
      <PageHeading title={t('users.title')} />
      {notice && <Notice testId="users-notice">{notice}</Notice>}
      <AddUser onAdded={(user) => done(t('users.added', { name: user.name }))} />
      <h2>{t('users.list')}</h2>
      {users.status === 'error' && <ErrorMessage error={users.error} />}
      {users.status === 'loading' && users.data === undefined && <Loading />}
      {users.data && (users.data.length === 0
        ? <Empty testId="users-empty">{t('users.none')}</Empty>
        : (
          <TableWrap label={t('users.list')}>
            <table data-testid="users-table">
              <caption class="visually-hidden">{t('users.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('users.col.name')}</th>
                  <th scope="col">{t('users.col.displayName')}</th>
                  <th scope="col">{t('users.col.role')}</th>
                  <th scope="col">{t('users.col.status')}</th>
                  <th scope="col">{t('users.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => <UserRow key={user.id} user={user} onChanged={() => done(t('users.changed', { name: user.name }))} />)}
              </tbody>
            </table>
          </TableWrap>
        ))}
    </section>
  );
}

function statusText(user: UserRecord, t: Translate): string {
  if (user.disabledAt) return t('users.status.disabled', { at: formatDateTime(user.disabledAt) });
  if (user.lockedUntil && Date.parse(user.lockedUntil) > Date.now()) return t('users.status.locked', { at: formatDateTime(user.lockedUntil) });
  return t('users.status.active');
}

function UserRow({ user, onChanged }: { user: UserRecord; onChanged(): void }) {
  const { t } = useI18n();
  const { accounts } = useSession();
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const change = (c: UserChange) => void run(async () => {
    await accounts.changeUser(user.id, c);
    setPassword('');
    onChanged();
  });
  const roleId = `user-role-${user.id}`;
  const passwordId = `user-password-${user.id}`;
  const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();
  return (
    <tr data-testid="user-row" data-user-name={user.name} class={user.disabledAt ? 'row-muted' : undefined}>
      <th scope="row"><code>{user.name}</code></th>
      <td>{user.displayName}</td>
      <td>
        <label for={roleId} class="visually-hidden">{t('users.changeRoleFor', { name: user.name })}</label>
        <select id={roleId} value={user.role} disabled={busy} onChange={(e) => change({ role: e.currentTarget.value as Role })} data-testid="user-role">
          {ROLES.map((role) => <option key={role} value={role}>{t(`role.${role}`)}</option>)}
        </select>
      </td>
      <td data-testid="user-status">{statusText(user, t)}</td>
      <td class="actions">
        {user.disabledAt
          ? <button type="button" class="secondary" disabled={busy} onClick={() => change({ disabled: false })} data-testid="user-enable">{t('users.enable')}</button>
          : <button type="button" class="danger" disabled={busy} onClick={() => change({ disabled: true })} data-testid="user-disable">{t('users.disable')}</button>}
        {locked && <button type="button" class="secondary" disabled={busy} onClick={() => change({ unlock: true })} data-testid="user-unlock">{t('users.unlock')}</button>}
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); if (password) change({ password }); }} data-testid="user-reset">
          <label for={passwordId} class="visually-hidden">{t('users.newPassword', { name: user.name })}</label>
          <input id={passwordId} type="password" autoComplete="new-password" value={password} minLength={PASSWORD_MIN_LENGTH} maxLength={200}
            placeholder={t('users.resetPassword')} onInput={(e) => setPassword(e.currentTarget.value)} data-testid="user-new-password" />
          <button type="submit" class="secondary" disabled={busy || password === ''} data-testid="user-reset-submit">{t('users.resetSubmit')}</button>
        </form>
        {error !== null && <ErrorMessage error={error} testId="user-error" />}
      </td>
    </tr>
  );
}

function AddUser({ onAdded }: { onAdded(user: UserRecord): void }) {
  const { t } = useI18n();
  const { accounts } = useSession();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('customer-service');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const errors = error instanceof ApiClientError ? fieldErrorMap(error.fieldErrors) : {};
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const user = await accounts.createUser({ name: name.trim(), displayName: displayName.trim(), role, password });
      setName('');
      setDisplayName('');
      setPassword('');
      onAdded(user);
    });
  };
  const field = (id: string, label: string, key: string, input: preact.JSX.Element, hint?: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      {input}
      {errors[key] ? <p id={`${id}-error`} class="field-error">{errors[key]}</p> : hint && <p class="hint">{hint}</p>}
    </div>
  );
  return (
    <form class="card inline-form" onSubmit={submit} noValidate aria-labelledby="add-user-heading" data-testid="add-user">
      <h2 id="add-user-heading">{t('users.add')}</h2>
      {field('new-user-name', t('users.col.name'), 'name',
        <input id="new-user-name" value={name} maxLength={64} autoComplete="off" spellcheck={false} aria-invalid={errors.name ? true : undefined}
          onInput={(e) => setName(e.currentTarget.value)} data-testid="new-user-name" />)}
      {field('new-user-display', t('users.col.displayName'), 'displayName',
        <input id="new-user-display" value={displayName} maxLength={100} autoComplete="off" aria-invalid={errors.displayName ? true : undefined}
          onInput={(e) => setDisplayName(e.currentTarget.value)} data-testid="new-user-display-name" />)}
      {field('new-user-role', t('users.col.role'), 'role',
        <select id="new-user-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} data-testid="new-user-role">
          {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
        </select>)}
      {field('new-user-password', t('users.col.password'), 'password',
        <input id="new-user-password" type="password" autoComplete="new-password" value={password} maxLength={200} aria-invalid={errors.password ? true : undefined}
          onInput={(e) => setPassword(e.currentTarget.value)} data-testid="new-user-password" />, t('users.passwordHint'))}
      <button type="submit" disabled={busy} data-testid="add-user-submit">{t('users.addSubmit')}</button>
      {error !== null && <ErrorMessage error={error} testId="add-user-error" />}
    </form>
  );
}
