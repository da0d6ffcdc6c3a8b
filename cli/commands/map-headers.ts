/**
 * `leadpane map-headers FILE`: finds the header row of a .csv or .xlsx file and maps each header
 * to a canonical field. Prints one line of JSON:
 * `{"headerRow": N, "mapping": {"<header as written>": "<field>" | null}}` (headerRow is 0-based).
 */
import { parseArgs } from '../args';
import { readSheetFile } from '../lib/read-sheet';
import { mapSheet, mappingRecord } from '../../shared/sheet';

const USAGE = 'Usage: leadpane map-headers FILE (.csv or .xlsx)\n';

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['help']);
  if (parsed.flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    process.stderr.write(`leadpane map-headers: give exactly one file.\n${USAGE}`);
    return 1;
  }
  let rows;
  try {
    ({ rows } = await readSheetFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    process.stderr.write(`leadpane map-headers: cannot read ${file}: ${reason}\n`);
    return 1;
  }
  const mapping = mapSheet(rows);
  process.stdout.write(JSON.stringify({ headerRow: mapping.headerRow, mapping: mappingRecord(mapping) }) + '\n');
  return 0;
}
