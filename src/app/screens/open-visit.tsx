// Opening a visit from the list: resume its draft, or start one with today's facts, then show it.
import { useEffect, useState } from 'preact/hooks';
import { useI18n, useServices } from '../context';
import { NotEnrolledError } from '../../device/drafts';
import { describeError } from '../errors';
import '../i18n/screens'; // this screen's messages (a draft under rules the phone lacks)
import { navigate } from '../router';

export function OpenVisit({ visitId }: { visitId: string }) {
  const services = useServices();
  const i18n = useI18n();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const visit = await services.visits.get(visitId);
      if (!visit) throw new Error(`${visitId}?`);
      const technician = (await services.settings.technician()) ?? null;
      const loaded = await services.drafts.openVisit(visit, technician);
      if (live) navigate({ name: 'visit', formId: loaded.draft.formId }, true);
    })().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [visitId]);
  if (error) {
    return (
      <section>
        <p role="alert" class="alert" data-testid="open-visit-error">{i18n.t('error.load', { message: describeError(i18n, error) })}</p>
        {error instanceof NotEnrolledError && <a class="button" href="#/settings" data-testid="go-enroll">{i18n.t('nav.settings')}</a>}
        <a class="button" href="#/">{i18n.t('nav.back')}</a>
      </section>
    );
  }
  return <p class="muted" aria-busy="true">{i18n.t('common.loading')}</p>;
}
