// Response shapes of the endpoints the panes call. When shared/schemas/ holds the API's zod
// schemas (or the app type is available to hc<AppType>), these become z.infer<> of those.

export type Role = 'manager' | 'head' | 'admin';

export interface Me {
  user: { id: string; email: string; name: string; role: Role };
  org: { id: string; name: string };
}

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
