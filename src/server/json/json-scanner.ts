// A streaming JSON syntax checker over UTF-8 bytes. It says where malformed JSON breaks (line,
// column, what was expected) and hands over the raw bytes of chosen values as they complete, so a
// bundle of 20,000 forms is read one form at a time instead of as one giant JSON.parse.
// Structural characters are ASCII, so scanning bytes is safe: UTF-8 multi-byte sequences never hold one.
// It also refuses a key repeated in one object: JSON.parse keeps the last, another reader the first, and
// the seal (RFC 8785, I-JSON) forbids them.

export type JsonPath = ReadonlyArray<string | number>;
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'literal';

export class JsonSyntaxError extends Error {
  constructor(readonly offset: number, readonly line: number, readonly column: number, readonly reason: string) {
    super(`malformed JSON at line ${line}, column ${column}: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

/** A key named twice in one object; line and column are where the second one starts. */
export class JsonDuplicateKeyError extends JsonSyntaxError {
  constructor(offset: number, line: number, column: number, readonly key: string) {
    super(offset, line, column, `duplicate key ${JSON.stringify(key)}: an object may name each key only once`);
    this.message = `duplicate key ${JSON.stringify(key)} at line ${line}, column ${column}: an object may name each key only once`;
    this.name = 'JsonDuplicateKeyError';
  }
}

export interface JsonScanHooks {
  /** how deep keys and indexes are tracked; values deeper than this are never offered */
  pathDepth: number;
  /** a value at depth ≤ pathDepth starts; answer true to receive its raw bytes when it ends */
  onValue(path: JsonPath, kind: JsonKind): boolean;
  onCapture(path: JsonPath, bytes: Uint8Array): void;
}

/** how deep a streamed document may nest: its bundles hold forms, never deep structures */
const MAX_DEPTH = 512;

// scanner states
const VALUE = 0, FIRST_KEY_OR_END = 1, KEY = 2, COLON = 3, COMMA_OR_END = 4, FIRST_VALUE_OR_END = 5,
  STRING = 6, ESCAPE = 7, HEX = 8, NUMBER = 9, LITERAL = 10, DONE = 11;
// number sub-states: after '-', after a leading 0, integer digits, after '.', fraction digits, after 'e', after its sign, exponent digits
const N_MINUS = 0, N_ZERO = 1, N_INT = 2, N_DOT = 3, N_FRAC = 4, N_EXP = 5, N_EXP_SIGN = 6, N_EXP_DIGITS = 7;
const NUMBER_CAN_END = [false, true, true, false, true, false, false, true];

interface Frame {
  array: boolean;
  /** current key (objects) or index (arrays, when tracked) */
  key: string | number | null;
  /** the keys an object has named so far, from its second one (a chain of one-key objects stays small):
   * a list while short (most objects have a few keys), a set beyond */
  keys: string[] | Set<string> | null;
  /** untracked arrays nested in one another, kept as one frame: "[[[[…" costs no memory per level */
  run: number;
}

interface Capture {
  depth: number;
  path: JsonPath;
  chunks: Uint8Array[];
  start: number;
}

const isWhitespace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isHex = (b: number) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
const decoder = new TextDecoder('utf-8', { fatal: true });

export class JsonScanner {
  private state = VALUE;
  private numberState = N_MINUS;
  private literal = '';
  private literalAt = 0;
  private stringIsKey = false;
  private hexLeft = 0;
  private readonly stack: Frame[] = [];
  private depth = 0;
  private capture: Capture | null = null;
  private keyCapture: { chunks: Uint8Array[]; start: number; escaped: boolean; offset: number; line: number; column: number } | null = null;
  private offset = 0;
  private line = 1;
  private column = 0;
  private sawValue = false;

  constructor(private readonly hooks?: JsonScanHooks, private readonly maxDepth = MAX_DEPTH) {}

  write(chunk: Uint8Array): void {
    if (this.capture) this.capture.start = 0;
    if (this.keyCapture) this.keyCapture.start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (this.state === STRING) {
        // most of a form's bytes are inside strings (the signature's base64): run to the closing quote,
        // an escape or a control character in one tight loop; a string holds no raw newline
        let j = i;
        let characters = 0;
        for (; j < chunk.length; j++) {
          const c = chunk[j]!;
          if (c === 0x22 || c === 0x5c || c < 0x20) break;
          if ((c & 0xc0) !== 0x80) characters++;
        }
        this.column += characters;
        this.offset += j - i;
        i = j;
        if (i === chunk.length) break;
      }
      const b = chunk[i]!;
      // columns count characters, not bytes (UTF-8 continuation bytes are skipped); a newline is the last column of its line
      if ((b & 0xc0) !== 0x80) this.column++;
      this.step(b, chunk, i);
      this.offset++;
      if (b === 0x0a) {
        this.line++;
        this.column = 0;
      }
    }
    if (this.capture) this.capture.chunks.push(chunk.subarray(this.capture.start));
    if (this.keyCapture) this.keyCapture.chunks.push(chunk.subarray(this.keyCapture.start));
  }

  /** Call after the last chunk; throws if the JSON is incomplete. */
  end(): void {
    if (this.state === NUMBER) {
      if (!NUMBER_CAN_END[this.numberState]) this.fail('the number is incomplete');
      this.valueEnded(new Uint8Array(0), 0);
    }
    if (this.state !== DONE) this.fail(this.sawValue ? 'the JSON ends too early (something is not closed)' : 'expected JSON, found nothing');
  }

  private step(b: number, chunk: Uint8Array, i: number): void {
    switch (this.state) {
      case STRING:
        if (b === 0x22) {
          if (this.stringIsKey) this.keyEnded(chunk, i);
          else this.valueEnded(chunk, i + 1);
        } else if (b === 0x5c) {
          if (this.keyCapture) this.keyCapture.escaped = true;
          this.state = ESCAPE;
        } else if (b < 0x20) {
          this.fail('a control character inside a string must be escaped');
        }
        return;
      case ESCAPE:
        if (b === 0x75) {
          this.state = HEX;
          this.hexLeft = 4;
        } else if (b === 0x22 || b === 0x5c || b === 0x2f || b === 0x62 || b === 0x66 || b === 0x6e || b === 0x72 || b === 0x74) {
          this.state = STRING;
        } else {
          this.fail('invalid escape sequence in a string');
        }
        return;
      case HEX:
        if (!isHex(b)) this.fail('expected 4 hex digits after \\u');
        if (--this.hexLeft === 0) this.state = STRING;
        return;
      case NUMBER:
        if (this.number(b)) return;
        if (!NUMBER_CAN_END[this.numberState]) this.fail('the number is incomplete');
        this.valueEnded(chunk, i);
        this.step(b, chunk, i); // the byte after a number belongs to what follows it
        return;
      case LITERAL:
        if (b !== this.literal.charCodeAt(this.literalAt)) this.fail(`expected ${this.literal}`);
        if (++this.literalAt === this.literal.length) this.valueEnded(chunk, i + 1);
        return;
    }
    if (isWhitespace(b)) return;
    switch (this.state) {
      case VALUE:
        if (b === 0x5d) this.fail('expected a value (is there a comma too many?)');
        if (b === 0x7d) this.fail('expected a value after the colon');
        this.startValue(b, chunk, i);
        return;
      case FIRST_VALUE_OR_END:
        if (b === 0x5d) this.close(chunk, i);
        else this.startValue(b, chunk, i);
        return;
      case FIRST_KEY_OR_END:
        if (b === 0x7d) this.close(chunk, i);
        else if (b === 0x22) this.startKey(i);
        else this.fail('expected a key in double quotes or }');
        return;
      case KEY:
        if (b === 0x22) this.startKey(i);
        else this.fail(b === 0x7d ? 'expected a key after the comma (is there a comma too many?)' : 'expected a key in double quotes');
        return;
      case COLON:
        if (b === 0x3a) this.state = VALUE;
        else this.fail('expected : after the key');
        return;
      case COMMA_OR_END: {
        const top = this.stack[this.stack.length - 1]!;
        if (b === 0x2c) {
          if (top.array) {
            if (top.key !== null) top.key = (top.key as number) + 1;
            this.state = VALUE;
          } else {
            this.state = KEY;
          }
        } else if ((b === 0x5d && top.array) || (b === 0x7d && !top.array)) {
          this.close(chunk, i);
        } else {
          this.fail(top.array ? 'expected , or ]' : 'expected , or }');
        }
        return;
      }
      case DONE:
        this.fail('unexpected text after the end of the JSON value');
    }
  }

  private startValue(b: number, chunk: Uint8Array, i: number): void {
    let kind: JsonKind;
    if (b === 0x7b) kind = 'object';
    else if (b === 0x5b) kind = 'array';
    else if (b === 0x22) kind = 'string';
    else if (b === 0x2d || isDigit(b)) kind = 'number';
    else if (b === 0x74 || b === 0x66 || b === 0x6e) kind = 'literal';
    else return this.fail('expected a value (an object, array, string, number, true, false or null)');
    this.sawValue = true;

    const depth = this.depth;
    // levels up to pathDepth are never runs: one frame each
    if (this.hooks && !this.capture && depth <= this.hooks.pathDepth) {
      const path = this.stack.map((f) => f.key ?? '');
      if (this.hooks.onValue(path, kind)) this.capture = { depth, path, chunks: [], start: i };
    }
    switch (kind) {
      case 'object':
      case 'array':
        if (depth >= this.maxDepth) this.fail(`nested deeper than ${this.maxDepth} levels`);
        this.depth++;
        if (kind === 'object') this.stack.push({ array: false, key: null, keys: null, run: 1 });
        else if (this.hooks && depth < this.hooks.pathDepth) this.stack.push({ array: true, key: 0, keys: null, run: 1 });
        else this.pushUntrackedArray();
        this.state = kind === 'array' ? FIRST_VALUE_OR_END : FIRST_KEY_OR_END;
        return;
      case 'string':
        this.stringIsKey = false;
        this.state = STRING;
        return;
      case 'number':
        this.state = NUMBER;
        this.numberState = b === 0x2d ? N_MINUS : b === 0x30 ? N_ZERO : N_INT;
        return;
      case 'literal':
        this.literal = b === 0x74 ? 'true' : b === 0x66 ? 'false' : 'null';
        this.literalAt = 1;
        this.state = LITERAL;
    }
  }

  /** Advances the number grammar; false when b cannot continue the number. */
  private number(b: number): boolean {
    const digit = isDigit(b);
    switch (this.numberState) {
      case N_MINUS:
        if (!digit) this.fail('expected a digit after -');
        this.numberState = b === 0x30 ? N_ZERO : N_INT;
        return true;
      case N_ZERO:
      case N_INT:
        if (digit && this.numberState === N_INT) return true;
        if (digit) this.fail('a number cannot start with 0 followed by digits');
        if (b === 0x2e) return (this.numberState = N_DOT), true;
        if (b === 0x65 || b === 0x45) return (this.numberState = N_EXP), true;
        return false;
      case N_DOT:
        if (!digit) this.fail('expected a digit after the decimal point');
        this.numberState = N_FRAC;
        return true;
      case N_FRAC:
        if (digit) return true;
        if (b === 0x65 || b === 0x45) return (this.numberState = N_EXP), true;
        return false;
      case N_EXP:
        if (b === 0x2b || b === 0x2d) return (this.numberState = N_EXP_SIGN), true;
        if (!digit) this.fail('expected a digit in the exponent');
        this.numberState = N_EXP_DIGITS;
        return true;
      case N_EXP_SIGN:
        if (!digit) this.fail('expected a digit in the exponent');
        this.numberState = N_EXP_DIGITS;
        return true;
      default:
        return digit;
    }
  }

  private startKey(i: number): void {
    this.stringIsKey = true;
    this.state = STRING;
    this.keyCapture = { chunks: [], start: i, escaped: false, offset: this.offset, line: this.line, column: this.column };
  }

  private keyEnded(chunk: Uint8Array, i: number): void {
    const capture = this.keyCapture!;
    this.keyCapture = null;
    // a short ASCII key without escapes, all in this chunk (nearly every key), is read straight from the bytes
    let key = !capture.escaped && capture.chunks.length === 0 ? asciiText(chunk, capture.start + 1, i) : null;
    if (key === null) {
      // the bytes between the quotes; only a key with an escape needs JSON.parse to read it
      const bytes = concat([...capture.chunks, chunk.subarray(capture.start, i + 1)]).subarray(1, -1);
      try {
        key = capture.escaped ? JSON.parse(`"${decoder.decode(bytes)}"`) as string : decoder.decode(bytes);
      } catch {
        return this.fail('the key is not valid UTF-8');
      }
    }
    const top = this.stack[this.stack.length - 1]!;
    if (top.key !== null) {
      let repeated: boolean;
      if (top.keys === null) {
        repeated = key === top.key;
        top.keys = [top.key as string, key];
      } else if (Array.isArray(top.keys)) {
        repeated = top.keys.includes(key);
        top.keys.push(key);
        if (top.keys.length > SHORT_KEY_LIST) top.keys = new Set(top.keys);
      } else {
        repeated = top.keys.has(key);
        top.keys.add(key);
      }
      if (repeated) throw new JsonDuplicateKeyError(capture.offset, capture.line, capture.column, key);
    }
    top.key = key;
    this.state = COLON;
  }

  /** an array whose index no path needs */
  private pushUntrackedArray(): void {
    const top = this.stack[this.stack.length - 1];
    if (top && top.array && top.key === null) top.run++;
    else this.stack.push({ array: true, key: null, keys: null, run: 1 });
  }

  private close(chunk: Uint8Array, i: number): void {
    this.depth--;
    if (--this.stack[this.stack.length - 1]!.run === 0) this.stack.pop();
    this.valueEnded(chunk, i + 1);
  }

  /** A value ended just before `end` in `chunk`: hand over its bytes if it was being captured. */
  private valueEnded(chunk: Uint8Array, end: number): void {
    const capture = this.capture;
    if (capture && capture.depth === this.depth) {
      this.capture = null;
      this.hooks!.onCapture(capture.path, concat([...capture.chunks, chunk.subarray(capture.start, end)]));
    }
    this.state = this.depth === 0 ? DONE : COMMA_OR_END;
  }

  private fail(reason: string): never {
    throw new JsonSyntaxError(this.offset, this.line, this.column, reason);
  }
}

/** Past this many keys an object's keys are kept in a set. */
const SHORT_KEY_LIST = 16;

/** The bytes [from, to) as text when they are few and all ASCII; null otherwise (decoded the long way). */
function asciiText(bytes: Uint8Array, from: number, to: number): string | null {
  if (to - from > 64) return null;
  let text = '';
  for (let k = from; k < to; k++) {
    const c = bytes[k]!;
    if (c >= 0x80) return null;
    text += String.fromCharCode(c);
  }
  return text;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
}

/**
 * Where and why `bytes`, a whole document, is not JSON or names a key twice; null when it is fine. Its
 * nesting is bounded only by its size, as for JSON.parse: the forms it holds are refused one by one.
 */
export function findJsonSyntaxError(bytes: Uint8Array): JsonSyntaxError | null {
  const scanner = new JsonScanner(undefined, Infinity);
  try {
    scanner.write(bytes);
    scanner.end();
    return null;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
}
