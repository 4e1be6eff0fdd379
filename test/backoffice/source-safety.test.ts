// Customer text is rendered as text, and the pages run under `script-src 'self'; style-src 'self'`:
// no raw HTML insertion and no inline styles anywhere in the back-office source; and no type is
// forced onto data with a double cast.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/backoffice/', import.meta.url);
const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(tsx?|css)$/.test(file))
  .map((file) => ({ file, text: readFileSync(new URL(file, dir), 'utf8') }));

describe('back-office source', () => {
  it('is there to check', () => {
    expect(sources.map((s) => s.file)).toEqual(expect.arrayContaining(['main.tsx', 'api-client.ts', 'backoffice.css', 'pages/form-answers.tsx']));
  });

  it.each([
    ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
    ['innerHTML / outerHTML / insertAdjacentHTML', /\.(innerHTML|outerHTML)\b|insertAdjacentHTML/],
    ['document.write', /document\.write/],
    ['eval or new Function', /\beval\(|new Function\(/],
    ['an inline style attribute', /\sstyle=\{|setAttribute\(\s*['"]style/],
    ['a javascript: URL', /javascript:/i],
    // the server's answers are validated with their zod schemas (api-client.ts), never cast into shape
    ['a cast through unknown (as unknown as)', /\bas\s+unknown\s+as\b/],
  ])('never uses %s', (_name, pattern) => {
    const offenders = sources.filter((s) => s.file.endsWith('.ts') || s.file.endsWith('.tsx')).filter((s) => pattern.test(s.text)).map((s) => s.file);
    expect(offenders).toEqual([]);
  });

  it('loads no remote stylesheet or font the CSP would block', () => {
    const css = sources.find((s) => s.file === 'backoffice.css')!.text;
    expect(css).not.toMatch(/@import|url\(/);
  });
});
