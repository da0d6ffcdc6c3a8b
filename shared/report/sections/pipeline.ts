import { section, type Cell, type Lang, type ReportSection } from '../definitions';
import { stageOrder } from './order';

/** Deals and their value in one stage and currency at the period's start or end. */
export interface PipelineRow {
  at: 'start' | 'end';
  stage: string;
  currency: string;
  n: number;
  v: number;
}

/** Moves from one stage to another during the period. */
export interface MovementRow {
  from_stage: string;
  to_stage: string;
  n: number;
}

/**
 * The pipeline at the start and the end of the period side by side, by stage and currency (a
 * stage empty at one end shows zeros there).
 *
 * @example pipelineSection([{ at: 'end', stage: 'new', currency: 'BGN', n: 2, v: 5000 }]).rows // [['new', 'BGN', 0, 0, 2, 5000]]
 */
export function pipelineSection(rows: PipelineRow[], lang: Lang = 'en'): ReportSection {
  const pipe = new Map<string, Cell[]>();
  for (const r of rows) {
    const k = `${r.stage}|${r.currency}`;
    const row = pipe.get(k) ?? [r.stage, r.currency, 0, 0, 0, 0];
    if (r.at === 'start') [row[2], row[3]] = [r.n, r.v];
    else [row[4], row[5]] = [r.n, r.v];
    pipe.set(k, row);
  }
  return section(
    'pipeline',
    [...pipe.values()].sort((a, b) => stageOrder(a[0]) - stageOrder(b[0]) || String(a[1]).localeCompare(String(b[1]))),
    lang,
  );
}

/**
 * Stage moves in pipeline order of the stage left, then of the stage reached.
 *
 * @example movementsSection([{ from_stage: 'new', to_stage: 'qualified', n: 3 }]).rows // [['new', 'qualified', 3]]
 */
export function movementsSection(rows: MovementRow[], lang: Lang = 'en'): ReportSection {
  return section(
    'movements',
    rows
      .map((r) => [r.from_stage, r.to_stage, r.n] as Cell[])
      .sort((a, b) => stageOrder(a[0]) - stageOrder(b[0]) || stageOrder(a[1]) - stageOrder(b[1])),
    lang,
  );
}
