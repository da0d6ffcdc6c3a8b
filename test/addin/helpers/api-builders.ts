// Builders for API answers used by the add-in tests (the shapes of addin/api/contract.ts).
import type { CompanyCard, MatchAnswer, Me } from '../../../addin/api/contract';

export function buildMe(over: Partial<Me['user']> = {}): Me {
  return {
    user: { id: 'u-1', email: 'maria@leadpane.example', name: 'Maria Sales', role: 'manager', locale: null, ...over },
    org: { id: 'o-1', name: 'Leadpane Demo' },
  };
}

const AT = '2026-06-01T09:00:00Z';
const meta = (id: string) => ({ id, version: 1, createdAt: AT, updatedAt: AT });

export function buildKnownSenderMatch(): MatchAnswer {
  const company = { ...meta('c-acme'), name: 'Акме ООД', vipTier: 2, domain: 'acme.bg' };
  return {
    contacts: [
      {
        contact: {
          ...meta('p-ivan'),
          fullName: 'Иван Петров',
          emails: ['ivan.petrov@acme.bg'],
          title: 'Търговски директор',
          companyId: 'c-acme',
        },
        company,
        matched: ['email'],
        score: 1,
      },
    ],
    companies: [{ company, matched: ['domain'], score: 0.6 }],
    leads: [],
  };
}

export function buildCard(): CompanyCard {
  return {
    company: { ...meta('c-acme'), name: 'Акме ООД', vipTier: 2 },
    contacts: [],
    openDeals: [{ ...meta('d-1'), title: '25 licences', stage: 'proposal', amountMinor: 1_234_550, currency: 'BGN', probability: 50 }],
    lastActivity: { ...meta('a-1'), type: 'call', subject: 'Intro call', occurredAt: '2026-06-25T10:00:00Z' },
    lastContactDays: 3,
    openCases: [],
    credit: {
      asOf: '2026-06-28',
      creditLimitMinor: null,
      currency: 'BGN',
      openAmountMinor: 0,
      overdueAmountMinor: 0,
      invoices12m: 0,
      paidLate30d: 0,
      avgDaysLate: 0,
      maxDaysOverdue: 0,
      score: 100,
      grade: 'A',
      reasons: [],
      reasonCodes: ['no_history'],
    },
  };
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return { type: `https://leadpane.dev/problems/${code}`, title: code, status, code, requestId: 'req-test', ...extra };
}
