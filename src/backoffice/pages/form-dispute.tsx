// The form page's dispute follow-up, for a form with a dispute or a conduct breach: where it stands,
// its thread, and for customer service the controls of the disputes page (assign, note, resolve, reopen).
import { useState } from 'preact/hooks';
import type { FormSummary } from '../../domain/api';
import { DisputeWork } from '../components/dispute-work';
import { Notice } from '../components/feedback';
import { useI18n } from '../context';

export function FormDisputeSection({ summary }: { summary: FormSummary }) {
  const { t } = useI18n();
  const [notice, setNotice] = useState<string | null>(null);
  if (!summary.dispute && !summary.conductBreach) return null;
  return (
    <section aria-labelledby="dispute-heading" data-testid="form-dispute">
      <h2 id="dispute-heading">{t('form.section.dispute')}</h2>
      {notice && <Notice testId="dispute-notice">{notice}</Notice>}
      <DisputeWork formId={summary.id} onChanged={setNotice} withStatus />
    </section>
  );
}
