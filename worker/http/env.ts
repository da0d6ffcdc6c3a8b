import type { Role } from '../../shared/schemas';

export interface Bindings {
  DB: D1Database;
  ASSETS?: Fetcher;
  ENVIRONMENT?: string;
  /** The address websites reach this API at (https://crm.example.com), for embedded forms; default the request's own. */
  PUBLIC_ORIGIN?: string;
  /** Set by the local server (scripts/serve.ts): requests come straight from this machine, not through Cloudflare's edge. */
  LOCAL_SERVER?: string;
  /** Accepted audiences of Microsoft 365 access tokens, comma-separated; empty: sign-in off. */
  ENTRA_AUDIENCE?: string;
  ENTRA_JWKS_URL?: string;
  /** Expected issuer with a `{tid}` placeholder (tests, sovereign clouds); default Microsoft's. */
  ENTRA_ISSUER_TEMPLATE?: string;
  /**
   * Microsoft 365 tenants (ids, comma-separated) that may sign in before any organisation is
   * linked to them: each one's first user makes its organisation. Others must be linked.
   */
  ENTRA_ALLOWED_TENANTS?: string;
  /** The one-time secret of `leadpane setup` (a Worker secret); unset: setup is off. */
  SETUP_TOKEN?: string;
}

export interface Principal {
  userId: string;
  orgId: string;
  role: Role;
  email: string;
  name: string;
  tokenId: string | null;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    principal: Principal;
    /** Set while an Idempotency-Key is held by this request. */
    idempotency?: { orgId: string; key: string; hash: string; stored: boolean; atomic: boolean };
  };
}
