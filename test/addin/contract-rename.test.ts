// Renaming a field in shared/schemas breaks the panes' build, not a user's session: the pane files
// that read or send the field are type-checked against a copy of the schemas with the field
// renamed, and must no longer compile.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCHEMAS = resolve(ROOT, 'shared/schemas');
/** Pane files without JSX that use the contract: the pipeline sync, the standing columns, the import. */
const PANE_FILES = ['addin/excel/pipeline-sync.ts', 'addin/excel/pipeline-standing.ts', 'addin/excel/import/import-run.ts'].map((f) =>
  resolve(ROOT, f),
);

/** The add-in's compiler options, checked as one program over sources (no project references). */
function paneOptions(): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(ROOT, 'addin/tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  // One program over every source it reaches: the add-in's rootDir and outDir are for its build.
  const { rootDir: _rootDir, outDir: _outDir, ...options } = config.options;
  return { ...options, composite: false, declaration: false, emitDeclarationOnly: false, noEmit: true, incremental: false };
}

/** The schema file that holds `text`, wherever the schemas are split. */
function schemaFileWith(text: string): string {
  const hits = readdirSync(SCHEMAS)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => resolve(SCHEMAS, f))
    .filter((f) => readFileSync(f, 'utf8').includes(text));
  if (hits.length !== 1) throw new Error(`expected one schema file with ${JSON.stringify(text)}, found ${hits.length}`);
  return hits[0]!;
}

/** Errors in the pane files when the schema files read through `edit`. */
function paneErrors(edit: (file: string, text: string) => string): string[] {
  const options = paneOptions();
  const host = ts.createCompilerHost(options, true);
  const read = host.readFile.bind(host);
  host.readFile = (file) => {
    const text = read(file);
    return text !== undefined && resolve(file).startsWith(SCHEMAS) ? edit(resolve(file), text) : text;
  };
  const program = ts.createProgram({ rootNames: PANE_FILES, options, host });
  return PANE_FILES.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)))
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => `${d.file ? d.file.fileName.slice(ROOT.length + 1) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** Replaces `from` (which must be there) in the one schema file that holds it. */
const rename = (from: string, to: string) => {
  const target = schemaFileWith(from);
  return (file: string, text: string) => (file === target ? text.replace(from, to) : text);
};

/** Errors the rename brings that the schemas as they are do not: those that name the field. */
let baseline: Set<string> | undefined;
function newErrors(from: string, to: string, field: string): string[] {
  const before = (baseline ??= new Set(paneErrors((_, text) => text)));
  return paneErrors(rename(from, to)).filter((e) => !before.has(e) && e.includes(`'${field}'`));
}

describe('the panes against shared/schemas', () => {
  it('compile against the schemas as they are', () => {
    expect(paneErrors((_, text) => text)).toEqual([]);
  });

  it("stop compiling when a deal's title is renamed in its schema", () => {
    const errors = newErrors(
      '  leadId: Id.nullable().optional(),\n  title: Text(200).min(1),',
      '  leadId: Id.nullable().optional(),\n  name: Text(200).min(1),',
      'title',
    );
    expect(errors.filter((e) => e.startsWith('addin/excel/pipeline-sync.ts'))).not.toEqual([]);
  });

  it('stop compiling when a query key of a route is renamed in its schema', () => {
    const errors = newErrors(
      'export const DealStandingQuery = z.strictObject({\n  ids:',
      'export const DealStandingQuery = z.strictObject({\n  dealIds:',
      'ids',
    );
    expect(errors.filter((e) => e.startsWith('addin/excel/pipeline-standing.ts'))).not.toEqual([]);
  });
});
