/**
 * A sheet read as a whole, the way the Excel pane, the CLI and the evaluation all read it: what it
 * holds (leads, deals or payments, unless the user says), where its header is and what each
 * column means, which system exported it, and the sheet-wide facts its rows are read with.
 */
import { mapSheet, mapSheetAuto, type HeaderMapping } from './map-headers';
import { inferSheetContext, type SheetContext } from './sheet-context';
import { detectSystem, type SourceSystem } from './systems';
import { cellText } from './values';
import type { Cell, ImportKind } from './types';

export interface SheetAnalysis {
  kind: ImportKind;
  mapping: HeaderMapping;
  /** The system the sheet was exported from, or null for a sheet kept by hand. */
  system: Exclude<SourceSystem, 'other'> | null;
  context: SheetContext;
}

/**
 * Analyses a sheet's rows; `kind` fixes what they become instead of finding it.
 * @example analyseSheet(parseCsv(text)).kind // 'deals' for a Pipedrive deals export
 */
export function analyseSheet(rows: readonly (readonly Cell[])[], options: { kind?: ImportKind } = {}): SheetAnalysis {
  const auto = options.kind ? null : mapSheetAuto(rows);
  const kind = options.kind ?? auto!.kind;
  const mapping = auto?.mapping ?? mapSheet(rows, { kind });
  const headers = mapping.columns.map((c) => c.header);
  const idCol = mapping.fields.externalId ?? mapping.fields.invoiceNo;
  const ids =
    idCol === undefined
      ? []
      : rows
          .slice(mapping.headerRow + 1, mapping.headerRow + 41)
          .map((r) => cellText(r[idCol]))
          .filter(Boolean);
  return { kind, mapping, system: detectSystem(headers, ids), context: inferSheetContext(rows, mapping) };
}
