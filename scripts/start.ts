/**
 * `npm start`: build what is missing, apply local migrations, seed the demo organisation on the
 * first run, print what to do, then serve the API and both panes on the local D1.
 *
 *   npm start [-- --https] [--reset] [--empty] [--persist-to DIR]
 *
 * --empty starts with no demo data, as a new deployment does: `npx leadpane setup` with the
 * setup token it prints (SETUP_TOKEN from the environment, or one made here) makes the first
 * organisation and admin. A local data folder started empty stays empty on later starts.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { bootstrapDemo, DEMO_USERS, seedDemo, type DemoTokens } from './lib/demo-seed';
import { buildAddin } from './build';
import {
  applyMigrations,
  demoStateFile,
  executeSql,
  readJson,
  startServer,
  wipeLocalData,
  type LocalOptions,
  type RunningServer,
} from './lib/local';

const argv = process.argv.slice(2);
const port = Number(process.env.PORT ?? 8787);
/** `npm start -- --https`: for sideloading in Office (needs `npx office-addin-dev-certs install` once). */
const https = argv.includes('--https');
const persistAt = argv.indexOf('--persist-to');
const local: LocalOptions = persistAt >= 0 && argv[persistAt + 1] ? { persistTo: argv[persistAt + 1] } : {};
const STATE_FILE = demoStateFile(local);

interface StartState {
  seeded: boolean;
  tokens: DemoTokens;
  /** Started with --empty: no demo; the organisation comes from `leadpane setup`. */
  empty?: boolean;
  /** The setup token made for an empty start when SETUP_TOKEN was not given. */
  setupToken?: string;
}

const save = (state: StartState) => writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

async function main(): Promise<void> {
  // A first start stopped while seeding (Ctrl+C) leaves half a demo whose seed cannot be sent
  // again as it was (dates move on): nothing else is in the local D1 yet, so begin afresh.
  const previous = readJson<StartState>(STATE_FILE);
  if (previous?.seeded === false && !previous.empty) {
    console.log('The last first start stopped before the demo was complete: creating it afresh.');
    wipeLocalData(local);
  }
  if (argv.includes('--empty') && previous?.seeded && !previous.empty) {
    console.error('The local data holds the demo organisation. `npm start -- --empty --reset` wipes it and starts empty.');
    process.exit(1);
  }
  buildAddin();
  console.log('Applying database migrations to the local D1...');
  applyMigrations(local);

  let state = readJson<StartState>(STATE_FILE);
  if (argv.includes('--empty') && !state) {
    state = { seeded: true, tokens: {}, empty: true };
    save(state);
  }
  if (state?.empty) return startEmpty(state);

  let server: RunningServer;
  const vars = process.env.SETUP_TOKEN ? { SETUP_TOKEN: process.env.SETUP_TOKEN } : undefined;
  if (!state?.seeded) {
    console.log('First start: creating the "Demo" organisation...');
    const tokens = bootstrapDemo(local);
    state = { seeded: false, tokens };
    save(state);
    server = await startServer({ ...local, port, ...(vars ? { vars } : {}) });
    const [head, m1, m2] = DEMO_USERS;
    const counts = await seedDemo(server.url, { head: tokens[head.email]!, managers: [tokens[m1.email]!, tokens[m2.email]!] }).catch(
      async (err: unknown) => {
        await server.stop();
        throw err;
      },
    );
    state.seeded = true;
    save(state);
    console.log(
      `Seeded ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    );
    // Seeding talks plain HTTP (Node does not trust the development certificate); then switch.
    if (https) {
      await server.stop();
      server = await startServer({ ...local, port, https, ...(vars ? { vars } : {}) });
    }
  } else {
    server = await startServer({ ...local, port, https, ...(vars ? { vars } : {}) });
  }

  const url = `${https ? 'https' : 'http'}://localhost:${port}`;
  const tokens = state.tokens;
  console.log(`
${running(url)}
Demo users and their personal tokens (organisation "Demo"):
${DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.name.padEnd(18)} ${tokens[u.email]}`).join('\n')}

Next:
  curl -H "Authorization: Bearer ${tokens[DEMO_USERS[1].email]}" ${url}/api/v1/deals?owner=me
  Open a pane in the browser and paste a token, or sideload manifest.xml / manifest.outlook.xml (README).
  npm run reset wipes the local data; Ctrl+C stops the server.
`);
  serve(server);
}

function running(url: string): string {
  return `Leadpane is running at ${url}

  API         ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)
  Excel pane  ${url}/excel/taskpane.html
  Outlook     ${url}/outlook/taskpane.html
`;
}

/** An empty start: no demo, setup on with SETUP_TOKEN (given, or made once and kept). */
async function startEmpty(state: StartState): Promise<void> {
  const setupToken = process.env.SETUP_TOKEN || state.setupToken || randomBytes(24).toString('base64url');
  if (!process.env.SETUP_TOKEN && state.setupToken !== setupToken) save({ ...state, setupToken });
  const orgs = executeSql<{ n: number }>('SELECT count(*) AS n FROM orgs;', local)[0]?.n ?? 0;
  const server = await startServer({ ...local, port, https, vars: { SETUP_TOKEN: setupToken } });
  const url = `${https ? 'https' : 'http'}://localhost:${port}`;
  console.log(`
${running(url)}
Started empty: no demo data.
${
  orgs === 0
    ? `No organisation yet. Make yours and its first admin (once):
  npx leadpane setup --url ${url} --setup-token ${setupToken} --org "Your company" --email you@company.com
Its last line is the admin's personal token: paste it into a pane, then invite the team under Settings.`
    : `Set up already (${orgs} organisation${orgs === 1 ? '' : 's'}): sign in with the admin's personal token.`
}
  npm run reset wipes the local data (the next npm start brings the demo); Ctrl+C stops the server.
`);
  serve(server);
}

function serve(server: RunningServer): void {
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

if (argv.includes('--reset')) wipeLocalData(local);
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
