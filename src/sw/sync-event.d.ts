// Background Sync is not in TypeScript's WebWorker lib yet (https://wicg.github.io/background-sync/spec/).
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

interface ServiceWorkerGlobalScopeEventMap {
  sync: SyncEvent;
}
