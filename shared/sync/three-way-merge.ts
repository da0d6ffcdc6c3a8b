/**
 * Three-way merge of one record, field by field: the base (what both sides last agreed on), mine
 * (the sheet) and theirs (the server). A field only I changed is sent, a field only they changed
 * is taken, the same new value on both sides is simply agreed, and only the same field changed to
 * different values is a conflict. Pure: the Excel pane runs it per row, the tests run it on
 * generated records.
 */

/** A field's value as the merge sees it: text, a number, or nothing. */
export type MergeValue = string | number | null;

export type MergeRecord<K extends string> = Record<K, MergeValue>;

export interface FieldConflict<K extends string> {
  field: K;
  base: MergeValue;
  mine: MergeValue;
  theirs: MergeValue;
}

export interface FieldMerge<K extends string> {
  /** Fields only I changed, with my values: to send. */
  send: Partial<MergeRecord<K>>;
  /** Fields only they changed, with their values: to write into my copy. */
  take: Partial<MergeRecord<K>>;
  /** Fields both changed to the same value: nothing to do but agree. */
  agreed: K[];
  /** Fields both changed to different values. */
  conflicts: FieldConflict<K>[];
}

/**
 * Whether two values say the same: null and "" are both empty, text compares trimmed, and numbers
 * compare to a hundredth (amounts are shown in major units, stored in minor units).
 *
 * @example sameValue(' Call ', 'Call') // true
 * @example sameValue(1200.5, 1200.50000001) // true
 * @example sameValue(null, '') // true
 */
export function sameValue(a: MergeValue | undefined, b: MergeValue | undefined): boolean {
  const empty = (v: MergeValue | undefined) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  if (typeof a === 'number' || typeof b === 'number') {
    const [n, s] = typeof a === 'number' ? [a, String(b)] : [b as number, String(a)];
    const parsed = Number(s.trim());
    return s.trim() !== '' && Number.isFinite(parsed) && Math.abs(parsed - n) < 0.005;
  }
  return String(a).trim() === String(b).trim();
}

/**
 * Merges mine and theirs against their common base, for the given fields.
 *
 * @example
 * mergeFields(['stage', 'amount'], { stage: 'new', amount: 10 }, { stage: 'proposal', amount: 10 }, { stage: 'new', amount: 12 })
 * // { send: { stage: 'proposal' }, take: { amount: 12 }, agreed: [], conflicts: [] }
 */
export function mergeFields<K extends string>(
  fields: readonly K[],
  base: MergeRecord<K>,
  mine: MergeRecord<K>,
  theirs: MergeRecord<K>,
  same: (a: MergeValue, b: MergeValue, field: K) => boolean = (a, b) => sameValue(a, b),
): FieldMerge<K> {
  const out: FieldMerge<K> = { send: {}, take: {}, agreed: [], conflicts: [] };
  for (const f of fields) {
    const b = base[f] ?? null;
    const m = mine[f] ?? null;
    const t = theirs[f] ?? null;
    const mineChanged = !same(m, b, f);
    const theirsChanged = !same(t, b, f);
    if (mineChanged && theirsChanged) {
      if (same(m, t, f)) out.agreed.push(f);
      else out.conflicts.push({ field: f, base: b, mine: m, theirs: t });
    } else if (mineChanged) out.send[f] = m;
    else if (theirsChanged) out.take[f] = t;
  }
  return out;
}

/** What happens to a whole record when one side may have deleted it or not have it yet. */
export type RowMerge<K extends string> =
  /** Both sides have it: merge field by field. */
  | { kind: 'fields'; merge: FieldMerge<K> }
  /** It is new on their side: add it to mine. */
  | { kind: 'add' }
  /** They deleted it and I did not change it: remove it from mine. */
  | { kind: 'remove' }
  /** They deleted it while I changed it: a conflict of the whole record. */
  | { kind: 'deleted-conflict'; changed: K[] }
  /** Nothing to do (deleted on both sides, or never known to either). */
  | { kind: 'none' };

/**
 * The record-level merge: `null` means the side does not have the record (mine: not on the sheet;
 * theirs: deleted on the server or out of the scope). A record neither side had before (no base)
 * that both have is merged against an empty base, so every field that differs is a conflict.
 *
 * @example mergeRecord(['stage'], { stage: 'new' }, { stage: 'new' }, null) // { kind: 'remove' }
 */
export function mergeRecord<K extends string>(
  fields: readonly K[],
  base: MergeRecord<K> | null,
  mine: MergeRecord<K> | null,
  theirs: MergeRecord<K> | null,
  same?: (a: MergeValue, b: MergeValue, field: K) => boolean,
): RowMerge<K> {
  if (!theirs) {
    if (!mine || !base) return { kind: 'none' };
    const changed = fields.filter((f) => !(same ?? ((a, b) => sameValue(a, b)))(mine[f] ?? null, base[f] ?? null, f));
    return changed.length ? { kind: 'deleted-conflict', changed } : { kind: 'remove' };
  }
  if (!mine) return { kind: 'add' };
  const empty = Object.fromEntries(fields.map((f) => [f, null])) as MergeRecord<K>;
  return { kind: 'fields', merge: mergeFields(fields, base ?? empty, mine, theirs, same) };
}
