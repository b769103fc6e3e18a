/** A tenant id is a distinct type so a query cannot be written without naming its tenant. */
export type TenantId = string & { readonly __brand: 'TenantId' };

export const asTenantId = (id: string): TenantId => id as TenantId;
