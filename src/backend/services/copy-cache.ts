// Answers computed from a portal's copy, reused while the copy keeps its version
// (crm_copy_versions: every write to the portal's records, associations or owners moves it), so a
// tab opened again, or by another instance's user, costs one primary-key read instead of its
// queries. Per instance, bounded, least recently used first out.

export type CopyCache<T> = {
  /** The value for `key` at the copy's `version`: the kept one, else `compute()` (kept unless it fails). */
  get(key: string, version: number, compute: () => Promise<T>): Promise<T>;
  readonly size: number;
};

export function createCopyCache<T>(opts: {
  /** Entries kept at most (the oldest used goes first). */
  max: number;
  /** Past this age an entry is computed again even at the same version (answers that depend on the clock). */
  ttlMs: number;
  now: () => number;
}): CopyCache<T> {
  const entries = new Map<string, { version: number; at: number; value: Promise<T> }>();
  return {
    get(key, version, compute) {
      const hit = entries.get(key);
      if (hit && hit.version === version && opts.now() - hit.at < opts.ttlMs) {
        entries.delete(key); // most recently used last
        entries.set(key, hit);
        return hit.value;
      }
      const entry = { version, at: opts.now(), value: compute() };
      entries.delete(key);
      entries.set(key, entry);
      // A failed computation is not kept (the next request tries again).
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      while (entries.size > opts.max) entries.delete(entries.keys().next().value!);
      return entry.value;
    },
    get size() {
      return entries.size;
    },
  };
}
