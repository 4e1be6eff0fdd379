// The only platform APIs src/domain may touch: they exist alike in browsers, service workers and Node ≥ 20.
/** An opaque WebCrypto key: src/domain only passes it from importKey to verify. */
interface DomainCryptoKey {
  readonly type: string;
}
interface DomainSubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'spki', keyData: Uint8Array, algorithm: { name: 'ECDSA'; namedCurve: 'P-256' }, extractable: false, usages: ['verify']): Promise<DomainCryptoKey>;
  verify(algorithm: { name: 'ECDSA'; hash: 'SHA-256' }, key: DomainCryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
declare const crypto: { readonly subtle: DomainSubtleCrypto; randomUUID(): string };
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
/** Base64 of a binary string (each char one byte): for the JSON wire format's bytes. */
declare function btoa(data: string): string;
/** The binary string (each char one byte) of base64 text; throws on anything that is not base64. */
declare function atob(data: string): string;
