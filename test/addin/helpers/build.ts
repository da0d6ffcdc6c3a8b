// Builds dist/addin when a test needs it and it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
export const DIST_ADDIN = resolve(REPO, 'dist/addin');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function ensureAddinBuilt(): string {
  const outputs = ['excel/taskpane.html', 'outlook/taskpane.html', 'functions/functions.js', 'commands/commands.html'].map((p) =>
    resolve(DIST_ADDIN, p),
  );
  const sources = ['addin', 'vite.config.ts', 'scripts/build-addin.ts'].map((p) => resolve(REPO, p));
  const stale = !outputs.every(existsSync) || Math.max(...sources.map(newest)) > Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  if (stale) {
    // Vitest sets NODE_ENV=test, which would give the child build React's development bundle.
    execFileSync(resolve(REPO, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: REPO,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  return DIST_ADDIN;
}
