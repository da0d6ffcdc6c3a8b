import { STAGES, type Stage } from '../../schemas';
import type { Cell } from '../definitions';

/** A day in milliseconds, for ages in whole days. */
export const DAY = 86_400_000;

/** Rounds a ratio to four places (a percentage with two decimals). */
export const round4 = (v: number) => Math.round(v * 10000) / 10000;

/** A stage's place in the pipeline, for sorting rows by stage. */
export const stageOrder = (s: Cell | undefined) => STAGES.indexOf(s as Stage);

/** Rows in the order of their first two cells as text. */
export const byText = (a: Cell[], b: Cell[]) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]));

/** Whole days from an instant to `asOf`. */
export const daysBetween = (since: string, asOf: string) => Math.floor((Date.parse(asOf) - Date.parse(since)) / DAY);

/**
 * A user's name for a report row: the name the organisation knows, the id of a user it no longer
 * lists, or a dash when the row has no owner.
 *
 * @example nameOf(new Map([['U1', 'Ана']]), 'U1') // 'Ана'; nameOf(names, null) // '—'
 */
export const nameOf = (names: ReadonlyMap<string, string>, id: string | null): string => (id ? (names.get(id) ?? id) : '—');
