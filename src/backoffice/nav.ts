// The main navigation, and which of its pages a role may open (src/domain/accounts.ts).
import { may, type Permission, type Role } from '../domain/accounts';
import type { PageName, Route } from './routes';

export type Section = Exclude<PageName, 'form' | 'not-found'>;

export const NAV: ReadonlyArray<{ page: Section; route: Route; permission: Permission }> = [
  { page: 'forms', route: { page: 'forms', filter: {} }, permission: 'read' },
  { page: 'disputes', route: { page: 'disputes', status: 'open' }, permission: 'read' },
  { page: 'conflicts', route: { page: 'conflicts' }, permission: 'read' },
  { page: 'technicians', route: { page: 'technicians' }, permission: 'read' },
  { page: 'visits', route: { page: 'visits' }, permission: 'read' },
  { page: 'parts', route: { page: 'parts' }, permission: 'read' },
  { page: 'import', route: { page: 'import' }, permission: 'forms.import' },
  { page: 'checklists', route: { page: 'checklists' }, permission: 'read' },
  { page: 'equipment', route: { page: 'equipment', serial: null }, permission: 'read' },
  { page: 'dashboard', route: { page: 'dashboard', query: {} }, permission: 'read' },
  { page: 'users', route: { page: 'users' }, permission: 'users.manage' },
  { page: 'audit', route: { page: 'audit' }, permission: 'audit.read' },
];

export function navFor(role: Role): Section[] {
  return NAV.filter((entry) => may(role, entry.permission)).map((entry) => entry.page);
}

/** Whether the role may open a page at all (a form's page is read by everyone). */
export function mayOpen(role: Role, page: PageName): boolean {
  const entry = NAV.find((e) => e.page === page);
  return entry ? may(role, entry.permission) : true;
}
