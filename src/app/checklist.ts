/// <reference types="vite/client" />
// The checklist versions this build of the app carries (every published one), validated once.
// Imported only by the visit's chunks, so the rules' data stays out of the first-load bundle.
import type { BundledChecklists } from '../device/checklists-store';
import { registryFromFiles } from '../domain/checklist-registry';

export const bundledChecklists: BundledChecklists = {
  registry: registryFromFiles(import.meta.glob('../../checklists/*/v*.json', { eager: true, import: 'default' })),
  // the checklist the technician's visits are filled against: a new visit takes its newest version
  visitChecklistId: 'onsite-service',
};
