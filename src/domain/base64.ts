// Base64 of binary data for the JSON wire format. String.fromCharCode(...bytes) on a whole 512 KB
// signature would pass half a million arguments and overflow the stack, so it goes in chunks.

const CHUNK = 0x8000;

export function bytesToBase64(data: ArrayBuffer | Uint8Array): string {
  const bytes = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** The bytes of base64 text; throws (atob's DOMException) on text that is not base64. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
