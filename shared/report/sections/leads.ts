import { section, type Cell, type Lang, type ReportSection } from '../definitions';
import { byText, nameOf, round4 } from './order';

/** New leads of the period counted by source and owner, and how many of them became deals. */
export interface LeadCountRow {
  source: string;
  owner_id: string | null;
  n: number;
  converted: number;
}

/**
 * New leads by source, most first.
 *
 * @example newLeadsBySourceSection([{ source: 'email', owner_id: 'U1', n: 2, converted: 1 }]).rows // [['email', 2]]
 */
export function newLeadsBySourceSection(rows: LeadCountRow[], lang: Lang = 'en'): ReportSection {
  const bySource = new Map<string, number>();
  for (const r of rows) bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.n);
  return section(
    'newLeadsBySource',
    [...bySource].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s, v]) => [s, v]),
    lang,
  );
}

/**
 * New leads and those converted, by manager's name.
 *
 * @example newLeadsByManagerSection([{ source: 'email', owner_id: 'U1', n: 2, converted: 1 }], new Map([['U1', 'Ана']])).rows // [['Ана', 2, 1]]
 */
export function newLeadsByManagerSection(rows: LeadCountRow[], names: ReadonlyMap<string, string>, lang: Lang = 'en'): ReportSection {
  const byManager = new Map<string | null, { n: number; converted: number }>();
  for (const r of rows) {
    const m = byManager.get(r.owner_id) ?? { n: 0, converted: 0 };
    m.n += r.n;
    m.converted += r.converted;
    byManager.set(r.owner_id, m);
  }
  return section('newLeadsByManager', [...byManager].map(([id, v]) => [nameOf(names, id), v.n, v.converted] as Cell[]).sort(byText), lang);
}

/**
 * The period's new leads, those of them converted and the rate, and every lead converted in the
 * period whatever its age.
 *
 * @example conversionSection([{ source: 'email', owner_id: null, n: 4, converted: 1 }], 3).rows // [[4, 1, 0.25, 3]]
 */
export function conversionSection(rows: LeadCountRow[], convertedInPeriod: number, lang: Lang = 'en'): ReportSection {
  let leads = 0;
  let converted = 0;
  for (const r of rows) {
    leads += r.n;
    converted += r.converted;
  }
  return section('conversion', [[leads, converted, leads ? round4(converted / leads) : 0, convertedInPeriod]], lang);
}
