// The Stage column in the user's words: cells and their drop-down show the stage names of the
// pane's language, the merge keeps the stage keys. A cell is read in any of the three languages
// (a workbook passed between a Bulgarian and a Russian colleague), as a key, or as another CRM
// names the stage.
import { STAGES, type Stage } from '../../shared/schemas';
import { STAGE_NAMES } from '../../shared/report/stage-names';
import { parseStage } from '../../shared/sheet';
import type { CellValue } from '../office/types';

export type StageNames = Record<Stage, string>;

const BY_NAME = new Map<string, Stage>([
  ...STAGES.map((s) => [s, s] as [string, Stage]),
  ...Object.values(STAGE_NAMES).flatMap((names) => Object.entries(names).map(([k, n]) => [n.toLowerCase(), k as Stage] as [string, Stage])),
]);

/** The drop-down's values: the names when given, else the keys. */
export const stageList = (names?: StageNames): string[] => STAGES.map((s) => names?.[s] ?? s);

/**
 * The stage a cell names, or null.
 * @example stageOfCell('Преговори') // 'negotiation'
 */
export function stageOfCell(v: CellValue): Stage | null {
  if (typeof v === 'string') {
    const known = BY_NAME.get(v.trim().toLowerCase());
    if (known) return known;
  }
  const parsed = parseStage(v);
  return parsed && (STAGES as readonly string[]).includes(parsed) ? (parsed as Stage) : null;
}
