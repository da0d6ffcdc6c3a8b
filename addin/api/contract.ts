// The routes the panes call, by method and exact path template of the API (under /api/v1), each
// with its query, body and answer taken from the schemas the Worker validates and answers with.
// The client's get/create/send/mutate accept only these paths: a renamed route, a renamed field of
// a body or an answer, or a query the route does not take breaks the panes' build, not a session.
import type { InferRequestType } from 'hono/client';
import type { z } from 'zod';
import type * as S from '../../shared/schemas';
import type { MeAnswer, RpcClient } from './rpc';
import type { HttpMethod } from './transport';

type V1 = RpcClient['api']['v1'];
/** Bodies and queries the Worker validates with schemas of its own, read off its route types. */
type QuotaPutBody = InferRequestType<V1['quotas']['$put']>['json'];
type QuotaQuery = InferRequestType<V1['quotas']['$get']>['query'];
type FunctionBatchBody = InferRequestType<V1['reports']['fn']['batch']['$post']>['json'];
type WeeklyReportQuery = InferRequestType<V1['reports']['weekly']['$get']>['query'];
type ContactExportQuery = InferRequestType<V1['contacts'][':id']['export']['$get']>['query'];

type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.infer<T>;
type PageOf<T extends z.ZodType> = { items: Array<z.infer<T>>; nextCursor: string | null };

export interface Contract {
  'GET /auth/config': { answer: Out<typeof S.SignInConfigAnswer> };
  'GET /me': { answer: MeAnswer };
  'GET /match': { query: In<typeof S.MatchQuery>; answer: Out<typeof S.MatchAnswer> };

  'GET /users': { answer: PageOf<typeof S.User> };
  'POST /users': { body: In<typeof S.UserCreate>; answer: Out<typeof S.User> };
  'PATCH /users/:id': { body: In<typeof S.UserPatch>; answer: Out<typeof S.User> };
  'GET /tokens': { answer: PageOf<typeof S.ApiToken> };
  'POST /tokens': { body: In<typeof S.TokenCreate>; answer: Out<typeof S.NewApiToken> };
  'DELETE /tokens/:id': { answer: null };

  'GET /companies': { query: In<typeof S.CompanyListQuery>; answer: PageOf<typeof S.CompanyListItem> };
  'POST /companies': { body: In<typeof S.CompanyCreate>; answer: Out<typeof S.Company> };
  'GET /companies/:id': { answer: Out<typeof S.Company> };
  'PATCH /companies/:id': { body: In<typeof S.CompanyPatch>; answer: Out<typeof S.Company> };
  'GET /companies/:id/card': { answer: Out<typeof S.CompanyCard> };

  'GET /contacts': { query: In<typeof S.ContactListQuery>; answer: PageOf<typeof S.Contact> };
  'POST /contacts': { body: In<typeof S.ContactCreate>; answer: Out<typeof S.Contact> };
  'GET /contacts/:id/export': { query: ContactExportQuery; answer: unknown };
  'POST /contacts/:id/erase': { answer: Out<typeof S.Contact> };

  'POST /leads': { body: In<typeof S.LeadCreate>; answer: Out<typeof S.Lead> };
  'POST /leads/:id/convert': { body: In<typeof S.LeadConvert>; answer: Out<typeof S.LeadConversion> };

  'GET /deals': { query: In<typeof S.DealListQuery>; answer: PageOf<typeof S.DealListItem> };
  'POST /deals': { body: In<typeof S.DealCreate>; answer: Out<typeof S.Deal> };
  'GET /deals/standing': { query: In<typeof S.DealStandingQuery>; answer: Out<typeof S.DealStandingList> };
  'GET /deals/:id': { answer: Out<typeof S.Deal> };
  'PATCH /deals/:id': { body: In<typeof S.DealPatch>; answer: Out<typeof S.Deal> };
  'POST /deals/:id/restore': { answer: Out<typeof S.Deal> };
  'POST /deals/:id/lose': {
    body: In<typeof S.DealLose>;
    answer: { deal: Out<typeof S.Deal>; competitors: Array<Out<typeof S.DealCompetitor>> };
  };
  'GET /deals/:id/documents': { answer: Out<typeof S.DealDocuments> };
  'PUT /deals/:id/documents/:slot': { body: In<typeof S.DealDocumentPut>; answer: Out<typeof S.DealDocument> };
  'GET /deals/:id/competitors': { answer: PageOf<typeof S.DealCompetitor> };
  'POST /deals/:id/competitors': { body: In<typeof S.DealCompetitorLink>; answer: Out<typeof S.DealCompetitor> };
  'DELETE /deals/:id/competitors/:competitorId': { answer: null };

  'POST /activities': { body: In<typeof S.ActivityCreate>; answer: Out<typeof S.Activity> };
  'POST /tasks': { body: In<typeof S.TaskCreate>; answer: Out<typeof S.Task> };
  'PATCH /tasks/:id': { body: In<typeof S.TaskPatch>; answer: Out<typeof S.Task> };
  'GET /cases': { query: In<typeof S.CaseListQuery>; answer: PageOf<typeof S.Case> };
  'POST /cases': { body: In<typeof S.CaseCreate>; answer: Out<typeof S.Case> };
  'GET /today': { query: In<typeof S.TodayQuery>; answer: Out<typeof S.TodayAnswer> };

  'GET /competitors': { query: In<typeof S.CompetitorListQuery>; answer: PageOf<typeof S.Competitor> };
  'POST /competitors': { body: In<typeof S.CompetitorCreate>; answer: Out<typeof S.Competitor> };
  'DELETE /competitors/:id': { answer: null };

  'GET /settings/documents': { answer: Out<typeof S.DocumentSettingsAnswer> };
  'PUT /settings/documents': { body: In<typeof S.DocumentSettings>; answer: Out<typeof S.DocumentSettingsAnswer> };
  'GET /settings/microsoft': { answer: Out<typeof S.TenantLink> };
  'PUT /settings/microsoft': { body: In<typeof S.TenantLinkPut>; answer: Out<typeof S.TenantLink> };

  'GET /forms': { query: In<typeof S.WebFormListQuery>; answer: PageOf<typeof S.WebForm> };
  'POST /forms': { body: In<typeof S.WebFormCreate>; answer: Out<typeof S.WebForm> };
  'PATCH /forms/:id': { body: In<typeof S.WebFormPatch>; answer: Out<typeof S.WebForm> };
  'GET /forms/:id/submissions': { answer: PageOf<typeof S.FormSubmission> };
  /** The public embed snippet (HTML text). */
  'GET /forms/:formKey/embed': { query: { lang?: S.FormLang }; answer: string };

  'GET /quotas': { query: QuotaQuery; answer: PageOf<typeof S.Quota> };
  'PUT /quotas': { body: QuotaPutBody; answer: Out<typeof S.Quota> };

  'POST /imports': { body: In<typeof S.ImportCreate>; answer: Out<typeof S.ImportAnswer> };
  'GET /imports/defaults': { answer: Out<typeof S.ImportDefaultsAnswer> };
  'POST /imports/values': { body: In<typeof S.ImportValuesQuery>; answer: Out<typeof S.ImportValuesAnswer> };
  'POST /imports/:id/chunks': { body: In<typeof S.ImportChunk>; answer: Out<typeof S.ImportChunkAnswer> };
  'GET /imports/:id/rows': { query: In<typeof S.ImportRowsQuery>; answer: Out<typeof S.ImportRowsPage> };
  'POST /imports/:id/finish': { answer: Out<typeof S.ImportAnswer> };

  'GET /reports/weekly': { query: WeeklyReportQuery; answer: Out<typeof S.WeeklyReportAnswer> };
  'POST /reports/fn/batch': { body: FunctionBatchBody; answer: Out<typeof S.FunctionBatchAnswer> };
}

export type Route = keyof Contract;
/** The path templates of one method, e.g. PathOf<'PATCH'> includes '/deals/:id'. */
export type PathOf<M extends HttpMethod> = { [K in Route]: K extends `${M} ${infer P}` ? P : never }[Route];
type Spec<M extends HttpMethod, P extends string> = Contract[`${M} ${P}` & Route];

/** The `:name` parameters of a path template. */
export type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer R}`
  ? N | ParamNames<`/${R}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;

/** What a call of the route carries: its path parameters, query and body. */
export type Input<M extends HttpMethod, P extends PathOf<M>> = ([ParamNames<P>] extends [never]
  ? { params?: never }
  : { params: Record<ParamNames<P>, string> }) &
  (Spec<M, P> extends { query: infer Q } ? { query?: Q } : { query?: never }) &
  (Spec<M, P> extends { body: infer B } ? { body: B } : { body?: never });

/** The route's answer, e.g. Answer<'GET', '/deals'> is a page of deals. */
export type Answer<M extends HttpMethod, P extends PathOf<M>> = Spec<M, P>['answer'];
export type Body<M extends HttpMethod, P extends PathOf<M>> = Spec<M, P> extends { body: infer B } ? B : never;

/** A path template with its parameters put in, each percent-encoded. */
export function fillPath(template: string, params: Record<string, string> | undefined): string {
  return template.replace(/:([A-Za-z]\w*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${template}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/** Records the panes read, as the API answers them. */
export type Deal = Out<typeof S.Deal>;
/** A deal as a sync reads it: deleted ones carry deletedAt. */
export type DealListItem = Out<typeof S.DealListItem>;
export type Company = Out<typeof S.Company>;
export type Contact = Out<typeof S.Contact>;
export type Lead = Out<typeof S.Lead>;
export type Case = Out<typeof S.Case>;
export type Competitor = Out<typeof S.Competitor>;
export type User = Out<typeof S.User>;
export type MatchAnswer = Out<typeof S.MatchAnswer>;
export type CompanyCard = Out<typeof S.CompanyCard>;
export type Me = MeAnswer;
export type WeeklyReport = Out<typeof S.WeeklyReportAnswer>;
export type TodayAnswer = Out<typeof S.TodayAnswer>;
export type ImportRowAnswer = Out<typeof S.ImportRowAnswer>;
export type ImportChunkAnswer = Out<typeof S.ImportChunkAnswer>;
export type ImportValuesAnswer = Out<typeof S.ImportValuesAnswer>;
export type ImportStartBody = In<typeof S.ImportCreate>;
export type ImportChunkBody = In<typeof S.ImportChunk>;
export type ContactMatch = MatchAnswer['contacts'][number];
export type CompanyMatch = MatchAnswer['companies'][number];
export type LeadMatch = MatchAnswer['leads'][number];
export type { Role } from '../../shared/schemas';
export type WebForm = Out<typeof S.WebForm>;
export type FormSubmission = Out<typeof S.FormSubmission>;
export type ApiToken = Out<typeof S.ApiToken>;
export type TenantLink = Out<typeof S.TenantLink>;
export type DocumentSettings = Out<typeof S.DocumentSettingsAnswer>;
export type Quota = Out<typeof S.Quota>;
export type DealDocuments = Out<typeof S.DealDocuments>;
export type DealCompetitor = Out<typeof S.DealCompetitor>;
