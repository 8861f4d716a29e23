/** Trimmed, non-empty, first occurrence kept (categories repeat across RSS and Dublin Core). */
export function uniqueStrings(values: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const trimmed = value?.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen];
}
