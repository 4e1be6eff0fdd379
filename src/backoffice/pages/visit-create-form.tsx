// "New visit": checked with DispatchedVisitSchema before it is sent; every error (ours or the
// server's) shows beside the field it is about.
import { useState } from 'preact/hooks';
import type { DispatchedVisit, TechnicianRecord } from '../../domain/api';
import { ApiClientError } from '../api-client';
import { ErrorMessage, Notice } from '../components/feedback';
import { TechnicianSelect } from '../components/technician-select';
import { useApi, useI18n } from '../context';
import { fieldErrorMap } from '../error-text';
import { todayInShanghai } from '../format';
import { useAction } from '../hooks';
import { checkVisitDraft, emptyVisitDraft, VISIT_FIELD_PATHS, type VisitDraft } from '../visit-form';

type TextKey = Exclude<keyof VisitDraft, 'firstVisit' | 'technicianId'>;

const TEXT_FIELDS: Array<{ key: TextKey; type?: string; maxLength: number; required?: boolean; multiline?: boolean }> = [
  { key: 'id', maxLength: 64 },
  { key: 'scheduledDate', type: 'date', maxLength: 10, required: true },
  { key: 'customerName', maxLength: 200, required: true },
  { key: 'customerPhone', type: 'tel', maxLength: 40 },
  { key: 'customerAddress', maxLength: 400 },
  { key: 'equipmentType', maxLength: 200, required: true },
  { key: 'equipmentModel', maxLength: 200 },
  { key: 'equipmentSerial', maxLength: 200 },
  { key: 'notes', maxLength: 2000, multiline: true },
];

export function VisitCreateForm({ technicians, onCreated }: { technicians: readonly TechnicianRecord[]; onCreated(visit: DispatchedVisit): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [draft, setDraft] = useState(() => emptyVisitDraft(todayInShanghai()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<DispatchedVisit | null>(null);
  const { busy, error, run } = useAction();
  const serverErrors = error instanceof ApiClientError ? fieldErrorMap(error.fieldErrors) : {};
  const errorFor = (key: keyof VisitDraft) => errors[VISIT_FIELD_PATHS[key]] ?? serverErrors[VISIT_FIELD_PATHS[key]];
  const set = <K extends keyof VisitDraft>(key: K, value: VisitDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (event: Event) => {
    event.preventDefault();
    setCreated(null);
    const check = checkVisitDraft(draft, t);
    setErrors(check.ok ? {} : check.errors);
    if (!check.ok) {
      // take the clerk to the first field that needs them
      const first = Object.keys(VISIT_FIELD_PATHS).find((key) => check.errors[VISIT_FIELD_PATHS[key as keyof VisitDraft]]);
      if (first) document.getElementById(`visit-${first}`)?.focus();
      return;
    }
    void run(async () => {
      const visit = await api.createVisit(check.visit);
      setCreated(visit);
      // the next visit is often for the same technician on the same day
      setDraft((d) => ({ ...emptyVisitDraft(d.scheduledDate), technicianId: d.technicianId }));
      onCreated(visit);
    });
  };

  const technicianError = errorFor('technicianId');
  return (
    <form class="card visit-form" onSubmit={submit} noValidate aria-labelledby="visit-create-heading" data-testid="visit-create">
      <h2 id="visit-create-heading">{t('visits.create')}</h2>
      <div class="form-grid">
        <div class="field">
          <label for="visit-technicianId">{t('visits.technician')}<span aria-hidden="true"> *</span></label>
          <TechnicianSelect id="visit-technicianId" technicians={technicians} value={draft.technicianId} onChange={(v) => set('technicianId', v)}
            noneLabel={t('visits.chooseTechnician')} testId="visit-technicianId" required errorId={technicianError ? 'visit-technicianId-error' : undefined} />
          {technicianError && <p id="visit-technicianId-error" class="field-error" data-testid="visit-technicianId-error">{technicianError}</p>}
        </div>
        {TEXT_FIELDS.map(({ key, type, maxLength, required, multiline }) => {
          const id = `visit-${key}`;
          const fieldError = errorFor(key);
          const common = {
            id,
            value: draft[key],
            maxLength,
            required,
            'aria-invalid': fieldError ? true : undefined,
            'aria-describedby': fieldError ? `${id}-error` : key === 'id' ? 'visit-id-hint' : undefined,
            'data-testid': id,
            onInput: (e: Event) => set(key, (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
          };
          return (
            <div class={multiline ? 'field wide' : 'field'} key={key}>
              <label for={id}>{t(`visits.field.${key}`)}{required && <span aria-hidden="true"> *</span>}</label>
              {multiline ? <textarea rows={3} {...common} /> : <input type={type ?? 'text'} autoComplete="off" {...common} />}
              {key === 'id' && !fieldError && <p id="visit-id-hint" class="hint">{t('visits.idHint')}</p>}
              {fieldError && <p id={`${id}-error`} class="field-error" data-testid={`${id}-error`}>{fieldError}</p>}
            </div>
          );
        })}
        <div class="field checkbox">
          <input id="visit-firstVisit" type="checkbox" checked={draft.firstVisit} onChange={(e) => set('firstVisit', e.currentTarget.checked)} data-testid="visit-firstVisit" />
          <label for="visit-firstVisit">{t('visits.field.firstVisit')}</label>
        </div>
      </div>
      <button type="submit" disabled={busy} data-testid="visit-create-submit">{t('visits.createSubmit')}</button>
      {error !== null && <ErrorMessage error={error} testId="visit-create-error" />}
      {created && <Notice testId="visit-created">{t('visits.createdOne', { id: created.id })}</Notice>}
    </form>
  );
}
