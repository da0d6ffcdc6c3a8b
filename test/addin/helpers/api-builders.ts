// Builders for API answers used by the add-in tests (the shapes of addin/api/types.ts).
import type { CompanyCard, MatchResponse, Me } from '../../../addin/api/types';

export function buildMe(over: Partial<Me['user']> = {}): Me {
  return {
    user: { id: 'u-1', email: 'maria@leadpane.example', name: 'Maria Sales', role: 'manager', locale: null, ...over },
    org: { id: 'o-1', name: 'Leadpane Demo' },
  };
}

export function buildKnownSenderMatch(): MatchResponse {
  const company = { id: 'c-acme', name: 'Акме ООД', vipTier: 'gold', domain: 'acme.bg' };
  return {
    contacts: [
      {
        contact: { id: 'p-ivan', fullName: 'Иван Петров', email: 'ivan.petrov@acme.bg', title: 'Търговски директор', companyId: 'c-acme' },
        company,
        matched: ['email'],
        score: 1,
      },
    ],
    companies: [{ company, matched: ['domain'], score: 0.6 }],
  };
}

export function buildCard(): CompanyCard {
  return {
    company: { id: 'c-acme', name: 'Акме ООД', vipTier: 'gold' },
    contacts: [],
    openDeals: [{ id: 'd-1', title: '25 licences', stage: 'proposal', amountMinor: 1_234_550, currency: 'BGN' }],
    lastActivity: { type: 'call', subject: 'Intro call', occurredAt: '2026-06-25T10:00:00Z' },
    openCases: [],
  };
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return { type: `https://leadpane.dev/problems/${code}`, title: code, status, code, requestId: 'req-test', ...extra };
}
