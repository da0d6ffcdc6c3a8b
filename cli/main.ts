/**
 * `leadpane <command> ...`: each command lives in `cli/commands/<command>.ts` and exports
 * `run(args): Promise<number>` (the exit code), loaded only when asked for.
 */
const COMMANDS: Record<string, string> = {
  setup:
    'set up an empty deployment once: its organisation and first admin (setup --url URL --setup-token T --org NAME --email E [--name N])',
  token: 'manage personal API tokens (token create --email E --role R [--org NAME] --local)',
  api: 'call the API (api METHOD PATH [--data JSON] --url URL --token T)',
  extract: 'extract a lead from .eml or text files (extract FILE...)',
  'map-headers': 'detect the header row and map headers to fields (map-headers FILE)',
  import: 'import a sheet as leads or deals (import FILE --url URL --token T [--as leads|deals] [--dry-run])',
  report: 'download a report (report weekly --week W --format json|csv|xlsx -o FILE)',
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(
      'Usage: leadpane <command> [options]\n\n' +
        Object.entries(COMMANDS)
          .map(([k, v]) => `  ${k.padEnd(12)} ${v}`)
          .join('\n') +
        '\n',
    );
    return name ? 0 : 1;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`leadpane: unknown command "${name}". Run "leadpane --help".\n`);
    return 2;
  }
  const mod = (await import(`./commands/${name}.ts`)) as { run(args: string[]): Promise<number> };
  return mod.run(rest);
}
