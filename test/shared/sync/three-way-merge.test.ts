import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFields, mergeRecord, sameValue, type MergeRecord } from '../../../shared/sync/three-way-merge';

const FIELDS = ['title', 'stage', 'amount', 'nextStep'] as const;
type F = (typeof FIELDS)[number];

const value = fc.oneof(fc.constantFrom<string | number | null>(null, 'new', 'proposal', 'Call', 'Visit'), fc.integer({ min: 0, max: 5 }));
const record = fc.record<MergeRecord<F>>({ title: value, stage: value, amount: value, nextStep: value });
/** A record derived from a base by changing some fields. */
const edited = (base: MergeRecord<F>) =>
  fc
    .record({ title: value, stage: value, amount: value, nextStep: value }, { requiredKeys: [] })
    .map((changes) => ({ ...base, ...changes }));
const triple = record.chain((base) => fc.tuple(fc.constant(base), edited(base), edited(base)));

describe('sameValue', () => {
  it('treats null and blank text as the same empty value, and trims text', () => {
    expect(sameValue(null, '')).toBe(true);
    expect(sameValue('  ', null)).toBe(true);
    expect(sameValue(' Call ', 'Call')).toBe(true);
    expect(sameValue('Call', 'call')).toBe(false);
  });

  it('compares amounts to the hundredth, also when one side is text', () => {
    expect(sameValue(1200.5, 1200.5000001)).toBe(true);
    expect(sameValue(1200.5, 1200.51)).toBe(false);
    expect(sameValue('1200.50', 1200.5)).toBe(true);
    expect(sameValue('abc', 0)).toBe(false);
    expect(sameValue('', 0)).toBe(false);
  });
});

describe('mergeFields', () => {
  it('sends a field only I changed and takes a field only they changed, without a conflict', () => {
    const base = { title: 'Deal', stage: 'new', amount: 10, nextStep: null };
    const merged = mergeFields(FIELDS, base, { ...base, stage: 'proposal' }, { ...base, amount: 12 });
    expect(merged).toEqual({ send: { stage: 'proposal' }, take: { amount: 12 }, agreed: [], conflicts: [] });
  });

  it('calls the same field changed to different values a conflict, with all three values', () => {
    const base = { title: 'Deal', stage: 'new', amount: 10, nextStep: null };
    const merged = mergeFields(FIELDS, base, { ...base, stage: 'proposal' }, { ...base, stage: 'lost', nextStep: 'Call' });
    expect(merged.conflicts).toEqual([{ field: 'stage', base: 'new', mine: 'proposal', theirs: 'lost' }]);
    expect(merged.take).toEqual({ nextStep: 'Call' });
    expect(merged.send).toEqual({});
  });

  it('agrees when both sides made the same change', () => {
    const base = { title: 'Deal', stage: 'new', amount: 10, nextStep: null };
    const merged = mergeFields(FIELDS, base, { ...base, stage: 'won' }, { ...base, stage: 'won' });
    expect(merged).toEqual({ send: {}, take: {}, agreed: ['stage'], conflicts: [] });
  });

  it('with mine unchanged, takes exactly what they changed and never conflicts', () => {
    fc.assert(
      fc.property(triple, ([base, , theirs]) => {
        const merged = mergeFields(FIELDS, base, base, theirs);
        expect(merged.conflicts).toEqual([]);
        expect(merged.send).toEqual({});
        expect(Object.keys(merged.take).sort()).toEqual(FIELDS.filter((f) => !sameValue(base[f], theirs[f])).sort());
      }),
    );
  });

  it('with theirs unchanged, sends exactly what I changed and never conflicts', () => {
    fc.assert(
      fc.property(triple, ([base, mine]) => {
        const merged = mergeFields(FIELDS, base, mine, base);
        expect(merged.conflicts).toEqual([]);
        expect(merged.take).toEqual({});
        expect(Object.keys(merged.send).sort()).toEqual(FIELDS.filter((f) => !sameValue(base[f], mine[f])).sort());
      }),
    );
  });

  it('conflicts only where both changed the same field to different values, and after sending and taking both sides agree elsewhere', () => {
    fc.assert(
      fc.property(triple, ([base, mine, theirs]) => {
        const merged = mergeFields(FIELDS, base, mine, theirs);
        const conflicted = new Set(merged.conflicts.map((c) => c.field));
        for (const f of FIELDS) {
          const real = !sameValue(mine[f], base[f]) && !sameValue(theirs[f], base[f]) && !sameValue(mine[f], theirs[f]);
          expect(conflicted.has(f), f).toBe(real);
        }
        const server = { ...theirs, ...merged.send };
        const sheet = { ...mine, ...merged.take };
        for (const f of FIELDS) if (!conflicted.has(f)) expect(sameValue(server[f], sheet[f]), f).toBe(true);
        // Nothing I changed is dropped: it is sent, already on the server, or a conflict.
        for (const f of FIELDS)
          if (!sameValue(mine[f], base[f])) expect(f in merged.send || sameValue(theirs[f], mine[f]) || conflicted.has(f), f).toBe(true);
      }),
    );
  });

  it('is symmetric: swapping mine and theirs swaps what is sent and what is taken', () => {
    fc.assert(
      fc.property(triple, ([base, mine, theirs]) => {
        const a = mergeFields(FIELDS, base, mine, theirs);
        const b = mergeFields(FIELDS, base, theirs, mine);
        expect(b.send).toEqual(a.take);
        expect(b.take).toEqual(a.send);
        expect(b.conflicts.map((c) => [c.field, c.mine, c.theirs])).toEqual(a.conflicts.map((c) => [c.field, c.theirs, c.mine]));
      }),
    );
  });
});

describe('mergeRecord', () => {
  const base = { title: 'Deal', stage: 'new', amount: 10, nextStep: null };

  it('removes a record they deleted that I did not change', () => {
    expect(mergeRecord(FIELDS, base, { ...base }, null)).toEqual({ kind: 'remove' });
  });

  it('keeps a record they deleted while I changed it, as a conflict naming my changes', () => {
    expect(mergeRecord(FIELDS, base, { ...base, amount: 11 }, null)).toEqual({ kind: 'deleted-conflict', changed: ['amount'] });
  });

  it('adds a record that is new on their side, and merges one both have', () => {
    expect(mergeRecord(FIELDS, null, null, base)).toEqual({ kind: 'add' });
    expect(mergeRecord(FIELDS, base, { ...base, stage: 'won' }, base)).toMatchObject({ kind: 'fields', merge: { send: { stage: 'won' } } });
  });

  it('without a base, takes what only they have and conflicts where both hold different values', () => {
    const merged = mergeRecord(FIELDS, null, { ...base, nextStep: null, amount: 12 }, { ...base, nextStep: 'Call' });
    expect(merged).toMatchObject({ kind: 'fields', merge: { take: { nextStep: 'Call' } } });
    expect(merged.kind === 'fields' && merged.merge.conflicts.map((c) => c.field)).toEqual(['amount']);
  });
});
