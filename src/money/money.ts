/**
 * Money and quantities as integers.
 *
 * Inside the hub an amount is an integer number of kopecks and a quantity an integer number of
 * thousandths (as r_keeper counts them). Decimal text is converted exactly, digit by digit, never
 * through floating-point arithmetic: a JSON number is first turned into its shortest decimal
 * spelling, which is what the client wrote (`99.99` stays "99.99").
 */
export type Kopecks = number;
export type Thousandths = number;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export type DecimalResult = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Parses a decimal given as JSON number or string into an integer scaled by 10^scale.
 * Rejects more fraction digits than `scale`, exponents, commas, blanks and non-finite values.
 */
export function parseScaledDecimal(input: unknown, scale: number): DecimalResult {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, problem: 'must be a finite number' };
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return { ok: false, problem: 'must be a number' };
  }

  if (/e/i.test(text)) text = expandExponent(text) ?? text;
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, problem: 'must be a number' };

  const [, sign, whole = '', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > scale) {
    return { ok: false, problem: `must have at most ${scale} decimal places` };
  }

  const digits = whole + significant.padEnd(scale, '0');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { ok: false, problem: 'is too large' };
  return { ok: true, value: sign ? -value : value };
}

/** Exact decimal spelling of numbers JavaScript prints with an exponent (1e-7, 1e+21). */
function expandExponent(text: string): string | undefined {
  const m = /^(-)?(\d+)(?:\.(\d+))?e([+-]?\d+)$/i.exec(text);
  if (!m) return undefined;

  const [, sign = '', whole = '', fraction = '', expText = '0'] = m;
  const exp = Number(expText);
  if (Math.abs(exp) > 40) return undefined;

  const digits = whole + fraction;
  const point = whole.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Roubles (≤ 2 decimals) to kopecks. */
export function parseKopecks(input: unknown): DecimalResult {
  return parseScaledDecimal(input, 2);
}

/** Quantity (≤ 3 decimals) to thousandths. */
export function parseThousandths(input: unknown): DecimalResult {
  return parseScaledDecimal(input, 3);
}

/** Kopecks as the wire's decimal roubles (a JSON number: 97800 → 978, 29997 → 299.97). */
export function toRoubles(kopecks: Kopecks): number {
  return Number(formatScaled(kopecks, 2));
}

/** Thousandths as a JSON number (1500 → 1.5). */
export function toQuantity(thousandths: Thousandths): number {
  return Number(formatScaled(thousandths, 3));
}

/** Exact decimal text of a scaled integer (29997, 2 → "299.97"). */
export function formatScaled(value: number, scale: number): string {
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/**
 * Total of one line: unit price × quantity, rounded half-up to the kopeck.
 * Integer arithmetic throughout (price in kopecks, quantity in thousandths).
 */
export function lineTotal(price: Kopecks, quantity: Thousandths): Kopecks {
  const product = BigInt(price) * BigInt(quantity);
  const rounded = (product * 2n + 1000n) / 2000n;
  return Number(rounded);
}
