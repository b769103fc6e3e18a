import { SetMetadata } from '@nestjs/common';

export const OWN_OPS_READ_KEY = 'malipo:records-own-ops-read';

/**
 * The controller records an operator's read itself (it knows the shop from ?shopId=), so the
 * actor interceptor must not record a second one from x-tenant-id.
 */
export const RecordsOwnOpsRead = (): ClassDecorator & MethodDecorator =>
  SetMetadata(OWN_OPS_READ_KEY, true);
