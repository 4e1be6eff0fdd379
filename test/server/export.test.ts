import { describe, expect, it } from 'vitest';
import { textStream } from '../../src/server/export/form-export';

describe('streamed exports', () => {
  it('pulls text only as fast as the reader reads, and stops the source when the reader cancels', async () => {
    let produced = 0;
    let stopped = false;
    async function* lines() {
      try {
        for (let i = 0; i < 100_000; i++) {
          produced++;
          yield `line ${i}\n`;
        }
      } finally {
        stopped = true;
      }
    }
    const reader = textStream(lines(), 1024).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('line 0\nline 1\n')).toBe(true);
    // one chunk's worth, plus what the stream's queue asks for ahead: nowhere near the 100,000 lines
    expect(produced).toBeLessThan(1000);
    await reader.cancel();
    expect(stopped).toBe(true);
  });

  it('writes everything and closes when the source ends', async () => {
    async function* lines() {
      yield '客户,';
      yield '王先生\n';
    }
    expect(await new Response(textStream(lines())).text()).toBe('客户,王先生\n');
  });
});
