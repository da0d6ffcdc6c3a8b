// Forms check a body with the route's own schema before sending it, and show the route's
// per-field errors in the user's language.
import { describe, expect, it } from 'vitest';
import { DealPatch, LeadConvert, LeadCreate } from '../../shared/schemas';
import { checkBody } from '../../addin/api/validate';
import { createI18n } from '../../addin/ui/i18n';

describe('checkBody', () => {
  it('answers null for a body the route accepts', () => {
    expect(checkBody(LeadCreate, { source: 'email', fullName: 'Мария Иванова', email: 'maria@acme.bg' })).toBeNull();
    expect(checkBody(DealPatch, { amountMinor: 120_000, expectedClose: '2026-09-30' })).toBeNull();
  });

  it('refuses a lead with a malformed email as the route would, with the field’s message in the user’s language', () => {
    const error = checkBody(LeadCreate, { source: 'email', fullName: 'Мария', email: 'maria@' });
    expect(error).toMatchObject({ code: 'validation_failed', status: 422 });
    expect(error!.fieldErrors.map((e) => e.path)).toEqual(['/email']);
    expect(createI18n('bg').fieldMessage(error, '/email')).toBeTruthy();
    expect(createI18n('bg').fieldMessage(error, '/fullName')).toBeUndefined();
  });

  it('puts a lead with nothing to call it by on its name', () => {
    const error = checkBody(LeadCreate, { source: 'email', fullName: null });
    expect(error!.fieldErrors.map((e) => e.path)).toEqual(['/fullName']);
  });

  it('refuses a deal change with a negative amount and a date that is not one, field by field', () => {
    const error = checkBody(DealPatch, { amountMinor: -1, expectedClose: '30.09.2026' });
    expect(error!.fieldErrors.map((e) => e.path).sort()).toEqual(['/amountMinor', '/expectedClose']);
  });

  it('refuses a conversion whose deal title is too long', () => {
    const error = checkBody(LeadConvert, { createDeal: true, dealTitle: 'x'.repeat(201) });
    expect(error!.fieldErrors).toEqual([expect.objectContaining({ path: '/dealTitle', code: 'too_big' })]);
  });
});
