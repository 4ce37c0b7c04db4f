/**
 * A JSON number whose literal a JavaScript number cannot reproduce: `1.10` (scale),
 * `1e400` (beyond double), `0.1000000000000000055511151231257827` (beyond double
 * precision), `12345678901234567890123` (beyond 2^53), `-0`, `1E5`. The literal is kept
 * and written verbatim into raw_data (jsonb's numeric holds it exactly); record_hash
 * uses its value form (`hashForm`), so numerically equal literals hash alike and records
 * whose numbers were already exact keep the hash they had before this class existed.
 */
export class JsonNumber {
  private hash?: string;
  constructor(readonly literal: string) {}

  /** The nearest double, for arithmetic: `+n`, `n * 1000`. */
  valueOf(): number {
    return Number(this.literal);
  }

  /** The value as text: what record_hash covers and what an id made of it becomes. */
  toString(): string {
    return (this.hash ??= hashForm(this.literal));
  }

  /** JSON.stringify writes the literal as a string; bronze's own writer writes the number. */
  toJSON(): string {
    return this.literal;
  }

  /** The value a validator or a stream's id()/timestamp() sees: a number, or a BigInt for long integers. */
  toPlain(): number | bigint {
    if (INTEGER.test(this.literal)) {
      const n = Number(this.literal);
      return Number.isSafeInteger(n) ? n : BigInt(this.literal);
    }
    const n = Number(this.literal);
    // A validator's Type.Number() refuses Infinity: the nearest finite double stands in.
    return Number.isFinite(n) ? n : Math.sign(n) * Number.MAX_VALUE;
  }
}

const INTEGER = /^-?\d+$/;
/** -?[1-9]… integers, or decimals ending in a non-zero digit and not below 1e-6 (no exponent, no -0). */
const SHORT_PLAIN = /^(?:-?[1-9]\d*|0|-?0(?=\.))(?:\.(?!0{6})\d*[1-9])?$/;

/** A number literal's value: a plain number when it writes back identically, else a JsonNumber. */
export function numberOf(literal: string): number | JsonNumber {
  const n = Number(literal);
  // Short integers and short decimals without a trailing zero are what String(n) writes.
  if (literal.length <= 15 && SHORT_PLAIN.test(literal)) return n;
  // JSON.stringify(n) === literal for ordinary literals (42, -3.5, 0.1); no allocation then.
  if (String(n) === literal) return n;
  return new JsonNumber(literal);
}

/**
 * The value form of a literal, for hashing: a long integer's digits (as BigInt wrote
 * them), a literal equal in value to a double as that double's JSON text (`1.10` → `1.1`,
 * `1E5` → `100000`), anything else as normalized digits and exponent (`1e400`).
 */
export function hashForm(literal: string): string {
  if (INTEGER.test(literal)) return BigInt(literal).toString();
  const n = Number(literal);
  const decimal = normalizeDecimal(literal);
  if (Number.isFinite(n) && normalizeDecimal(String(n)) === decimal) return JSON.stringify(n);
  return decimal;
}

/** `-0012.3400e2` → `-1234`, `1.10` → `11e-1`: sign, significant digits, exponent. */
export function normalizeDecimal(literal: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return literal;
  const [, sign, intPart, fracPart = '', expPart = '0'] = m;
  let digits = intPart + fracPart;
  let exp = BigInt(expPart) - BigInt(fracPart.length);
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exp += BigInt(trailing);
  return `${sign}${digits}${exp === 0n ? '' : `e${exp}`}`;
}
