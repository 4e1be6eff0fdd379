// first-load bundle: keep it small
// The first screen: the visits on this phone, each with where its form stands.
import { useEffect, useState } from 'preact/hooks';
import type { Technician } from '../../domain/api';
import type { Draft, OutboxStatus, StoredVisit } from '../../device/db';
import { StatusBadge, type VisitStatus } from '../components/status-badge';
import { VisitBrief } from '../components/visit-brief';
import { useI18n, useServices } from '../context';
import { describeError } from '../errors';
import { href } from '../router';
import type { AppServices } from '../services';

interface Row {
  visit: StoredVisit;
  draft: Draft | undefined;
  status: VisitStatus;
}

function rows(visits: StoredVisit[], drafts: Draft[], formStatus: Map<string, OutboxStatus>): Row[] {
  const latest = new Map<string, Draft>();
  for (const draft of drafts) {
    const seen = latest.get(draft.visitId);
    if (!seen || seen.createdAt < draft.createdAt) latest.set(draft.visitId, draft);
  }
  return visits
    .map((visit) => {
      const draft = latest.get(visit.id);
      const status: VisitStatus = !draft ? 'new' : !draft.sealed ? 'draft' : formStatus.get(draft.formId) ?? 'queued';
      return { visit, draft, status };
    })
    .sort((a, b) => b.visit.scheduledDate.localeCompare(a.visit.scheduledDate) || b.visit.createdAt.localeCompare(a.visit.createdAt));
}

/** The list's rows, read from the phone: visits, their drafts and the outbox's statuses (not the forms). */
async function readRows(services: AppServices): Promise<Row[]> {
  const [visits, drafts, statuses] = await Promise.all([services.visits.list(), services.drafts.list(), services.outbox.statuses()]);
  return rows(visits, drafts, statuses);
}

/** Rows read before the first render, taken by the first list on screen; later lists read afresh. */
let preloaded: Row[] | null = null;

/** Reads the list before the first render (main.tsx), so the first screen shows the visits; a failure is
 * left for the list itself to read again and report. */
export async function preloadVisitList(services: AppServices): Promise<void> {
  preloaded = await readRows(services).catch(() => null);
}

function takePreloaded(): Row[] | null {
  const rows = preloaded;
  preloaded = null;
  return rows;
}

export function VisitList() {
  const services = useServices();
  const i18n = useI18n();
  const { t } = i18n;
  const [list, setList] = useState<Row[] | null>(takePreloaded);
  const [technician, setTechnician] = useState<Technician | undefined | null>(null);
  const [download, setDownload] = useState<{ busy: boolean; message: string | null; failed: boolean }>({ busy: false, message: null, failed: false });

  const [loadError, setLoadError] = useState<string | null>(null);
  const refresh = async () => {
    try {
      setList(await readRows(services));
      setLoadError(null);
    } catch (error) {
      setLoadError(describeError(i18n, error));
    }
  };
  useEffect(() => {
    // rows read before the first render (preloadVisitList) are drawn at once and read again here: the app
    // may have opened on another screen, and the list shown later must not be the rows of the start
    void refresh();
    services.settings.technician().then(setTechnician, () => undefined); // the list's own error says why
    return services.sync.subscribe(() => void refresh());
  }, []);

  const downloadVisits = async () => {
    setDownload({ busy: true, message: null, failed: false });
    try {
      const update = await services.visits.download();
      const parts = update.partsFailure !== undefined ? t('list.partsFailed', { message: describeError(i18n, update.partsFailure) })
        : update.parts === null ? '' : t('list.partsDownloaded', { count: update.parts });
      setDownload({ busy: false, message: `${t('list.downloaded', { count: update.stored })}${parts}`, failed: false });
      await refresh();
    } catch (error) {
      setDownload({ busy: false, message: describeError(i18n, error), failed: true });
    }
  };

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t('list.title')}</h1>
      {technician === undefined && (
        <p class="notice" data-testid="not-enrolled">
          <a href="#/settings">{t('banner.notEnrolled')}</a>
        </p>
      )}
      <div class="actions">
        <a class="button button-primary" href={href({ name: 'new' })} data-testid="new-visit">{t('list.new')}</a>
        <button type="button" class="button" onClick={downloadVisits} disabled={download.busy} data-testid="download-visits">
          {download.busy ? t('list.refreshing') : t('list.refresh')}
        </button>
      </div>
      {download.message && (
        <p role={download.failed ? 'alert' : 'status'} class={download.failed ? 'alert' : 'ok'}>{download.message}</p>
      )}
      {loadError !== null && <p role="alert" class="alert" data-testid="list-error">{loadError}</p>}
      {list === null ? (
        loadError === null && <p class="muted" aria-busy="true">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p class="muted" data-testid="list-empty">{t('list.empty')}</p>
      ) : (
        <ul class="cards" data-testid="visit-cards">
          {list.map(({ visit, draft, status }) => (
            <li key={visit.id}>
              <a
                class="card"
                href={draft ? href({ name: 'visit', formId: draft.formId }) : href({ name: 'open', visitId: visit.id })}
                data-testid={`visit-${visit.id}`}
              >
                <span class="card-title">{visit.customer.name}</span>
                <span class="card-line">{[visit.equipment.type, visit.equipment.model].filter(Boolean).join(' · ')}</span>
                <span class="card-line muted">
                  {visit.scheduledDate} · {visit.id} · {t(`list.source.${visit.source}`)}
                  {visit.firstVisit ? ` · ${t('list.firstVisit')}` : ''}
                </span>
                <StatusBadge status={status} />
              </a>
              {/* beside the card, not in it: a link inside a link is no link */}
              <VisitBrief address={visit.customer.address} phone={visit.customer.phone} notes={visit.notes} history={visit.history?.length ? visit.history : undefined} testId={`brief-${visit.id}`} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
