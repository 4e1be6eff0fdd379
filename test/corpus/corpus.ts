// The hostile-input corpus: the manifest (what each file is, where it goes, which token it carries, what
// the server must answer) and the request bodies, with the big ones made at run time from small templates.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod/mini';
import { toFieldErrors } from '../../src/domain/validation-issues';

export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));

const TARGETS = [
  'forms-api', 'import-api', 'import-cli', 'enroll', 'visits-csv',
  'admin-technicians', 'admin-visits', 'admin-resolve', 'admin-get',
] as const;
export type Target = (typeof TARGETS)[number];
const TOKENS = ['technician', 'other-technician', 'admin', 'none', 'revoked'] as const;
export type TokenKind = (typeof TOKENS)[number];
/** What an enrollment entry's @@CODE@@ stands for. */
const CODE_SETUPS = ['fresh-code', 'used-code', 'expired-code', 'locked-code', 'revoked-technician-code'] as const;
export type CodeSetup = (typeof CODE_SETUPS)[number];

const ItemSchema = z.strictObject({
  status: z.enum(['accepted', 'rejected', 'conflict']),
  /** for a rejection: the path one of its errors must name, and a substring of that error's message */
  path: z.optional(z.string()),
  message: z.optional(z.string()),
  /** for a rejection by the rules: the rule the form breaks and the refusal it gets, wherever in its log that is */
  breaks: z.optional(z.strictObject({ rule: z.string(), refusal: z.string() })),
});

const RowSchema = z.strictObject({ row: z.int(), column: z.string(), message: z.string() });

const GenerateSchema = z.discriminatedUnion('kind', [
  /** the template's placeholder becomes `unit` (text, or a corpus file's text) repeated `count` times */
  z.strictObject({
    kind: z.literal('repeat'), placeholder: z.string(), unit: z.union([z.string(), z.strictObject({ file: z.string() })]),
    count: z.int(), separator: z.optional(z.string()),
  }),
  /** the placeholder becomes `depth` nested arrays, closed or left open */
  z.strictObject({ kind: z.literal('nest'), placeholder: z.string(), depth: z.int(), closed: z.boolean() }),
  /** no file: a body of `bytes` spaces streamed without a Content-Length */
  z.strictObject({ kind: z.literal('stream'), bytes: z.int() }),
  /** the file's body sent with a Content-Length header that lies */
  z.strictObject({ kind: z.literal('declared-length'), contentLength: z.string() }),
]);

const EntrySchema = z.strictObject({
  /** path under test/corpus/; null for a body made entirely at run time (see `generate`) */
  file: z.nullable(z.string()),
  category: z.string().check(z.minLength(1)),
  target: z.union([z.enum(TARGETS), z.array(z.enum(TARGETS)).check(z.minLength(1))]),
  token: z.enum(TOKENS),
  what: z.string().check(z.minLength(10)),
  setup: z.optional(z.enum(CODE_SETUPS)),
  contentType: z.optional(z.string()),
  generate: z.optional(GenerateSchema),
  /** also run the import through the real `npm run import` process, not only its function */
  spawn: z.optional(z.boolean()),
  expect: z.strictObject({
    /** "4xx": the request is refused; 200/201: it is taken, with each form's or row's own answer */
    status: z.union([z.literal('4xx'), z.literal(200), z.literal(201)]),
    code: z.optional(z.string()),
    /** a substring the refusal's message (or its field errors) must contain */
    message: z.optional(z.string()),
    /** a field error of the refusal must name this path */
    path: z.optional(z.string()),
    /** forms-api and the imports: each form's answer, in order */
    results: z.optional(z.array(ItemSchema)),
    /** visits-csv: the rows refused, and how many visits were made */
    rows: z.optional(z.array(RowSchema)),
    created: z.optional(z.int()),
  }),
});
export type CorpusEntry = z.infer<typeof EntrySchema>;

const ManifestSchema = z.strictObject({ about: z.string(), entries: z.array(EntrySchema) });

/** The manifest, checked: an entry that does not parse fails here with its path, not later in a confusing way. */
export function loadManifest(): CorpusEntry[] {
  const raw: unknown = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8'));
  const parsed = ManifestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new Error(`test/corpus/manifest.json: ${toFieldErrors(parsed.error.issues).map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return parsed.data.entries;
}

export const targetsOf = (entry: CorpusEntry): Target[] => (Array.isArray(entry.target) ? entry.target : [entry.target]);

/** Every data file under test/corpus/ (the TypeScript beside them is the corpus's own code). */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(json|ndjson|csv|txt)$/.test(name) && name !== 'manifest.json')
    .sort();
}

const readCorpusFile = (file: string): Buffer => readFileSync(join(CORPUS_DIR, file));

function expand(template: Buffer, placeholder: string, replacement: string): Buffer {
  const at = template.indexOf(placeholder);
  if (at === -1) throw new Error(`the template has no ${placeholder}`);
  return Buffer.concat([template.subarray(0, at), Buffer.from(replacement), template.subarray(at + placeholder.length)]);
}

/** The request body of an entry, as bytes; `code` fills an enrollment entry's @@CODE@@. */
export function entryBytes(entry: CorpusEntry, code?: string): Buffer {
  if (entry.file === null) return Buffer.alloc(0);
  let bytes = readCorpusFile(entry.file);
  const g = entry.generate;
  if (g?.kind === 'repeat') {
    const unit = typeof g.unit === 'string' ? g.unit : readCorpusFile(g.unit.file).toString('utf8').trimEnd();
    bytes = expand(bytes, g.placeholder, g.count === 0 ? '' : `${unit}${g.separator ?? ''}`.repeat(g.count - 1) + unit);
  } else if (g?.kind === 'nest') {
    bytes = expand(bytes, g.placeholder, '['.repeat(g.depth) + (g.closed ? ']'.repeat(g.depth) : ''));
  }
  return code === undefined || !bytes.includes('@@CODE@@') ? bytes : expand(bytes, '@@CODE@@', code);
}

/** A body of `bytes` spaces in 1 MiB chunks, made as it is read: the sender never holds it whole. */
export function streamedBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let pulled = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= bytes) {
        controller.close();
        return;
      }
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
}
