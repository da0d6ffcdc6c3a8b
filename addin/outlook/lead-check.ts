// The lead form's check with POST /leads's own schema, in a chunk of its own: the schemas (and
// zod) load when the user first sends a lead, not with the pane's first screen.
import { LeadCreate } from '../../shared/schemas';
import type { Body } from '../api/contract';
import { checkBody } from '../api/validate';

/** The 422 the route would answer for this lead, or null when it would take it. */
export const checkLead = (body: Body<'POST', '/leads'>) => checkBody(LeadCreate, body);
