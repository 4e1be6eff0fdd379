// The customer copy (用户联) of a sealed form: every answer, the time line and the signature, rendered
// offline from what IndexedDB holds (the signature from its stored PNG bytes). Printable. Loaded on demand.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { itemById, prohibitionRules, ruleById } from '../../domain/checklist';
import { answerRows, conductAnswers, roleText, type AnswerRow } from '../../domain/form-view';
import { AnswerView } from '../components/answer-view';
import type { SealedCopy } from '../../device/drafts';
import { useI18n, useServices } from '../context';
import '../i18n/screens'; // this screen's messages
import { eventLines, incidentLines } from '../describe-text';
import { describeError } from '../errors';
import { href } from '../router';
import { VerifyQr } from './verify-qr';

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="copy-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The stored PNG as an image; the object URL lives as long as the page shows it. */
function SignatureImage({ copy, alt }: { copy: SealedCopy; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([copy.signature.bytes], { type: copy.signature.mime }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [copy]);
  const { width, height } = copy.stored.form.signature;
  return url ? <img class="copy-signature" src={url} width={width} height={height} alt={alt} data-testid="copy-signature" /> : null;
}

export function CustomerCopy({ formId }: { formId: string }) {
  const services = useServices();
  const i18n = useI18n();
  const { t, text, time, locale } = i18n;
  const [copy, setCopy] = useState<SealedCopy | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void services.drafts.sealedCopy(formId).then((c) => setCopy(c ?? null), setError), [formId]);

  if (error) return <p role="alert" class="alert">{describeError(i18n, error)}</p>;
  if (copy === undefined) return <p class="muted" aria-busy="true">{t('common.loading')}</p>;
  if (copy === null) return <p role="alert" class="alert">{t('copy.notFound')}</p>;
  const { checklist } = copy;
  const form = copy.stored.form;
  if (!checklist) return <p role="alert" class="alert">{t('draft.unknownChecklist', { checklist: `${form.checklist.id} v${form.checklist.version}` })}</p>;
  const none = <span class="muted">{t('copy.none')}</span>;
  const itemText = (id: string) => {
    const item = itemById(checklist, id);
    return item ? text(item.text) : id;
  };
  const ruleText = (id: string) => {
    const rule = ruleById(checklist, id);
    return rule ? text(rule.text) : id;
  };
  // the answers as the form's own version lays them out: the technician's, then the customer's
  const rows = answerRows(form, checklist);
  const shownApart = (row: AnswerRow) => ['conduct', 'attestation', 'signature'].includes(row.spec.value.type);
  const technicianRows = rows.filter((row) => row.spec.by === 'technician' && !shownApart(row));
  const customerRows = rows.filter((row) => row.spec.by === 'customer' && !shownApart(row));
  const answered = (list: AnswerRow[]) => list.map((row) => (
    <Row key={row.item.id} label={text(row.item.text)}><AnswerView spec={row.spec.value} value={row.value} /></Row>
  ));
  const conductItem = rows.find((row) => row.spec.value.type === 'conduct')!.item.id;
  const attestationItem = rows.find((row) => row.spec.value.type === 'attestation')!.item.id;
  const { conduct, attestation } = conductAnswers(form, checklist);
  const signerName = roleText(form, checklist, 'signer-name');

  return (
    <article class="copy" aria-labelledby="copy-title" data-testid="customer-copy">
      <div class="copy-actions no-print">
        <button type="button" class="button button-primary" onClick={() => print()} data-testid="copy-print">{t('copy.print')}</button>
        <a class="button" href={href({ name: 'visit', formId })}>{t('copy.back')}</a>
      </div>
      <h1 id="copy-title">{t('copy.title')}</h1>
      <VerifyQr formId={form.id} seal={form.seal.hash} />
      <dl class="copy-list">
        <Row label={t('copy.visit')}>{form.visit.id}</Row>
        <Row label={t('copy.date')}>{form.visit.date}{form.visit.festival ? ` · ${text(form.visit.festival.name)}` : ''}</Row>
        <Row label={t('new.customer')}>{[form.customer.name, form.customer.phone, form.customer.address].filter(Boolean).join(' · ')}</Row>
        <Row label={t('new.equipment')}>{[form.equipment.type, form.equipment.model, form.equipment.serial].filter(Boolean).join(' · ')}</Row>
        <Row label={t('copy.technician')}>{form.technician.name}</Row>
        <Row label={t('copy.checklist')}>{text(checklist.title)} (v{form.checklist.version})</Row>
        {answered(technicianRows)}
        <Row label={t('copy.testRuns')}>
          <ul>
            {form.testRuns.map((run, i) => (
              <li key={i}>{time(run.at)} {t(`test.by.${run.by}`)} · {t('test.round', { round: run.round })} · {t(run.passed ? 'test.passed' : 'test.failed')}{run.note ? ` — ${run.note}` : ''}</li>
            ))}
          </ul>
        </Row>
        <Row label={t('copy.incidents')}>
          {form.incidents.length === 0 ? none : (
            <ul>{incidentLines(locale, checklist, form.incidents, form.events).map((line, i) => <li key={i}>{time(form.incidents[i]!.at)} {line} · {ruleText(form.incidents[i]!.rule)}</li>)}</ul>
          )}
        </Row>
        {answered(customerRows)}
        <Row label={itemText(conductItem)}>
          <ul>{prohibitionRules(checklist).map((rule) => <li key={rule.id}>{text(rule.text)}: <strong>{t(conduct[rule.id] === 'kept' ? 'sign.kept' : 'sign.notKept')}</strong></li>)}</ul>
        </Row>
        <Row label={itemText(attestationItem)}>
          <ul>{attestation.map((id) => <li key={id}>✓ {ruleText(id)}</li>)}</ul>
        </Row>
      </dl>
      <h2>{t('copy.items')}</h2>
      <ul class="copy-items">
        {form.items.map((item) => (
          <li key={item.id}>{itemText(item.id)}: {t(`copy.outcome.${item.outcome}`)}{item.at ? ` (${time(item.at)})` : ''}</li>
        ))}
      </ul>
      <h2>{t('copy.signature')}</h2>
      <SignatureImage copy={copy} alt={`${t('copy.signature')}: ${signerName}`} />
      <p>{t('copy.signer')}: {signerName}</p>
      <h2>{t('copy.timeline')}</h2>
      <ol class="timeline" data-testid="copy-timeline">
        {eventLines(locale, checklist, form.events).map((line, i) => (
          <li key={i}><time dateTime={form.events[i]!.at}>{time(form.events[i]!.at, true)}</time> {line}</li>
        ))}
      </ol>
      <p class="copy-seal">{t('copy.seal')} (SHA-256): <code class="hash">{form.seal.hash}</code></p>
    </article>
  );
}
