/**
 * C0 and C1 control characters (ESC, CSI, CR, LF, NUL, ...) and the Unicode
 * controls that reorder or break displayed text (bidi overrides and
 * isolates, line and paragraph separators). In a string from a server they
 * are an attack on whatever shows it: a terminal title or colour, a forged
 * line in a log, a GitHub Actions workflow command after a newline.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text without any control character: for every server-sourced string before it is stored or printed. */
export function stripControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/** Whether the text has a control character. */
export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  return CONTROLS.test(text);
}

/** A JSON-quoted rendering with every control character escaped, for naming untrusted text in a message. */
export function quoted(text: string): string {
  return JSON.stringify(text).replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
