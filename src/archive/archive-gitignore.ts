/** What an archive's .gitignore must list: the catalog is an index rebuilt from the files; temp files and the lock belong to a run. */
export const ARCHIVE_IGNORED: readonly string[] = ['.newsmirror/catalog.sqlite*', '.newsmirror/tmp/', '.newsmirror/lock*'];

/**
 * `current` (a .gitignore's text, or undefined when there is none) with the
 * lines of ARCHIVE_IGNORED it lacks added at its end, the user's lines kept;
 * undefined when it lacks none.
 */
export function withArchiveIgnored(current: string | undefined): string | undefined {
  const lines = current === undefined ? [] : current.split('\n');
  const missing = ARCHIVE_IGNORED.filter((line) => !lines.includes(line));
  if (missing.length === 0) return undefined;
  const head = current === undefined || current === '' ? '' : current.endsWith('\n') ? current : `${current}\n`;
  return `${head}${missing.join('\n')}\n`;
}
