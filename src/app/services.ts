// first-load bundle: keep it small
// What the screens need from storage and sync, as small interfaces. wire-services.ts builds them from
// the real modules (src/device, src/sync); the screens never touch IndexedDB or the network themselves.
import type { Technician } from '../domain/api';
import type { Locale } from '../domain/checklist';
import type { SearchablePart } from '../domain/parts-search';
import type { BundleExport } from '../device/bundle-export';
import type { OutboxStatus, StoredForm, StoredVisit } from '../device/db';
import type { DraftStore } from '../device/drafts';
import type { StaleForm, StorageStatus } from '../device/storage-status';
import type { NewVisit } from '../device/visit-create';
import type { SyncReport, SyncState } from '../sync/sync-engine';
import type { VisitsDownload } from '../sync/visits-download';

export interface VisitsService {
  list(): Promise<StoredVisit[]>;
  get(id: string): Promise<StoredVisit | undefined>;
  /** throws VisitInputError with each field's path and message */
  create(input: NewVisit): Promise<StoredVisit>;
  /** the technician's dispatched visits and the checklist versions the phone lacks, then the parts catalog; throws VisitsDownloadError */
  download(): Promise<VisitsAndPartsDownload>;
  /** the parts catalog last downloaded (empty when there is none), for the parts picker */
  partsCatalog(): Promise<SearchablePart[]>;
}

export interface VisitsAndPartsDownload extends VisitsDownload {
  /** the parts now in the phone's catalog; null when the server keeps none */
  parts: number | null;
  /** why the catalog could not be downloaded (the visits were: the phone keeps its catalog) */
  partsFailure?: unknown;
}

export interface OutboxService {
  /** each sealed form's status, without loading the forms */
  statuses(): Promise<Map<string, OutboxStatus>>;
  get(formId: string): Promise<StoredForm | undefined>;
}

export interface SettingsService {
  locale(): Promise<Locale>;
  setLocale(locale: Locale): Promise<void>;
  technician(): Promise<Technician | undefined>;
  /** the server's origin (maybe with a path prefix): the one set for this phone, or the app's own */
  serverUrl(): Promise<string>;
  /** whether seals record where they were signed; undefined: the technician was not asked yet (off) */
  sealLocation(): Promise<'allowed' | 'declined' | undefined>;
  setSealLocation(choice: 'allowed' | 'declined'): Promise<void>;
}

export interface SyncService {
  state(): SyncState;
  /** called whenever a run starts, ends or moves a form on */
  subscribe(listener: () => void): () => void;
  syncNow(): Promise<SyncReport>;
  /** after a seal: send it now, without waiting for the answer */
  notifySealed(): void;
  /** exchanges the back office's one-time code for this phone's token; throws EnrollError */
  enroll(code: string): Promise<Technician>;
}

export interface StorageService {
  status(): Promise<StorageStatus>;
  /** sealed forms not at the back office for more than three days */
  staleForms(): Promise<StaleForm[]>;
}

export interface BundleService {
  /** every sealed form not yet synced, with its signature, as a versioned JSON file */
  exportUnsent(): Promise<BundleExport>;
}

export interface AppServices {
  drafts: DraftStore;
  visits: VisitsService;
  outbox: OutboxService;
  settings: SettingsService;
  sync: SyncService;
  storage: StorageService;
  bundle: BundleService;
}
