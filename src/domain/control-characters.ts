/*
 * C0 control characters (but tab and newline) and DEL are not text: XML 1.0
 * §2.2 forbids them in a document, and printed they drive the terminal (ESC
 * starts the sequences that move the cursor, clear the screen, retitle the
 * window or write to the clipboard). A feed cannot be trusted to leave them
 * out, so they never reach a title, a body, a file or a commit message, and
 * a log line shows them escaped.
 */

/** C0 but tab and newline, and DEL. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Also the C1 controls, for what a terminal reads: U+009B is CSI, as ESC [ is, on some terminals. */
const PRINTED_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function hasControlCharacters(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/** The text without C0 control characters (tab and newline kept) and DEL. */
export function stripControlCharacters(text: string): string {
  return hasControlCharacters(text) ? text.replace(CONTROL, '') : text;
}

/**
 * For a log line: every control character that a terminal would act on
 * written as `\x1b`, so the maintainer sees what a feed sent instead of
 * having it run. Tab and newline stay.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(PRINTED_CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
