/**
 * `npm start`: build what is missing, apply local migrations, seed the demo organisation on the
 * first run, print what to do, then serve the API and both panes on the local D1.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapDemo, DEMO_USERS, seedDemo, type DemoTokens } from './lib/demo-seed';
import { buildAddin } from './build';
import { applyMigrations, readJson, ROOT, startServer, type RunningServer } from './lib/local';

const port = Number(process.env.PORT ?? 8787);
/** `npm start -- --https`: for sideloading in Office (needs `npx office-addin-dev-certs install` once). */
const https = process.argv.includes('--https');
const stateFile = join(ROOT, '.wrangler/leadpane-demo.json');

async function main(): Promise<void> {
  buildAddin();
  console.log('Applying database migrations to the local D1...');
  applyMigrations();

  let state = readJson<{ seeded: boolean; tokens: DemoTokens }>(stateFile);
  let server: RunningServer;
  if (!state?.seeded) {
    console.log('First start: creating the "Demo" organisation...');
    const tokens = bootstrapDemo();
    state = { seeded: false, tokens };
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    server = await startServer({ port });
    const [head, m1, m2] = DEMO_USERS;
    const counts = await seedDemo(server.url, { head: tokens[head.email]!, managers: [tokens[m1.email]!, tokens[m2.email]!] }).catch(
      async (err: unknown) => {
        await server.stop();
        throw err;
      },
    );
    state.seeded = true;
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    console.log(
      `Seeded ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    );
    // Seeding talks plain HTTP (Node does not trust the development certificate); then switch.
    if (https) {
      await server.stop();
      server = await startServer({ port, https });
    }
  } else {
    server = await startServer({ port, https });
  }

  const url = `${https ? 'https' : 'http'}://localhost:${port}`;
  console.log(`
Leadpane is running at ${url}

  API         ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)
  Excel pane  ${url}/excel/taskpane.html
  Outlook     ${url}/outlook/taskpane.html

Demo users and their personal tokens (organisation "Demo"):
${DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.name.padEnd(18)} ${state.tokens[u.email]}`).join('\n')}

Next:
  curl -H "Authorization: Bearer ${state.tokens[DEMO_USERS[1].email]}" ${url}/api/v1/deals?owner=me
  Open a pane in the browser and paste a token, or sideload manifest.xml / manifest.outlook.xml (README).
  npm run reset wipes the local data; Ctrl+C stops the server.
`);

  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  server.process.stdout?.pipe(process.stdout);
  server.process.stderr?.pipe(process.stderr);
  server.process.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv.includes('--reset')) rmSync(join(ROOT, '.wrangler/state'), { recursive: true, force: true });
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
