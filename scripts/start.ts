/**
 * `npm start`: build what is missing, apply local migrations, seed the demo organisation on the
 * first run, print what to do, then serve the API and both panes on the local D1.
 */
import { writeFileSync } from 'node:fs';
import { bootstrapDemo, DEMO_USERS, seedDemo, type DemoTokens } from './lib/demo-seed';
import { buildAddin } from './build';
import { applyMigrations, DEMO_STATE_FILE, readJson, startServer, wipeLocalData, type RunningServer } from './lib/local';

const port = Number(process.env.PORT ?? 8787);
/** `npm start -- --https`: for sideloading in Office (needs `npx office-addin-dev-certs install` once). */
const https = process.argv.includes('--https');

async function main(): Promise<void> {
  // A first start stopped while seeding (Ctrl+C) leaves half a demo whose seed cannot be sent
  // again as it was (dates move on): nothing else is in the local D1 yet, so begin afresh.
  if (readJson<{ seeded: boolean }>(DEMO_STATE_FILE)?.seeded === false) {
    console.log('The last first start stopped before the demo was complete: creating it afresh.');
    wipeLocalData();
  }
  buildAddin();
  console.log('Applying database migrations to the local D1...');
  applyMigrations();

  let state = readJson<{ seeded: boolean; tokens: DemoTokens }>(DEMO_STATE_FILE);
  let server: RunningServer;
  if (!state?.seeded) {
    console.log('First start: creating the "Demo" organisation...');
    const tokens = bootstrapDemo();
    state = { seeded: false, tokens };
    writeFileSync(DEMO_STATE_FILE, JSON.stringify(state, null, 2));
    server = await startServer({ port });
    const [head, m1, m2] = DEMO_USERS;
    const counts = await seedDemo(server.url, { head: tokens[head.email]!, managers: [tokens[m1.email]!, tokens[m2.email]!] }).catch(
      async (err: unknown) => {
        await server.stop();
        throw err;
      },
    );
    state.seeded = true;
    writeFileSync(DEMO_STATE_FILE, JSON.stringify(state, null, 2));
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

if (process.argv.includes('--reset')) wipeLocalData();
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
