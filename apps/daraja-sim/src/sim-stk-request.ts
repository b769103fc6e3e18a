import type { ScenarioSpec } from './scenarios';
import { UnparsableBody, envelope, isRecord, type SimAnswer } from './sim-answer';
import type { SimPayments } from './sim-payments';
import type { SimAccount, SimFaults, SimSettings } from './sim-settings';
import type { SimTokens } from './sim-tokens';
import { expectedPassword } from './sim-validation';

/** The simulator state an STK push or query reads (and, for a push, the payments it creates). */
export interface StkState {
  settings: SimSettings;
  faults: SimFaults;
  random: () => number;
  accounts: ReadonlyMap<string, SimAccount>;
  tokens: SimTokens;
  overrides: ReadonlyMap<string, ScenarioSpec>;
  payments: SimPayments;
}

export function parsedBody(body: unknown): Record<string, unknown> | SimAnswer {
  // A form-encoded body makes Daraja complain about the first field (REFERENCE §3.2 FAQ #9).
  if (body instanceof UnparsableBody && body.kind === 'not_json') {
    return envelope(400, '400.002.02', 'Bad Request - Invalid BusinessShortCode');
  }
  if (!isRecord(body)) return envelope(400, '400.002.05', 'Invalid Request Payload');
  return body;
}

export function merchantOf(
  accounts: ReadonlyMap<string, SimAccount>,
  f: { shortcode: string; password: string; timestamp: string },
): SimAccount | SimAnswer {
  const account = accounts.get(f.shortcode);
  if (!account) return envelope(500, '500.001.1001', 'Merchant does not exist');
  if (f.password !== expectedPassword(f.shortcode, account.passkey, f.timestamp)) {
    return envelope(500, '500.001.1001', 'Wrong credentials');
  }
  return account;
}
