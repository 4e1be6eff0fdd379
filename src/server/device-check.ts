// A stored form's device signature checked again on reading (the back office, the backup check),
// against the key registered on this server: the row could have been changed in the database.
import type { DeviceCheck } from '../domain/api';
import { DeviceSignatureSchema, verifyDeviceSignature } from '../domain/device-signature';
import type { Storage } from './storage/storage';

/** null: the form is unsigned by device. */
export async function checkStoredDevice(storage: Storage, technicianId: string, sealHash: string, deviceJson: string | null): Promise<DeviceCheck | null> {
  if (deviceJson === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(deviceJson);
  } catch {
    raw = undefined;
  }
  const parsed = DeviceSignatureSchema.safeParse(raw);
  if (!parsed.success) {
    return { check: 'failed', problem: 'the stored device signature cannot be read', keyId: '', technicianId: null, enrolledAt: null, supersededAt: null, revokedAt: null };
  }
  const device = parsed.data;
  const key = await storage.getDeviceKey(device.keyId);
  const base = {
    keyId: device.keyId,
    technicianId: key?.technicianId ?? null, enrolledAt: key?.enrolledAt ?? null, supersededAt: key?.supersededAt ?? null, revokedAt: key?.revokedAt ?? null,
    ...(device.location === undefined ? {} : { location: device.location }),
  };
  if (!key) return { ...base, check: 'failed', problem: `no device key ${device.keyId} is registered on this server` };
  if (key.technicianId !== technicianId) return { ...base, check: 'failed', problem: `the key is technician "${key.technicianId}"'s, not the form's technician "${technicianId}"` };
  const verified = await verifyDeviceSignature(key.publicKey, sealHash, device);
  return verified.ok ? { ...base, check: 'verified', problem: null } : { ...base, check: 'failed', problem: verified.message };
}
