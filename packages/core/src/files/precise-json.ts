/**
 * JSON numbers past 2^53 lose digits in JSON.parse (a 19-digit snowflake id would be
 * stored altered). These helpers keep such integers exactly, as BigInt: canonical JSON
 * writes a BigInt's digits as they were, and jsonb stores them as the exact numeric.
 */

/** A number literal's value: a Number when that is exact, else a BigInt for integers. */
export function preciseNumber(literal: string): number | bigint {
  const n = Number(literal);
  if (Number.isSafeInteger(n) || !/^-?\d+$/.test(literal)) return n;
  return BigInt(literal);
}

const MARK = '\u0000bronze-bigint:';

/** JSON.parse, except that integers beyond 2^53 become BigInt instead of rounded Numbers. */
export function parseJsonPrecise(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  // Quote long integer literals outside strings, then turn them back into BigInt.
  let out = '';
  let inString = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
      const literal = text.slice(i, j);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(last, i) + JSON.stringify(MARK + literal);
        last = j;
      }
      i = j - 1;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v) => (typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
}
