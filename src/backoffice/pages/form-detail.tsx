// One form: seal check, every answer, the signature, the dispute's follow-up (when flagged), the time
// line, and conflicting submissions.
import type { FormDetail } from '../../domain/api';
import { roleText, signaturePoints } from '../../domain/form-view';
import { checklistOf } from '../checklist-labels';
import { ConflictTable } from '../components/conflict-table';
import { ErrorMessage, Loading } from '../components/feedback';
import { FormFlags } from '../components/flags';
import { PageHeading } from '../components/page-heading';
import { useApi, useI18n } from '../context';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { routeHash } from '../routes';
import { ChecklistSection, IncidentsSection, PartiesSection, RepairSection, SignOffSection } from './form-answers';
import { FormDisputeSection } from './form-dispute';
import { DeviceCheckView } from './device-check';
import { FormTimeline } from './form-timeline';
import { SignatureView } from './signature-view';
import { CustomerCopyCheck } from './customer-copy-check';

export function FormDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [detail] = useLoad(() => api.getForm(id), [api, id]);
  return (
    <section data-testid="page-form">
      <p class="back-link"><a href={routeHash({ page: 'forms', filter: {} })} data-testid="back-to-forms">{t('form.back')}</a></p>
      {detail.status === 'loading' && <><PageHeading title={t('form.title')} /><Loading /></>}
      {detail.status === 'error' && <><PageHeading title={t('form.title')} /><ErrorMessage error={detail.error} /></>}
      {detail.status === 'ok' && <FormDetailView detail={detail.data} />}
    </section>
  );
}

function FormDetailView({ detail }: { detail: FormDetail }) {
  const { t } = useI18n();
  const { form, summary } = detail;
  const checklist = checklistOf(form.checklist);
  return (
    <>
      <PageHeading title={t('form.heading', { customer: form.customer.name, date: form.visit.date })}>
        <FormFlags summary={summary} />
      </PageHeading>
      <SealCheck detail={detail} />
      <CustomerCopyCheck formId={form.id} seal={form.seal.hash} />
      <DeviceCheckView detail={detail} />
      <div class="detail-grid">
        <div class="detail-main">
          <PartiesSection form={form} />
          <ChecklistSection form={form} />
          <RepairSection form={form} />
          <IncidentsSection form={form} />
          <SignOffSection form={form} />
        </div>
        <div class="detail-side">
          <SignatureView formId={form.id} signature={{ ...form.signature, points: checklist ? signaturePoints(form, checklist) : [] }} signerName={checklist ? roleText(form, checklist, 'signer-name') : ''} />
        </div>
      </div>
      <FormDisputeSection summary={summary} />
      <FormTimeline form={form} summary={summary} />
      <section class="no-print" aria-labelledby="conflicts-heading" data-testid="form-conflicts">
        <h2 id="conflicts-heading">{t('form.conflicts')}</h2>
        {detail.conflicts.length === 0
          ? <p class="muted">{t('form.noConflicts')}</p>
          : <ConflictTable conflicts={detail.conflicts} caption={t('form.conflictsCaption')} linkForms={false} />}
      </section>
    </>
  );
}

function SealCheck({ detail }: { detail: FormDetail }) {
  const { t } = useI18n();
  const verified = detail.sealCheck === 'verified';
  return (
    <section class={verified ? 'seal seal-ok' : 'seal seal-failed'} aria-labelledby="seal-heading" data-testid="seal-check" data-seal={detail.sealCheck}>
      <h2 id="seal-heading">{verified ? t('seal.verified') : t('seal.failed')}</h2>
      <p>{verified ? t('seal.verifiedHelp') : t('seal.failedHelp')}</p>
      <dl class="pairs">
        <dt>{t('seal.hash')}</dt>
        <dd><code class="hash" data-testid="seal-hash">{detail.form.seal.hash}</code></dd>
        <dt>{t('seal.sealedAt')}</dt>
        <dd class="time">{formatDateTime(detail.form.sealedAt)}</dd>
        <dt>{t('seal.receivedAt')}</dt>
        <dd class="time">{formatDateTime(detail.summary.receivedAt)}</dd>
        <dt>{t('seal.formId')}</dt>
        <dd><code>{detail.form.id}</code></dd>
      </dl>
    </section>
  );
}
