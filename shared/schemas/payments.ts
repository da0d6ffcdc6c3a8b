import { z } from 'zod';
import { Currency, Id, IsoDate, OptionalText, RecordMeta, Text } from './common';

// Payments of a client: its invoices, sent in rows, that the credit card sums up.

export const PaymentRow = z.strictObject({
  invoiceNo: Text(64).min(1),
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: Currency,
  issuedOn: IsoDate,
  dueOn: IsoDate,
  paidOn: IsoDate.nullable().optional(),
  notes: OptionalText(1000),
});
/** Most rows one request may carry: one JSON chunk per 250, all saved in one batch. */
export const MAX_PAYMENT_ROWS = 1000;
export const PaymentsUpload = z.union([
  PaymentRow,
  z.array(z.unknown()).max(MAX_PAYMENT_ROWS),
  z.object({ rows: z.array(z.unknown()).max(MAX_PAYMENT_ROWS) }),
]);
export const RowError = z.object({ row: z.number().int(), field: z.string(), reason: z.string() });
export const PaymentsResult = z.object({
  received: z.number().int(),
  saved: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(RowError),
});
export const Payment = z.object({
  ...RecordMeta,
  companyId: Id,
  invoiceNo: z.string(),
  amountMinor: z.number().int(),
  currency: Currency,
  issuedOn: IsoDate,
  dueOn: IsoDate,
  paidOn: IsoDate.nullable(),
  notes: z.string().nullable(),
});
export const PaymentListQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
