// Where a seal is made, when the technician allows it (the sealLocation setting, off until they say
// yes): the phone's position with its accuracy, or null when none could be had in time.
import type { DeviceLocation } from '../domain/device-message';
import type { OnsiteDatabase } from './db';
import { getSetting } from './settings';

/** The part of navigator.geolocation used here. */
export interface Geolocator {
  getCurrentPosition(success: (p: { coords: { latitude: number; longitude: number; accuracy: number } }) => void, error: (e: unknown) => void, options?: { enableHighAccuracy?: boolean; timeout?: number; maximumAge?: number }): void;
}

export const LOCATE_TIMEOUT_MS = 10_000;

/** The place for the seal: undefined when not allowed, null when allowed but not given (refused, off, timed out). */
export async function sealLocation(db: OnsiteDatabase, geolocation: Geolocator | undefined): Promise<DeviceLocation | null | undefined> {
  if ((await getSetting(db, 'sealLocation')) !== 'allowed') return undefined;
  if (!geolocation) return null;
  return new Promise((resolve) => {
    geolocation.getCurrentPosition(
      ({ coords }) => {
        const place = { lat: coords.latitude, lon: coords.longitude, accuracyM: coords.accuracy };
        const valid = Number.isFinite(place.lat) && Math.abs(place.lat) <= 90 && Number.isFinite(place.lon) && Math.abs(place.lon) <= 180
          && Number.isFinite(place.accuracyM) && place.accuracyM >= 0;
        resolve(valid ? place : null);
      },
      () => resolve(null),
      { enableHighAccuracy: true, timeout: LOCATE_TIMEOUT_MS, maximumAge: 60_000 },
    );
  });
}
