// Response shapes of the endpoints the panes call. GET /me comes from the Worker's app type
// (hc<AppType>); the others are the fields the panes read of records the API answers as open
// JSON objects.

export type Role = 'manager' | 'head' | 'admin';

/** GET /me: the signed-in user and organisation, typed from the Worker's route. */
export type { MeAnswer as Me } from './rpc';

export interface Company {
  id: string;
  name: string;
  /** null when the company is not a VIP; otherwise the tier's name, e.g. "gold". */
  vipTier: string | number | null;
  [field: string]: unknown;
}

export interface Contact {
  id: string;
  fullName: string;
  email: string | null;
  title: string | null;
  companyId: string | null;
  [field: string]: unknown;
}

export interface ContactMatch {
  contact: Contact;
  company: Company | null;
  /** Which keys matched, e.g. ["email"]. */
  matched: string[];
  score: number;
}

export interface CompanyMatch {
  company: Company;
  matched: string[];
  score: number;
}

export interface MatchResponse {
  contacts: ContactMatch[];
  companies: CompanyMatch[];
}

export interface DealSummary {
  id: string;
  title: string;
  stage: string;
  amountMinor: number;
  currency: string;
}

export interface ActivitySummary {
  type: string;
  subject: string;
  occurredAt: string;
}

export interface CaseSummary {
  id: string;
  kind?: string;
  subject?: string;
  status?: string;
  openedAt?: string;
  [field: string]: unknown;
}

export interface CompanyCard {
  company: Company;
  contacts: Contact[];
  openDeals: DealSummary[];
  lastActivity: ActivitySummary | null;
  openCases: CaseSummary[];
}
