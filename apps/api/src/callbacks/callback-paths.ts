/** Daraja posts its callbacks under this prefix (no word Safaricom rejects, REFERENCE §2.4). */
export const CALLBACK_PREFIX = '/v1/hooks/';
