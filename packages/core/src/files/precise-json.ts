import { JsonValueBuilder } from './json-builder.js';
import { JsonNumber, numberOf } from './json-number.js';

export { JsonNumber } from './json-number.js';

/**
 * A number literal's value: a plain number when it writes back identically, else a
 * JsonNumber keeping the literal (see json-number.ts).
 */
export function preciseNumber(literal: string): number | JsonNumber {
  return numberOf(literal);
}

const CONTROL = /[\u0000-\u001f]/;
const SPECIAL = /["\\\u0000-\u001f]/g;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * JSON.parse, except that nothing is lost: numbers keep their exact literal when a double
 * cannot (JsonNumber), `__proto__` is an own key, duplicate keys keep their earlier values
 * (DUPLICATE_KEYS), and any depth parses (no recursion). Bad JSON throws a SyntaxError
 * naming the position.
 */
export function parseJsonPrecise(text: string): unknown {
  const b = new JsonValueBuilder();
  const n = text.length;
  let i = 0;
  // What the next token may be: a value, a key (or `}` right after `{`), or `,`/close.
  let expect: 'value' | 'key' | 'after' = 'value';
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}${i < n ? ` (${JSON.stringify(text.slice(i, i + 12))})` : ' (end of text)'}`);
  };
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  const readString = (): string => {
    const start = ++i;
    // Fast path: the first quote, backslash or control character is the closing quote.
    SPECIAL.lastIndex = start;
    const m = SPECIAL.exec(text);
    if (m && m[0] === '"') {
      i = m.index + 1;
      return text.slice(start, m.index);
    }
    // Escapes (or damage): jump from quote to quote, a quote after an odd run of backslashes being escaped.
    let end = text.indexOf('"', start);
    for (;;) {
      if (end === -1) {
        i = n;
        fail('unterminated string');
      }
      let k = end - 1;
      while (k >= start && text.charCodeAt(k) === 92) k--;
      if ((end - 1 - k) % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    const raw = text.slice(start, end);
    i = end + 1;
    if (CONTROL.test(raw)) {
      i = start + raw.search(CONTROL);
      fail('control character in string');
    }
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      i = start;
      return fail('bad escape in string');
    }
  };
  // Containers open: true for an object, false for an array.
  const open: boolean[] = [];
  skipSpace();
  while (i < n || expect !== 'after' || open.length) {
    skipSpace();
    const c = text.charCodeAt(i);
    if (expect === 'after') {
      if (!open.length) break;
      const inObject = open[open.length - 1];
      if (c === 44) {
        i++;
        expect = inObject ? 'key' : 'value';
        skipSpace();
        if (inObject && text.charCodeAt(i) !== 34) fail('expected a key');
        if (!inObject && text.charCodeAt(i) === 93) fail('unexpected ]');
        continue;
      }
      if (c === (inObject ? 125 : 93)) {
        i++;
        open.pop();
        b.end();
        continue;
      }
      fail(inObject ? 'expected , or }' : 'expected , or ]');
    }
    if (expect === 'key') {
      // Only reachable right after `{`: a comma is checked to be followed by a key.
      if (c === 125) {
        i++;
        open.pop();
        b.end();
        expect = 'after';
        continue;
      }
      if (c !== 34) fail('expected a key');
      b.keyValue(readString());
      skipSpace();
      if (text.charCodeAt(i) !== 58) fail('expected :');
      i++;
      expect = 'value';
      continue;
    }
    // A value.
    if (c === 123) {
      i++;
      open.push(true);
      b.startObject();
      expect = 'key';
      continue;
    }
    if (c === 91) {
      i++;
      skipSpace();
      b.startArray();
      if (text.charCodeAt(i) === 93) {
        i++;
        b.end();
        expect = 'after';
        continue;
      }
      open.push(false);
      continue;
    }
    if (c === 34) b.stringValue(readString());
    else if (c === 116 && text.startsWith('true', i)) {
      b.literal(true);
      i += 4;
    } else if (c === 102 && text.startsWith('false', i)) {
      b.literal(false);
      i += 5;
    } else if (c === 110 && text.startsWith('null', i)) {
      b.literal(null);
      i += 4;
    } else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail(i >= n ? 'unexpected end of JSON' : 'unexpected token');
      b.numberValue(m![0]);
      i += m![0].length;
    }
    expect = 'after';
  }
  skipSpace();
  if (i < n) fail('unexpected text after the JSON value');
  if (!b.done) fail('unexpected end of JSON');
  return b.value;
}

/** True when a parsed value holds a JsonNumber anywhere (tests, callers that need plain numbers). */
export function holdsJsonNumber(value: unknown): boolean {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof JsonNumber) return true;
    if (v && typeof v === 'object') stack.push(...Object.values(v as object));
  }
  return false;
}
