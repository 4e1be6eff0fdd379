// first-load bundle: keep it small (the visit list shows it on each visit)
// What the technician needs before and during the visit, offline: where to go (a tap opens the map app,
// with a web map beside it), whom to call (a tap calls), the dispatcher's notes and the equipment's last
// repairs. Compact: two rows of links and a line of notes, the history folded unless asked open.
import type { PastRepair } from '../../domain/api';
import { callLink, mapAppLink, webMapLink } from '../contact-links';
import { useI18n } from '../context';
import { EquipmentHistory } from './equipment-history';

export interface VisitBriefProps {
  address: string;
  phone: string;
  notes: string;
  /** undefined: none came with the visit (made on the phone, or from a server without it) */
  history?: readonly PastRepair[] | undefined;
  historyOpen?: boolean;
  /** tells apart the briefs of a list's visits in test ids */
  testId?: string;
}

export function VisitBrief({ address, phone, notes, history, historyOpen = false, testId = 'visit-brief' }: VisitBriefProps) {
  const { t } = useI18n();
  const map = mapAppLink(address);
  const web = webMapLink(address);
  const call = callLink(phone);
  return (
    <div class="visit-brief" data-testid={testId}>
      {(map || call) && (
        <div class="brief-links">
          {map && <a class="brief-link" href={map} data-testid="brief-map">{t('brief.address', { address: address.trim() })}</a>}
          {web && (
            <a class="brief-link brief-web" href={web} target="_blank" rel="noopener noreferrer" aria-label={t('brief.webMapLabel', { address: address.trim() })} data-testid="brief-web-map">
              {t('brief.webMap')}
            </a>
          )}
          {call && <a class="brief-link" href={call} data-testid="brief-call">{t('brief.phone', { phone: phone.trim() })}</a>}
        </div>
      )}
      {notes.trim() !== '' && <p class="brief-notes" data-testid="brief-notes">{t('brief.notes', { notes: notes.trim() })}</p>}
      {history && <EquipmentHistory history={history} open={historyOpen} />}
    </div>
  );
}
