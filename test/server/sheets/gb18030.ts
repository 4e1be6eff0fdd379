// Text → GB18030 bytes, for tests only: Node decodes GB18030 but has no encoder, so the two-byte
// table is built once by decoding every two-byte sequence (enough for the Chinese in the tests).
let table: Map<string, [number, number]> | null = null;

function twoByteTable(): Map<string, [number, number]> {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const map = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && !map.has(ch)) map.set(ch, [lead, trail]);
      } catch {
        // not a two-byte code
      }
    }
  }
  return map;
}

export function gb18030(text: string): Uint8Array {
  table ??= twoByteTable();
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`no two-byte GB18030 code for ${JSON.stringify(ch)}`);
      bytes.push(...pair);
    }
  }
  return new Uint8Array(bytes);
}
