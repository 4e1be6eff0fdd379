// Where each part of src/ may reach (docs: DESIGN.md §6): src/domain is pure (no DOM, no I/O), the
// device storage does not lean on the sync engine, and the server never pulls in page code. A
// type-check alone would not catch these: the pages' tsconfig includes all of src/device, src/sync
// and src/domain together, so an import across them compiles.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);

interface Import {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** repo-relative path for a relative specifier (no extension), else undefined */
  readonly target: string | undefined;
}

/** Every import of a source text: static, side-effect, re-export, dynamic and `import('…')` types. */
function importsOf(file: string, text: string): Import[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName, pos }) => ({
    file,
    line: text.slice(0, pos).split('\n').length,
    specifier: fileName,
    target: fileName.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file), fileName)) : undefined,
  }));
}

function sourcesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(new URL(dir, root), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => posix.join(dir, name.split('\\').join('/')))
    .map((file) => ({ file, text: readFileSync(new URL(file, root), 'utf8') }));
}

const within = (target: string | undefined, dir: string) => target !== undefined && (target === dir || target.startsWith(`${dir}/`));
const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]!);

/** The packages src/domain may use: pure computation, alike in a page, a service worker and Node. */
const DOMAIN_PACKAGES = new Set(['zod', 'zod/mini', 'canonicalize']);

type Rule = (imp: Import) => string | undefined;

/** src/device is the IndexedDB module: the sync engine builds on it, never the other way round. */
const deviceRule: Rule = ({ target }) => (within(target, 'src/sync') ? 'src/device must not import src/sync' : undefined);

/** src/domain: only itself, the checklists as data, and the pure packages; no DOM, no I/O, no Node. */
const domainRule: Rule = ({ specifier, target }) => {
  if (isNodeBuiltin(specifier)) return 'src/domain must not import Node modules';
  if (target === undefined) return DOMAIN_PACKAGES.has(specifier) ? undefined : `src/domain may import only ${[...DOMAIN_PACKAGES].join(', ')}`;
  if (within(target, 'src/domain') || within(target, 'checklists')) return undefined;
  return 'src/domain must import only src/domain and checklists/';
};

const PAGE_CODE = ['src/app', 'src/backoffice', 'src/device', 'src/sync', 'src/sw'];

/** src/server runs in Node: the pages' code (DOM, IndexedDB, service worker) is no part of it. */
const serverRule: Rule = ({ target }) => {
  const page = PAGE_CODE.find((dir) => within(target, dir));
  return page === undefined ? undefined : `src/server must not import ${page}`;
};

function offences(dir: string, rule: Rule): string[] {
  return sourcesUnder(dir).flatMap(({ file, text }) => importsOf(file, text))
    .flatMap((imp) => {
      const why = rule(imp);
      return why === undefined ? [] : [`${imp.file}:${imp.line} imports '${imp.specifier}': ${why}`];
    });
}

describe('source layout', () => {
  it.each([
    ['src/device', deviceRule, 'db.ts'],
    ['src/domain', domainRule, 'seal.ts'],
    ['src/server', serverRule, 'ingest.ts'],
  ] as const)('%s keeps to its imports', (dir, rule, known) => {
    expect(sourcesUnder(dir).map((s) => s.file)).toContain(`${dir}/${known}`);
    expect(offences(dir, rule)).toEqual([]);
  });
});

describe('type-check configs', () => {
  const parse = (name: string) => {
    const path = new URL(name, root).pathname;
    const config = ts.getParsedCommandLineOfConfigFile(path, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (!config) throw new Error(`${name}: not readable`);
    return config;
  };
  const libs = (name: string) => (parse(name).options.lib ?? []).map((lib) => lib.toLowerCase());

  it.each(['tsconfig.server.json', 'tsconfig.domain.json', 'tsconfig.sw.json'])('%s gives no DOM library and no JSX runtime (preact\'s types reference the DOM)', (name) => {
    expect(libs(name).filter((lib) => lib.includes('dom'))).toEqual([]);
    expect(parse(name).options.jsxImportSource).toBeUndefined();
  });

  it('checks every server file with Node\'s types only', () => {
    const checked = new Set(parse('tsconfig.server.json').fileNames.map((file) => posix.relative(new URL('.', root).pathname, file)));
    const unchecked = sourcesUnder('src/server').map((s) => s.file).filter((file) => !checked.has(file));
    expect(unchecked).toEqual([]);
    expect(parse('tsconfig.server.json').options.types).toEqual(['node']);
  });

  it('npm run typecheck runs every config', () => {
    const configs = readdirSync(root).filter((name) => /^tsconfig\..+\.json$/.test(name) && name !== 'tsconfig.base.json');
    const script: string = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts.typecheck;
    expect(configs.filter((name) => !script.includes(`tsc -p ${name}`))).toEqual([]);
    expect(configs).toContain('tsconfig.server.json');
  });
});

describe('the layout rules', () => {
  const check = (rule: Rule, file: string, text: string) => importsOf(file, text).map(rule);

  it('find every kind of import, with its line', () => {
    const text = [
      "import { a } from '../sync/a';",
      "export * from '../sync/b';",
      "import '../sync/c';",
      "const d = () => import('../sync/d');",
      "type E = import('../sync/e').E;",
    ].join('\n');
    expect(importsOf('src/device/x.ts', text).map((i) => [i.line, i.target])).toEqual([
      [1, 'src/sync/a'], [2, 'src/sync/b'], [3, 'src/sync/c'], [4, 'src/sync/d'], [5, 'src/sync/e'],
    ]);
  });

  it('refuse src/sync from src/device, and nothing else of it', () => {
    expect(check(deviceRule, 'src/device/outbox.ts', "import { x } from '../sync/backoff';")).toEqual(['src/device must not import src/sync']);
    expect(check(deviceRule, 'src/device/outbox.ts', "import { x } from '../domain/backoff'; import { openDB } from 'idb'; import { y } from './db';")).toEqual([undefined, undefined, undefined]);
    // a folder whose name merely starts with "sync" is not src/sync
    expect(check(deviceRule, 'src/device/outbox.ts', "import { x } from '../synced/x';")).toEqual([undefined]);
  });

  it('refuse DOM, I/O and Node in src/domain', () => {
    expect(check(domainRule, 'src/domain/seal.ts', [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "import { openDB } from 'idb';",
      "import { h } from 'preact';",
      "import { Hono } from 'hono';",
      "import { x } from '../device/db';",
      "import { y } from '../sync/api-client';",
      "import { z } from '../app/store';",
      "import { w } from '../server/ingest';",
      "import { v } from '../backoffice/hooks';",
    ].join('\n'))).toEqual([
      'src/domain must not import Node modules',
      'src/domain must not import Node modules',
      'src/domain may import only zod, zod/mini, canonicalize',
      'src/domain may import only zod, zod/mini, canonicalize',
      'src/domain may import only zod, zod/mini, canonicalize',
      ...Array(5).fill('src/domain must import only src/domain and checklists/'),
    ]);
    expect(check(domainRule, 'src/domain/checklist.ts', "import { z } from 'zod/mini'; import c from 'canonicalize'; import { s } from './seal'; import data from '../../checklists/onsite-service.json';"))
      .toEqual([undefined, undefined, undefined, undefined]);
  });

  it('refuse page code in src/server', () => {
    expect(check(serverRule, 'src/server/routes/forms.ts', [
      "import { a } from '../../app/store';",
      "import { b } from '../../backoffice/api-client';",
      "import { c } from '../../device/db';",
      "import { d } from '../../sync/sync-engine';",
      "import { e } from '../../sw/precache';",
      "import { f } from '../../domain/api';",
      "import { g } from '../ingest';",
    ].join('\n'))).toEqual([
      'src/server must not import src/app',
      'src/server must not import src/backoffice',
      'src/server must not import src/device',
      'src/server must not import src/sync',
      'src/server must not import src/sw',
      undefined,
      undefined,
    ]);
  });
});
