// The only platform APIs src/domain may touch: they exist alike in browsers, service workers and Node ≥ 20.
interface DomainSubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}
declare const crypto: { readonly subtle: DomainSubtleCrypto; randomUUID(): string };
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
/** Base64 of a binary string (each char one byte): for the JSON wire format's bytes. */
declare function btoa(data: string): string;
