// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which client_golang uses for every sample value and `le`
// label. JavaScript already finds the shortest round-trip digits (`toExponential()` without an argument);
// only the layout differs: Go switches to exponent form below 1e-4 and from 1e6 on (JS: 1e-7 and 1e21) and
// writes the exponent signed with at least two digits.

/**
 * Counters are mostly integers: below 2^53 every digit of an integer is needed to round-trip it, so its
 * shortest digits are its decimal digits without trailing zeros. Cheaper than toExponential() on the
 * scrape path of a million counters.
 */
function integerInExponentForm(n: number): string {
  const text = String(Math.abs(n));
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48 /* 0 */) end--;
  const exponent = text.length - 1;
  const fraction = end > 1 ? `.${text.slice(1, end)}` : '';
  return `${n < 0 ? '-' : ''}${text[0] as string}${fraction}e+${exponent < 10 ? '0' : ''}${exponent}`;
}

/** Formats `n` byte-for-byte like Go's `strconv.FormatFloat(n, 'g', -1, 64)`. */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const magnitude = Math.abs(n);
  // Between 1e-4 and 1e6 both languages print plain decimals with the same shortest digits.
  if (magnitude >= 1e-4 && magnitude < 1e6) return String(n);
  if (Number.isSafeInteger(n)) return integerInExponentForm(n);

  const scientific = n.toExponential();
  const sign = n < 0 ? '-' : '';
  const mantissaEnd = scientific.indexOf('e');
  const digits = scientific.slice(sign.length, mantissaEnd).replace('.', '');
  const exponent = Number(scientific.slice(mantissaEnd + 1));

  // With the shortest precision Go's %g picks exponent form exactly when the exponent is < -4 or >= 6.
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
