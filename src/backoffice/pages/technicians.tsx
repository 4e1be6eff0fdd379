// Technicians: add one, make a one-time enrollment code to read out to them, revoke a lost phone's access.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TechnicianRecord } from '../../domain/api';
import { ApiClientError, type EnrollmentCode } from '../api-client';
import { Empty, ErrorMessage, Loading, Notice } from '../components/feedback';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useApi, useI18n, useMay } from '../context';
import { fieldErrorMap } from '../error-text';
import { formatDateTime } from '../format';
import { useAction, useLoad } from '../hooks';
import type { Translate } from '../i18n';

interface IssuedCode extends EnrollmentCode { technician: TechnicianRecord }

export function TechniciansPage() {
  const { t } = useI18n();
  const api = useApi();
  const [technicians, reload] = useLoad(() => api.listTechnicians(), [api]);
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const manage = useMay()('technicians.manage');
  return (
    <section data-testid="page-technicians">
      <PageHeading title={t('technicians.title')} />
      {issued && <CodePanel issued={issued} onDone={() => setIssued(null)} />}
      {notice && <Notice testId="technicians-notice">{notice}</Notice>}
      {manage && <AddTechnician onAdded={(tech) => { setNotice(t('technicians.added', { name: tech.name })); reload(); }} />}
      <h2>{t('technicians.list')}</h2>
      {technicians.status === 'error' && <ErrorMessage error={technicians.error} />}
      {technicians.status === 'loading' && technicians.data === undefined && <Loading />}
      {technicians.data && (technicians.data.length === 0
        ? <Empty testId="technicians-empty">{t('technicians.none')}</Empty>
        : (
          <TableWrap label={t('technicians.list')}>
            <table data-testid="technicians-table">
              <caption class="visually-hidden">{t('technicians.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('technicians.col.name')}</th>
                  <th scope="col">{t('technicians.col.phone')}</th>
                  <th scope="col">{t('technicians.col.id')}</th>
                  <th scope="col">{t('technicians.col.status')}</th>
                  {manage && <th scope="col">{t('technicians.col.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {technicians.data.map((tech) => (
                  <TechnicianRow
                    key={tech.id}
                    technician={tech}
                    manage={manage}
                    onCode={(code) => { setNotice(null); setIssued({ ...code, technician: tech }); }}
                    onRevoked={() => { setNotice(t('technicians.revokedNotice', { name: tech.name })); if (issued?.technician.id === tech.id) setIssued(null); reload(); }}
                  />
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
    </section>
  );
}

function statusText(tech: TechnicianRecord, t: Translate): string {
  if (tech.revokedAt) return t('technicians.status.revoked', { at: formatDateTime(tech.revokedAt) });
  if (tech.enrolledAt) return t('technicians.status.enrolled', { at: formatDateTime(tech.enrolledAt) });
  return t('technicians.status.notEnrolled');
}

function TechnicianRow({ technician, manage, onCode, onRevoked }: { technician: TechnicianRecord; manage: boolean; onCode(code: EnrollmentCode): void; onRevoked(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const revoked = technician.revokedAt !== null;
  // the button pressed disappears with the question: keep the focus on the row, on the safe answer first
  const revokeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
    else if (asked.current) revokeButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  const questionId = `revoke-question-${technician.id}`;
  return (
    <tr data-testid="technician-row" data-technician-id={technician.id} class={revoked ? 'row-muted' : undefined}>
      <th scope="row">{technician.name}</th>
      <td>{technician.phone || '—'}</td>
      <td><code>{technician.id}</code></td>
      <td data-testid="technician-status" data-status={revoked ? 'revoked' : technician.enrolledAt ? 'enrolled' : 'not-enrolled'}>{statusText(technician, t)}</td>
      {manage && <td class="actions">
        {!revoked && !confirming && (
          <>
            <button type="button" disabled={busy} aria-label={t('technicians.makeCodeFor', { name: technician.name })}
              onClick={() => void run(async () => onCode(await api.createEnrollmentCode(technician.id)))} data-testid="make-code">
              {t('technicians.makeCode')}
            </button>
            <button type="button" class="danger" disabled={busy} aria-label={t('technicians.revokeFor', { name: technician.name })}
              ref={revokeButton} onClick={() => setConfirming(true)} data-testid="revoke">
              {t('technicians.revoke')}
            </button>
          </>
        )}
        {confirming && (
          <div class="confirm" role="group" aria-labelledby={questionId} data-testid="revoke-confirm">
            <p id={questionId}>{t('technicians.confirmRevoke', { name: technician.name })}</p>
            <button type="button" class="danger" disabled={busy}
              onClick={() => void run(async () => { await api.revokeTechnician(technician.id); setConfirming(false); onRevoked(); })} data-testid="revoke-confirm-yes">
              {t('technicians.revokeYes')}
            </button>
            <button type="button" class="secondary" disabled={busy} ref={cancelButton} onClick={() => setConfirming(false)} data-testid="revoke-confirm-no">{t('common.cancel')}</button>
          </div>
        )}
        {error !== null && <ErrorMessage error={error} testId="technician-error" />}
      </td>}
    </tr>
  );
}

function CodePanel({ issued, onDone }: { issued: IssuedCode; onDone(): void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  // the clerk is about to read the code out: take them (and their screen reader) straight to it
  useEffect(() => {
    heading.current?.focus();
  }, [issued]);
  return (
    <section class="code-panel" aria-labelledby="code-heading" data-testid="enrollment-code-panel">
      <h2 id="code-heading" ref={heading} tabIndex={-1}>{t('technicians.codeFor', { name: issued.technician.name })}</h2>
      <p class="enrollment-code" data-testid="enrollment-code">{issued.code}</p>
      <p>{t('technicians.codeExpires', { at: formatDateTime(issued.expiresAt) })}</p>
      <p class="hint">{t('technicians.codeHelp')}</p>
      <button type="button" class="secondary" onClick={onDone} data-testid="enrollment-code-done">{t('technicians.codeDone')}</button>
    </section>
  );
}

function AddTechnician({ onAdded }: { onAdded(tech: TechnicianRecord): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [nameMissing, setNameMissing] = useState(false);
  const { busy, error, run } = useAction();
  const serverErrors = error instanceof ApiClientError ? fieldErrorMap(error.fieldErrors) : {};
  const nameError = nameMissing ? t('validation.required') : serverErrors.name;
  const phoneError = serverErrors.phone;
  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameMissing(trimmed === '');
    if (trimmed === '') return;
    void run(async () => {
      const tech = await api.createTechnician(phone.trim() === '' ? { name: trimmed } : { name: trimmed, phone: phone.trim() });
      setName('');
      setPhone('');
      onAdded(tech);
    });
  };
  return (
    <form class="card inline-form" onSubmit={submit} noValidate aria-labelledby="add-technician-heading" data-testid="add-technician">
      <h2 id="add-technician-heading">{t('technicians.add')}</h2>
      <div class="field">
        <label for="technician-name">{t('technicians.col.name')}</label>
        <input id="technician-name" value={name} maxLength={200} required autoComplete="off"
          aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? 'technician-name-error' : undefined}
          onInput={(e) => setName(e.currentTarget.value)} data-testid="technician-name" />
        {nameError && <p id="technician-name-error" class="field-error">{nameError}</p>}
      </div>
      <div class="field">
        <label for="technician-phone">{t('technicians.col.phone')}</label>
        <input id="technician-phone" type="tel" value={phone} maxLength={40} autoComplete="off"
          aria-invalid={phoneError ? true : undefined} aria-describedby={phoneError ? 'technician-phone-error' : undefined}
          onInput={(e) => setPhone(e.currentTarget.value)} data-testid="technician-phone" />
        {phoneError && <p id="technician-phone-error" class="field-error">{phoneError}</p>}
      </div>
      <button type="submit" disabled={busy} data-testid="technician-add">{t('technicians.addSubmit')}</button>
      {error !== null && <ErrorMessage error={error} testId="add-technician-error" />}
    </form>
  );
}
