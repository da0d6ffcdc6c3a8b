// Microsoft 365 sign-in with nested app authentication: inside Office, MSAL asks the host (through
// window.nestedAppAuthBridge) for an access token to Leadpane's API, with no popup when the user is
// already signed in to Office. Outside Office MSAL falls back to its own popup. MSAL is loaded only
// when the user picks this sign-in, so it costs the first screen nothing.
import type { IPublicClientApplication } from '@azure/msal-browser';
import type { Answer } from './contract';

/** GET /api/v1/auth/config: whether this server takes Microsoft 365 tokens. */
export type SignInOptions = Answer<'GET', '/auth/config'>;
export type MicrosoftSignInConfig = NonNullable<SignInOptions['microsoft']>;

let app: Promise<IPublicClientApplication> | null = null;
let appClientId = '';

function application(config: MicrosoftSignInConfig): Promise<IPublicClientApplication> {
  if (!app || appClientId !== config.clientId) {
    appClientId = config.clientId;
    app = import('@azure/msal-browser').then((msal) =>
      msal.createNestablePublicClientApplication({
        auth: { clientId: config.clientId, authority: 'https://login.microsoftonline.com/common' },
      }),
    );
    // A failed start (no network, a blocked popup library) may be retried on the next click.
    app.catch(() => (app = null));
  }
  return app;
}

/**
 * An access token for the API. Silent first (Office's signed-in account, or MSAL's cache); with
 * `interactive`, a consent or account prompt when silence is not enough.
 */
export async function microsoftAccessToken(config: MicrosoftSignInConfig, opts: { interactive: boolean }): Promise<string> {
  const pca = await application(config);
  const request = { scopes: config.scopes };
  try {
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    const result = await pca.acquireTokenSilent(account ? { ...request, account } : request);
    return result.accessToken;
  } catch (error) {
    if (!opts.interactive) throw error;
    const result = await pca.acquireTokenPopup(request);
    if (result.account) pca.setActiveAccount(result.account);
    return result.accessToken;
  }
}
