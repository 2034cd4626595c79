/**
 * Lower-cases A-Z only. `toLowerCase` maps some non-ASCII letters onto ASCII
 * ones (KELVIN SIGN to "k"), which would let a look-alike host match.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
