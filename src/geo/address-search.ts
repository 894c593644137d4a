/** Most words of a search that take part in matching; the rest are ignored. */
export const MAX_SEARCH_WORDS = 8;

/**
 * Words of an address text for matching: lower case (Cyrillic included), `ё` read as `е`, and
 * anything that is not a letter or a digit treated as a separator, so "ул. Гоголя, 13" gives
 * `ул`, `гоголя`, `13`. The words never contain SQL `LIKE` wildcards.
 */
export function addressWords(text: string): string[] {
  return text.toLowerCase().replaceAll('ё', 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * The stored search text of an address: its words between single spaces, with a space at both
 * ends, so that a search word `w` matches the start of a stored word as `LIKE '% w%'`.
 */
export function addressSearchText(parts: readonly string[]): string {
  return ` ${parts.flatMap(addressWords).join(' ')} `;
}

/** The distinct words of a search (at most {@link MAX_SEARCH_WORDS}). */
export function searchWords(search: string): string[] {
  return [...new Set(addressWords(search))].slice(0, MAX_SEARCH_WORDS);
}
