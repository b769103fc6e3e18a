import type { AccountView, Page } from './accounts';
import { api, typed } from './api';

export const ACCOUNTS_KEY = 'accounts';
export const ACCOUNT_KEY = 'account';
export const STATEMENT_KEY = 'account-statement';
export const ADJUSTMENTS_KEY = 'account-adjustments';

const path = (id: string) => ({ path: { id } });

export const listAccounts = (query: { q?: string; cursor?: string; limit?: number }) =>
  // `limit` is typed `Object` by the document (a defaulted DTO field): it is a number.
  typed(api.GET('/v1/accounts', { params: { query: query as never } })) as Promise<
    Page<AccountView>
  >;

export const getAccount = (id: string) => typed(api.GET('/v1/accounts/{id}', { params: path(id) }));

export const createAccount = (body: { name: string; phone?: string; externalRef?: string }) =>
  typed(api.POST('/v1/accounts', { body }));

export const accountStatement = (id: string, cursor?: string) =>
  typed(
    api.GET('/v1/accounts/{id}/statement', {
      params: {
        ...path(id),
        query: { cursor, limit: 25 } as never,
        header: { accept: 'application/json' },
      },
    }),
  );

/** Pays a sale from the balance; the key is the attempt's, so a repeated tap charges once. */
export const chargeAccount = (
  id: string,
  body: { amount: number; orderRef: string },
  idempotencyKey: string,
) =>
  typed(
    api.POST('/v1/accounts/{id}/charges', {
      params: { ...path(id), header: { 'Idempotency-Key': idempotencyKey } },
      body,
    }),
  );

export const listAdjustments = (id: string) =>
  typed(api.GET('/v1/accounts/{id}/adjustments', { params: path(id) }));

export const requestAdjustment = (id: string, body: { amount: number; reason: string }) =>
  typed(api.POST('/v1/accounts/{id}/adjustments', { params: path(id), body }));

export const approveAdjustment = (id: string, adjustmentId: string) =>
  typed(
    api.POST('/v1/accounts/{id}/adjustments/{adjId}/approve', {
      params: { path: { id, adjId: adjustmentId } },
      body: {},
    }),
  );
