import { Case, CaseCreate, CaseListQuery, CasePatch, CaseRespond } from '../../shared/schemas';
import { activities } from '../activities/activities.repo';
import { assertStatement, isAssertFailure } from '../lib/batch-assert';
import { crudRoutes } from '../records/routes';
import type { Rec } from '../records/spec';
import { updateRecord } from '../records/writes';
import { AppError, notFound } from '../http/errors';
import { newId, nowIso } from '../lib/ids';
import { doc } from '../http/openapi';
import { readJson } from './read-json';
import { etag } from '../http/versioning';
import { cases, caseSpec } from './cases.repo';

doc({
  method: 'post',
  path: '/api/v1/cases/:id/respond',
  summary: 'Record the first response to a case (open -> in progress); a note is also logged as an activity',
  tag: 'Case',
  body: CaseRespond,
  response: Case,
});

export const caseRoutes = crudRoutes('/cases', caseSpec, { create: CaseCreate, patch: CasePatch, list: CaseListQuery, item: Case }).post(
  '/:id/respond',
  async (c) => {
    const p = c.get('principal');
    const db = c.env.DB;
    const current = await cases.get(db, p.orgId, c.req.param('id'));
    if (!current) throw notFound('Case');
    const input = await readJson(c, CaseRespond);
    const ifMatch = c.req.header('if-match');
    const expected = ifMatch ? Number(ifMatch.replace(/^W\//, '').replace(/"/g, '')) : current.version;
    if (!input.note && current.firstResponseAt) {
      c.header('etag', etag(current.version));
      return c.json(current);
    }
    const now = nowIso();
    try {
      const rec = await updateRecord(
        db,
        cases,
        p,
        current.id,
        expected,
        (before) => ({
          ...before,
          status: before.status === 'open' ? 'in_progress' : before.status,
          firstResponseAt: before.firstResponseAt ?? now,
        }),
        (guard, after) => {
          if (!input.note) return [];
          const activity: Rec = {
            id: newId(),
            version: 1,
            createdAt: now,
            updatedAt: now,
            type: input.via ?? 'note',
            subject: `Response: ${after.subject as string}`.slice(0, 300),
            excerpt: input.note,
            occurredAt: now,
            direction: 'out',
            companyId: after.companyId ?? null,
            contactId: after.contactId ?? null,
            dealId: after.dealId ?? null,
            leadId: null,
            ownerId: p.userId,
            externalId: null,
          };
          // The activity is logged only if the case update took effect.
          return [assertStatement(db, guard.sql, guard.params), ...activities.insertStatements(db, p, activity, now)];
        },
      );
      c.header('etag', etag(rec.version));
      return c.json(rec);
    } catch (err) {
      if (!isAssertFailure(err)) throw err;
      const latest = await cases.get(db, p.orgId, current.id);
      throw new AppError('precondition_failed', 'Someone changed this case while you were responding. Review their change and try again.', {
        current: latest,
      });
    }
  },
);
