import { z } from 'zod';
import { Id, ListQuery, RecordMeta, Text } from './common';

// Web-to-lead forms: the authenticated side and what a website posts.

/** An allowed origin: scheme, host and optional port, nothing else. */
export const Origin = z
  .string()
  .trim()
  .max(200)
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'an origin like https://www.example.bg')
  .transform((s) => s.toLowerCase());
const formFields = {
  name: Text(200).min(1),
  ownerId: Id.nullable().optional(),
  allowedOrigins: z.array(Origin).max(20).optional(),
  active: z.boolean().optional(),
};
export const WebFormCreate = z.strictObject(formFields);
export const WebFormPatch = z.strictObject({ ...formFields, name: Text(200).min(1).optional() });
export const WebForm = z.object({
  ...RecordMeta,
  ...formFields,
  formKey: z.string(),
  allowedOrigins: z.array(z.string()),
  active: z.boolean(),
});
export const WebFormListQuery = ListQuery;
export const FormLang = z.enum(['bg', 'ru', 'en']);
export type FormLang = z.infer<typeof FormLang>;
/** What a website posts (JSON or urlencoded); everything arrives as text. */
export const WebFormSubmission = z.object({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  company: z.string().optional(),
  message: z.string().optional(),
  lang: z.string().optional(),
  clientToken: z.string().optional(),
  website_url: z.string().optional(),
});
export const WebFormAnswer = z.object({ ok: z.literal(true), message: z.string() });
