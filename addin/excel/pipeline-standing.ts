// The Pipeline's read-only columns beside the Status: where each deal's document package stands
// and which competitors are in it (the one it was lost to first). They are the server's to say:
// rewritten whole after each pull, refresh and sync (one request per 200 rows), never read back,
// so typing into them changes nothing.
import type { z } from 'zod';
import type { DealStanding } from '../../shared/schemas';
import { MAX_STANDING_IDS } from '../../shared/schemas';
import type { ApiClient } from '../api/client';
import { columnLetters } from '../office/a1';
import type { CellValue, ExcelHost, Matrix } from '../office/types';
import { ID_COL, PIPELINE_TABLE, STATUS_COL } from './pipeline-base';

export type Standing = z.infer<typeof DealStanding>;
export const DOCUMENTS_COL = STATUS_COL + 1;
export const COMPETITORS_COL = STATUS_COL + 2;

/** The columns' headers and cells in the user's words. */
export interface StandingText {
  documentsHeader: string;
  competitorsHeader: string;
  documents(s: Standing): string;
  competitors(s: Standing): string;
}

export const englishStanding: StandingText = {
  documentsHeader: 'Documents',
  competitorsHeader: 'Competitors',
  documents: ({ documents: d }) =>
    d.required === 0
      ? 'none needed yet'
      : d.missing.length
        ? `${d.ready}/${d.required} · missing: ${d.missing.map((m) => m.label).join(', ')}`
        : `complete (${d.required})`,
  competitors: (s) => s.competitors.map((c) => (c.lostTo ? `lost to ${c.name}` : c.name)).join(', '),
};

/** Writes both columns for every row of the table; answers how many rows have a deal. */
export async function writeStanding(o: { client: ApiClient; excel: ExcelHost }, text: StandingText): Promise<number> {
  const table = await o.excel.readTable(PIPELINE_TABLE);
  const ids = table.rows.map((r) => String(r[ID_COL] ?? '').trim());
  const known = [...new Set(ids.filter(Boolean))];
  const by = new Map<string, Standing>();
  for (let i = 0; i < known.length; i += MAX_STANDING_IDS) {
    const page = await o.client.get('/deals/standing', { query: { ids: known.slice(i, i + MAX_STANDING_IDS).join(',') } });
    for (const s of page.items) by.set(s.dealId, s);
  }
  const values: Matrix = [
    [text.documentsHeader, text.competitorsHeader],
    ...ids.map((id): CellValue[] => {
      const s = by.get(id);
      return s ? [text.documents(s), text.competitors(s)] : ['', ''];
    }),
  ];
  await o.excel.writeValues(table.sheet, `${columnLetters(DOCUMENTS_COL)}1`, values);
  return by.size;
}
