// 四不准: the standing reminder, with a one-tap log of a declined offer and the dispute report. In full on
// the repair tab; compact (the logs in one row, the dispute folded) on every other phase from the arrival on.
import { useState } from 'preact/hooks';
import type { ReminderItem } from '../../domain/checklist';
import { useI18n } from '../context';
import { incidentLines } from '../describe-text';
import { Feedback } from './controls';
import { useVisit } from './visit-context';

function DisputeForm({ item }: { item: ReminderItem }) {
  const { t } = useI18n();
  const { session } = useVisit();
  const [description, setDescription] = useState('');
  const send = async () => {
    if (await session.dispatch(item.id, { type: 'dispute', description })) setDescription('');
  };
  return (
    <div class="dispute">
      <label class="field-label" for="dispute-text">{t('visit.disputeDescription')}</label>
      <textarea id="dispute-text" class="input" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} data-testid="dispute-text" />
      <button type="button" class="button button-warn" onClick={() => void send()} data-testid="dispute-submit">{t('visit.disputeSend')}</button>
    </div>
  );
}

function OfferButton({ item }: { item: ReminderItem }) {
  const { t } = useI18n();
  const { session } = useVisit();
  return (
    <button
      type="button"
      class="button"
      onClick={() => void session.dispatch(item.id, { type: 'offer-declined', offer: item.declinedOffer!, note: '' })}
      data-testid={`offer-${item.declinedOffer}`}
    >
      {t(`offer.${item.declinedOffer!}`)}
    </button>
  );
}

function CompactReminders({ items }: { items: ReminderItem[] }) {
  const { t } = useI18n();
  const offers = items.filter((item) => item.declinedOffer);
  const dispute = items.find((item) => item.reportsDispute);
  return (
    <section class="reminders reminders-compact" aria-labelledby="reminders-title" data-testid="reminders-compact">
      <h2 id="reminders-title">{t('visit.reminders')}</h2>
      <div class="actions">{offers.map((item) => <OfferButton item={item} key={item.id} />)}</div>
      {items.map((item) => <Feedback target={item.id} key={item.id} />)}
      {dispute && (
        <details>
          <summary class="button-quiet">{t('visit.disputeSend')}</summary>
          <DisputeForm item={dispute} />
        </details>
      )}
    </section>
  );
}

export function Reminders({ items, compact = false }: { items: ReminderItem[]; compact?: boolean }) {
  if (compact) return <CompactReminders items={items} />;
  return <FullReminders items={items} />;
}

function FullReminders({ items }: { items: ReminderItem[] }) {
  const { t, text, time, locale } = useI18n();
  const { snapshot } = useVisit();
  const { logged, checklist, events } = snapshot.loaded.state;
  const lines = incidentLines(locale, checklist, logged, events);
  return (
    <section class="reminders" aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t('visit.reminders')}</h2>
      {items.map((item) => (
        <div class="item reminder" key={item.id}>
          <p class="reminder-text">{text(item.text)}</p>
          {item.declinedOffer && <OfferButton item={item} />}
          {item.reportsDispute && <DisputeForm item={item} />}
          <Feedback target={item.id} />
        </div>
      ))}
      {logged.length > 0 && (
        <>
          <h3>{t('visit.incidents')}</h3>
          <ol class="timeline" data-testid="incidents">
            {logged.map((incident, i) => (
              <li key={i} class={incident.flagged ? 'warn' : ''}>
                <time dateTime={incident.at}>{time(incident.at)}</time> {lines[i]}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
