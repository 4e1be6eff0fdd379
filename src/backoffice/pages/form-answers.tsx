// Every answer of a sealed form, grouped as the paper form (维修服务单) groups them. Customer text is
// rendered as text, never as markup.
import type { ComponentChildren } from 'preact';
import type { Checklist } from '../../domain/checklist';
import type { SealedForm } from '../../domain/form-schema';
import { answerRows, conductAnswers, type AnswerRow } from '../../domain/form-view';
import { AnswerView } from '../components/answer-view';
import { checklistOf, itemLabel, prohibitions, ruleLabel, stepLabel } from '../checklist-labels';
import { IncidentTable } from '../components/incident-table';
import { TableWrap } from '../components/table-wrap';
import { useI18n } from '../context';
import { routeHash } from '../routes';
import { formatDateTime } from '../format';

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    // not a named region: its tables are the scrollable regions, named like the section
    <section class="card" data-testid={`section-${id}`}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Pair({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children === '' ? <span class="muted">—</span> : children}</dd>
    </>
  );
}

export function PartiesSection({ form }: { form: SealedForm }) {
  const { lang, t } = useI18n();
  return (
    <Section id="parties" title={t('form.section.parties')}>
      <dl class="pairs">
        <Pair label={t('form.visitId')}><code>{form.visit.id}</code></Pair>
        <Pair label={t('form.visitDate')}>{form.visit.date}</Pair>
        <Pair label={t('form.firstVisit')}>{form.visit.firstVisit ? t('common.yes') : t('common.no')}</Pair>
        <Pair label={t('form.festival')}>{form.visit.festival ? form.visit.festival.name[lang] : t('common.none')}</Pair>
        <Pair label={t('form.customerName')} testId="answer-customer-name">{form.customer.name}</Pair>
        <Pair label={t('form.customerPhone')}>{form.customer.phone}</Pair>
        <Pair label={t('form.customerAddress')}>{form.customer.address}</Pair>
        <Pair label={t('form.equipmentType')}>{form.equipment.type}</Pair>
        <Pair label={t('form.equipmentModel')}>{form.equipment.model}</Pair>
        <Pair label={t('form.equipmentSerial')}>
          {form.equipment.serial === '' ? <span class="muted">{t('common.none')}</span> : (
            <a href={routeHash({ page: 'equipment', serial: form.equipment.serial })} title={t('equipment.serialLink')} data-testid="serial-link">{form.equipment.serial}</a>
          )}
        </Pair>
        <Pair label={t('form.technician')}>{form.technician.name} <span class="muted">({form.technician.id})</span></Pair>
      </dl>
    </Section>
  );
}

export function ChecklistSection({ form }: { form: SealedForm }) {
  const { lang, t } = useI18n();
  const checklist = checklistOf(form.checklist);
  return (
    <Section id="checklist" title={t('form.section.checklist')}>
      <p data-testid="checklist-ref">{t('form.checklistRef', { id: form.checklist.id, version: form.checklist.version })} · <span data-testid="format-version">{t('form.formatVersion', { version: form.formatVersion })}</span></p>
      {!checklist && <p class="warning" data-testid="checklist-unknown">{t('form.checklistUnknown')}</p>}
      <TableWrap label={t('form.section.checklist')}>
        <table data-testid="checklist-items">
          <caption class="visually-hidden">{t('form.section.checklist')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('form.item')}</th>
              <th scope="col">{t('form.outcome')}</th>
              <th scope="col">{t('form.doneAt')}</th>
            </tr>
          </thead>
          <tbody>
            {form.items.map((item) => (
              <tr key={item.id} data-testid="checklist-item" data-item-id={item.id} class={item.outcome === 'not-done' ? 'row-flagged' : undefined}>
                <th scope="row">{itemLabel(checklist, item.id, lang)}</th>
                <td>{t(`outcome.${item.outcome}`)}</td>
                <td class="time">{item.at ? formatDateTime(item.at) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Section>
  );
}

const SHOWN_APART = ['conduct', 'attestation', 'signature'];

/** One side's answers in the order of the form's own version; the four prohibitions and the signature are shown apart. */
function sideRows(form: SealedForm, checklist: Checklist, by: 'technician' | 'customer'): AnswerRow[] {
  return answerRows(form, checklist).filter((row) => row.spec.by === by && !SHOWN_APART.includes(row.spec.value.type));
}

function Answers({ rows }: { rows: AnswerRow[] }) {
  const { lang } = useI18n();
  return (
    <>
      {rows.map((row) => (
        <div key={row.item.id} data-item-id={row.item.id}>
          <h3>{row.item.text[lang]}</h3>
          <AnswerView spec={row.spec.value} value={row.value} testId={`answer-${row.item.id}`} />
        </div>
      ))}
    </>
  );
}

export function RepairSection({ form }: { form: SealedForm }) {
  const { lang, t } = useI18n();
  const checklist = checklistOf(form.checklist);
  return (
    <Section id="repair" title={t('form.section.repair')}>
      {checklist ? <Answers rows={sideRows(form, checklist, 'technician')} /> : <p class="warning">{t('form.checklistUnknown')}</p>}
      <h3>{t('form.testRuns')}</h3>
      <TableWrap label={t('form.testRuns')}>
        <table data-testid="answer-test-runs">
          <caption class="visually-hidden">{t('form.testRuns')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('form.testBy')}</th>
              <th scope="col">{t('form.testRound')}</th>
              <th scope="col">{t('form.testResult')}</th>
              <th scope="col">{t('form.testNote')}</th>
              <th scope="col">{t('form.testAt')}</th>
            </tr>
          </thead>
          <tbody>
            {form.testRuns.map((run, i) => (
              <tr key={i} data-testid="test-run" class={run.passed ? undefined : 'row-flagged'}>
                <td>{stepLabel(checklistOf(form.checklist), run.by === 'technician' ? 'technician-test' : 'customer-test', lang)}</td>
                <td class="num">{run.round}</td>
                <td>{run.passed ? t('test.passed') : t('test.failed')}</td>
                <td class="prose">{run.note}</td>
                <td class="time">{formatDateTime(run.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Section>
  );
}

export function IncidentsSection({ form }: { form: SealedForm }) {
  const { t } = useI18n();
  return (
    <Section id="incidents" title={t('form.section.incidents')}>
      {form.incidents.length === 0
        ? <p class="muted" data-testid="incidents-none">{t('form.noIncidents')}</p>
        : <IncidentTable incidents={form.incidents} events={form.events} checklist={checklistOf(form.checklist) ?? null} caption={t('form.section.incidents')} hideCaption />}
    </Section>
  );
}

/** The four prohibitions: the customer's confirmation and the technician's attestation, side by side. */
function conductRows(checklist: Checklist, answers: ReturnType<typeof conductAnswers>): string[] {
  const ids = [...prohibitions(checklist).map((r) => r.id), ...Object.keys(answers.conduct), ...answers.attestation];
  return [...new Set(ids)];
}

export function SignOffSection({ form }: { form: SealedForm }) {
  const { lang, t } = useI18n();
  const checklist = checklistOf(form.checklist);
  if (!checklist) {
    return <Section id="sign-off" title={t('form.section.signOff')}><p class="warning">{t('form.checklistUnknown')}</p></Section>;
  }
  const answers = conductAnswers(form, checklist);
  return (
    <Section id="sign-off" title={t('form.section.signOff')}>
      <Answers rows={sideRows(form, checklist, 'customer')} />
      <table data-testid="answer-conduct">
        <caption>{t('form.conduct')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('form.prohibition')}</th>
            <th scope="col">{t('form.customerConfirms')}</th>
            <th scope="col">{t('form.technicianAttests')}</th>
          </tr>
        </thead>
        <tbody>
          {conductRows(checklist, answers).map((id) => {
            const answer = answers.conduct[id];
            return (
              <tr key={id} data-testid="conduct-row" data-rule-id={id} class={answer === 'not-kept' ? 'row-flagged' : undefined}>
                <th scope="row">{ruleLabel(checklist, id, lang)}</th>
                <td>{answer ? t(`conduct.${answer}`) : t('conduct.unanswered')}</td>
                <td>{answers.attestation.includes(id) ? t('form.attested') : t('form.notAttested')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Section>
  );
}
