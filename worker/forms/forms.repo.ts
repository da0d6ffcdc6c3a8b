import { nameKey } from '../../shared/identity';
import type { EntitySpec } from '../records/spec';
import { Repo } from '../records/repository';

/** A public form key: "wf_" + 16 random bytes in base64url (128 bits, unguessable). */
export function newFormKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return 'wf_' + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export const FORM_KEY_RE = /^wf_[A-Za-z0-9_-]{22}$/;

/** Web-to-lead forms. ownerId = who gets the leads; none = round robin among active managers. */
export const formSpec: EntitySpec = {
  table: 'web_forms',
  entity: 'form',
  label: 'Form',
  fields: { name: 'text', ownerId: 'text', allowedOrigins: 'json', active: 'bool' },
  readOnly: { formKey: 'text' },
  filters: {},
  normalize(rec) {
    rec.active ??= true;
    rec.allowedOrigins = [...new Set((rec.allowedOrigins as string[] | null) ?? [])];
    rec.formKey ??= newFormKey();
  },
  derive: (r) => ({ name_key: nameKey(r.name as string) }),
};

export const forms = new Repo(formSpec);

export interface PublicForm {
  id: string;
  org_id: string;
  name: string;
  owner_id: string | null;
  allowed_origins: string;
}

/** The active form behind a public key (web_forms_key index), or null. */
export async function formByKey(db: D1Database, formKey: string): Promise<(PublicForm & { origins: string[] }) | null> {
  const row = await db
    .prepare('SELECT id, org_id, name, owner_id, allowed_origins FROM web_forms WHERE form_key = ?1 AND active = 1 AND deleted_at IS NULL')
    .bind(formKey)
    .first<PublicForm>();
  return row ? { ...row, origins: JSON.parse(row.allowed_origins) as string[] } : null;
}

/**
 * Who gets the next lead of a form: its owner while active, else the next active manager after
 * the last one (by id, wrapping round). One UPDATE ... RETURNING, so concurrent posts never
 * hand out the same turn; the rotation is internal state and leaves the form's version alone.
 */
export async function nextAssignee(db: D1Database, form: PublicForm): Promise<string | null> {
  if (form.owner_id) {
    const owner = await db
      .prepare('SELECT id FROM users WHERE org_id = ?1 AND id = ?2 AND active = 1')
      .bind(form.org_id, form.owner_id)
      .first<{ id: string }>();
    if (owner) return owner.id;
  }
  const row = await db
    .prepare(
      `UPDATE web_forms SET rr_last_user_id = coalesce(
         (SELECT id FROM users WHERE org_id = ?1 AND role = 'manager' AND active = 1 AND id > coalesce(web_forms.rr_last_user_id, '') ORDER BY id LIMIT 1),
         (SELECT id FROM users WHERE org_id = ?1 AND role = 'manager' AND active = 1 ORDER BY id LIMIT 1))
       WHERE id = ?2 RETURNING rr_last_user_id`,
    )
    .bind(form.org_id, form.id)
    .first<{ rr_last_user_id: string | null }>();
  return row?.rr_last_user_id ?? null;
}
