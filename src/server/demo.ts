// `--demo`: a technician with a fresh enrollment code and a few visits for today, so a newcomer can
// enroll a phone (or a browser tab) and walk a visit within a minute; and, on a database without an admin,
// a demo admin with a password made now, so the back office can be opened too. Safe to run again.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DispatchedVisit, TechnicianRecord } from '../domain/api';
import { toIsoDate } from '../domain/festivals';
import { issueEnrollmentCode } from './auth/enrollment';
import { hashPassword } from './auth/passwords';
import type { Storage } from './storage/storage';

export const DEMO_TECHNICIAN = { id: 'demo', name: '演示技师 张师傅', phone: '' };

export interface DemoSeed {
  technician: TechnicianRecord;
  code: string;
  expiresAt: string;
  /** the visits created now (visits already there from an earlier run are left as they are) */
  visits: DispatchedVisit[];
  /** the demo admin made now (only on a database that had no admin): its name and one-time password */
  admin: { name: string; password: string } | null;
}

export const DEMO_ADMIN_NAME = 'demo-admin';

function demoVisits(date: string): DispatchedVisit[] {
  const visit = (n: number, firstVisit: boolean, customer: DispatchedVisit['customer'], equipment: DispatchedVisit['equipment'], notes: string) =>
    ({ id: `DEMO-${date}-${n}`, technicianId: DEMO_TECHNICIAN.id, scheduledDate: date, firstVisit, customer, equipment, notes });
  return [
    visit(1, true, { name: '某市环卫处', phone: '0571-8888 0001', address: '某市某区环卫路 1 号 车辆段' },
      { type: '洗扫车', model: 'XS-5000', serial: 'SN-2024-0001' }, '主刷不转，有异响。'),
    visit(2, false, { name: '城东保洁公司', phone: '138 0000 0002', address: '某市城东工业园 8 号' },
      { type: '垃圾压缩车', model: 'YS-12', serial: 'SN-2023-0417' }, '液压系统漏油，复查上次维修。'),
    visit(3, false, { name: 'Riverside Depot', phone: '+86 139 0000 0003', address: '22 Riverside Road' },
      { type: '扫路车', model: 'SL-800', serial: 'SN-2025-0093' }, 'Suction fan weak.'),
  ];
}

export async function seedDemo(storage: Storage, now: Date): Promise<DemoSeed> {
  const technician = (await storage.getTechnician(DEMO_TECHNICIAN.id))
    ?? (await storage.createTechnician({ ...DEMO_TECHNICIAN, createdAt: now.toISOString() }))!;
  const { code, expiresAt } = await issueEnrollmentCode(storage, technician.id, now);
  const visits: DispatchedVisit[] = [];
  // the phone dates a visit in China time, so "today" is Asia/Shanghai's today
  for (const visit of demoVisits(toIsoDate(now))) {
    if (await storage.createVisit(visit, now.toISOString())) visits.push(visit);
  }
  return { technician, code, expiresAt, visits, admin: await demoAdmin(storage, now) };
}

async function demoAdmin(storage: Storage, now: Date): Promise<DemoSeed['admin']> {
  if ((await storage.countActiveAdmins()) > 0) return null;
  const password = randomBytes(9).toString('base64url');
  const at = now.toISOString();
  const made = await storage.createUser(
    { id: `U-${randomUUID().slice(0, 8)}`, name: DEMO_ADMIN_NAME, displayName: '演示管理员', role: 'admin', passwordHash: await hashPassword(password), createdAt: at },
    { at, userId: null, userName: '(npm run demo)', address: 'local', action: 'user.created', target: DEMO_ADMIN_NAME, details: { role: 'admin', demo: true } },
  );
  return made ? { name: DEMO_ADMIN_NAME, password } : null;
}
