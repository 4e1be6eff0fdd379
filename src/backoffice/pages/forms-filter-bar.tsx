// The forms list's filters. Applying one changes the URL hash, so the view is a link a clerk can share.
import { useState } from 'preact/hooks';
import type { FormFilter, TechnicianRecord } from '../../domain/api';
import { TechnicianSelect } from '../components/technician-select';
import { useI18n } from '../context';
import { FORM_STATES, SATISFACTIONS, filterToParams, paramsToFilter } from '../form-filter';
import { navigate } from '../hooks';

interface Draft { from: string; to: string; technician: string; state: string; dispute: string; satisfaction: string }

// the draft holds the inputs' texts; the filter's own query-parameter form converts both ways
const toDraft = (filter: FormFilter): Draft => {
  const params = filterToParams(filter);
  const get = (key: keyof Draft) => params.get(key) ?? '';
  return { from: get('from'), to: get('to'), technician: get('technician'), state: get('state'), dispute: get('dispute'), satisfaction: get('satisfaction') };
};

const fromDraft = (draft: Draft): FormFilter => paramsToFilter(new URLSearchParams(Object.entries(draft).filter(([, value]) => value !== '')));

/** Mount it with `key={filterKey(filter)}`: a new hash (the back button, a pasted link) starts a fresh draft. */
export function FormsFilterBar({ filter, technicians }: { filter: FormFilter; technicians: readonly TechnicianRecord[] }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => toDraft(filter));
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const onValue = (key: keyof Draft) => (e: Event) => set(key)((e.currentTarget as HTMLInputElement | HTMLSelectElement).value);

  const apply = (event: Event) => {
    event.preventDefault();
    navigate({ page: 'forms', filter: fromDraft(draft) });
  };

  return (
    <form class="filter-bar" onSubmit={apply} aria-label={t('forms.filters')} data-testid="forms-filter">
      <div class="field">
        <label for="filter-from">{t('forms.filter.from')}</label>
        <input id="filter-from" type="date" value={draft.from} max={draft.to || undefined} onInput={onValue('from')} data-testid="filter-from" />
      </div>
      <div class="field">
        <label for="filter-to">{t('forms.filter.to')}</label>
        <input id="filter-to" type="date" value={draft.to} min={draft.from || undefined} onInput={onValue('to')} data-testid="filter-to" />
      </div>
      <div class="field">
        <label for="filter-technician">{t('forms.filter.technician')}</label>
        <TechnicianSelect id="filter-technician" technicians={technicians} value={draft.technician} onChange={set('technician')} noneLabel={t('common.all')} testId="filter-technician" />
      </div>
      <div class="field">
        <label for="filter-state">{t('forms.filter.state')}</label>
        <select id="filter-state" value={draft.state} onChange={onValue('state')} data-testid="filter-state">
          <option value="">{t('common.all')}</option>
          {FORM_STATES.map((s) => <option key={s} value={s}>{t(`state.${s}`)}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="filter-dispute">{t('forms.filter.dispute')}</label>
        <select id="filter-dispute" value={draft.dispute} onChange={onValue('dispute')} data-testid="filter-dispute">
          <option value="">{t('common.all')}</option>
          <option value="true">{t('common.yes')}</option>
          <option value="false">{t('common.no')}</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-satisfaction">{t('forms.filter.satisfaction')}</label>
        <select id="filter-satisfaction" value={draft.satisfaction} onChange={onValue('satisfaction')} data-testid="filter-satisfaction">
          <option value="">{t('common.all')}</option>
          {SATISFACTIONS.map((n) => <option key={n} value={String(n)}>{n}</option>)}
        </select>
      </div>
      <div class="filter-actions">
        <button type="submit" data-testid="filter-apply">{t('forms.filter.apply')}</button>
        <button type="button" class="secondary" onClick={() => navigate({ page: 'forms', filter: {} })} data-testid="filter-clear">{t('forms.filter.clear')}</button>
      </div>
    </form>
  );
}
