/** One page of a keyset list: the rows, and the sort key of the last one when more follow. */
export interface KeysetPage<T, K> {
  items: T[];
  next?: K;
}

/**
 * The one keyset paging step of every list: fetch one row more than the page holds (`fetch(limit + 1)`,
 * rows after the previous page's key, in the list's order); when it comes, more follow and the page's last
 * row gives the next key. No OFFSET: page N costs what page 1 costs.
 */
export async function keysetPage<T, K>(
  limit: number,
  fetch: (take: number) => Promise<T[]>,
  keyOf: (last: T) => K,
): Promise<KeysetPage<T, K>> {
  const rows = await fetch(limit + 1);
  const items = rows.slice(0, limit);
  const more = rows.length > limit && items.length > 0;
  return { items, next: more ? keyOf(items[items.length - 1]) : undefined };
}
