// first-load bundle: keep it small
// The one place the screens' services meet the real modules. What the first screen does not need
// (the checklist, the sync engine, enrollment, visit download, storage figures, the bundle export, the
// festival calendar) is imported on first use, so it stays out of the first-load bundle.
import { openOnsiteDB, type OnsiteDatabase } from '../device/db';
import { createDraftStore } from '../device/drafts';
import { formStatuses, getForm } from '../device/outbox';
import { getLocale, getServerUrl, getSetting, getTechnician, getToken, setLocale, setSetting } from '../device/settings';
import { getVisit, listVisits } from '../device/visits-store';
import type { SyncEngine, SyncState } from '../sync/sync-engine';
import type { AppServices, SyncService } from './services';

const pageFetch = (input: string, init?: RequestInit) => fetch(input, init);
const serverUrl = (db: OnsiteDatabase) => getServerUrl(db, location.origin);

/** The sync engine, loaded after the first screen; calls made before it is there wait for it. */
function lazySync(db: OnsiteDatabase): SyncService & { start(): Promise<unknown> } {
  const listeners = new Set<() => void>();
  let state: SyncState = { running: false, enrollmentNeeded: false, lastReport: null };
  let engine: Promise<SyncEngine> | undefined;
  const load = () =>
    (engine ??= import('../sync/device-sync').then(({ createDeviceSyncEngine }) =>
      createDeviceSyncEngine({
        db,
        fetch: pageFetch,
        pageOrigin: location.origin,
        requestWakeUp: async () => (await import('./sw-bridge')).registerBackgroundSync(),
        onChange(next) {
          state = next;
          listeners.forEach((listener) => listener());
        },
      }),
    ));
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    syncNow: async () => (await load()).syncNow('user'),
    notifySealed() {
      void load().then((e) => e.notifySealed());
    },
    async enroll(code) {
      const { enroll } = await import('../sync/enroll');
      const technician = await enroll({ db, fetch: pageFetch, baseUrl: await serverUrl(db), code });
      void load().then((e) => e.syncNow('enrolled'));
      return technician;
    },
    start: async () => (await load()).start(),
  };
}

export interface WiredServices {
  services: AppServices;
  /** after the first screen is up: ask for persistent storage and start syncing */
  startBackgroundWork(): void;
}

/** Wires the services to the phone's database: the one being opened, or a new connection. */
export async function wireServices(opening: Promise<OnsiteDatabase> = openOnsiteDB()): Promise<WiredServices> {
  const db = await opening;
  const sync = lazySync(db);
  const services: AppServices = {
    drafts: createDraftStore({
      db,
      loadChecklists: async () => {
        const [{ deviceChecklists }, { bundledChecklists }] = await Promise.all([import('../device/checklists-store'), import('./checklist')]);
        return deviceChecklists(db, async () => bundledChecklists);
      },
      loadFestivals: async () => {
        const [{ parseFestivalsFile }, { default: json }] = await Promise.all([import('../domain/festivals'), import('../../checklists/festivals.json')]);
        return parseFestivalsFile(json, 'festivals.json');
      },
      locate: async () => (await import('../device/seal-location')).sealLocation(db, navigator.geolocation),
    }),
    visits: {
      list: () => listVisits(db),
      get: (id) => getVisit(db, id),
      create: async (input) => // a visit made before enrollment belongs to whoever enrolls; its draft waits for that
        (await import('../device/visit-create')).createDeviceVisit(db, input, { technicianId: (await getTechnician(db))?.id ?? '' }),
      async download() {
        const [{ downloadVisits }, { bundledChecklists }] = await Promise.all([import('../sync/visits-download'), import('./checklist')]);
        const bundled = bundledChecklists.registry.versions();
        const [base, token] = [await serverUrl(db), (await getToken(db)) ?? null];
        const visits = await downloadVisits({ db, fetch: pageFetch, baseUrl: base, token, bundledChecklists: bundled });
        // the catalog comes with the visits; a failure to get it never undoes the visits
        const { downloadPartsCatalog } = await import('../sync/parts-download');
        return downloadPartsCatalog({ db, fetch: pageFetch, baseUrl: base, token }).then(
          (parts) => ({ ...visits, parts }),
          (partsFailure: unknown) => ({ ...visits, parts: null, partsFailure }),
        );
      },
      partsCatalog: async () => (await (await import('../device/parts-catalog-store')).getPartsCatalog(db))?.parts ?? [],
    },
    outbox: { statuses: () => formStatuses(db), get: (formId) => getForm(db, formId) },
    settings: {
      locale: () => getLocale(db), setLocale: (locale) => setLocale(db, locale), technician: () => getTechnician(db), serverUrl: () => serverUrl(db),
      sealLocation: () => getSetting(db, 'sealLocation'), setSealLocation: (choice) => setSetting(db, 'sealLocation', choice),
    },
    sync,
    storage: {
      status: async () => (await import('../device/storage-status')).storageStatus(navigator.storage),
      staleForms: async () => (await import('../device/storage-status')).staleUnsentForms(db, Date.now()),
    },
    bundle: { exportUnsent: async () => (await import('../device/bundle-export')).exportBundle(db) },
  };
  return {
    services,
    startBackgroundWork() {
      void import('../device/storage-status').then(({ requestPersistence }) => requestPersistence(navigator.storage));
      void sync.start();
    },
  };
}
