// The checklist this build of the app fills forms against, validated once. Imported only by the visit's
// chunks (the visit, the customer copy), so the rules' data stays out of the first-load bundle.
import checklistJson from '../../checklists/onsite-service.json';
import { parseChecklist } from '../domain/checklist';

export const checklist = parseChecklist(checklistJson, 'onsite-service.json');
