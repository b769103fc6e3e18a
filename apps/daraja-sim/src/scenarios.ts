/** How the simulated customer and network treat one push. */
export interface ScenarioSpec {
  name: string;
  description: string;
  /** Result the customer's action produces (callback ResultCode, STK Query ResultCode). */
  resultCode: number | string;
  resultDesc: string;
  /** accept: 200; http_500_after_prompt: prompt sent, caller gets a 500; subscriber_locked: sync refusal. */
  push: 'accept' | 'http_500_after_prompt' | 'subscriber_locked';
  /** once, never (only STK Query tells), three_times, or late (after lateCallbackMs). */
  delivery: 'once' | 'never' | 'three_times' | 'late';
  /** Stays "being processed" until POST /sim/transactions/:id/complete. */
  hold?: boolean;
}

const SUCCESS = { resultCode: 0, resultDesc: 'The service request is processed successfully.' };

/** Every named scenario. Phones pick one by their last four digits (SCENARIO_BY_SUFFIX). */
export const SCENARIOS = {
  success: {
    name: 'success',
    description: 'customer enters the PIN; paid',
    ...SUCCESS,
    push: 'accept',
    delivery: 'once',
  },
  cancelled: {
    name: 'cancelled',
    description: 'customer cancels the prompt (1032)',
    resultCode: 1032,
    resultDesc: 'Request cancelled by user',
    push: 'accept',
    delivery: 'once',
  },
  insufficient_funds: {
    name: 'insufficient_funds',
    description: 'balance too low (1)',
    resultCode: 1,
    resultDesc: 'The balance is insufficient for the transaction.',
    push: 'accept',
    delivery: 'once',
  },
  wrong_pin: {
    name: 'wrong_pin',
    description: 'wrong M-Pesa PIN (2001)',
    resultCode: 2001,
    resultDesc: 'The initiator information is invalid.',
    push: 'accept',
    delivery: 'once',
  },
  no_response: {
    name: 'no_response',
    description: 'phone unreachable / no answer (1037)',
    resultCode: 1037,
    resultDesc: 'DS timeout user cannot be reached',
    push: 'accept',
    delivery: 'once',
  },
  no_callback: {
    name: 'no_callback',
    description: 'paid, but the callback is never sent; only STK Query reveals it',
    ...SUCCESS,
    push: 'accept',
    delivery: 'never',
  },
  duplicate_callbacks: {
    name: 'duplicate_callbacks',
    description: 'paid; the same callback is delivered three times',
    ...SUCCESS,
    push: 'accept',
    delivery: 'three_times',
  },
  late_callback: {
    name: 'late_callback',
    description: 'paid at the normal time (query says so); callback delivered after lateCallbackMs',
    ...SUCCESS,
    push: 'accept',
    delivery: 'late',
  },
  push_http_500: {
    name: 'push_http_500',
    description: 'prompt sent, then the push answers HTTP 500; paid later via callback',
    ...SUCCESS,
    push: 'http_500_after_prompt',
    delivery: 'once',
  },
  subscriber_locked: {
    name: 'subscriber_locked',
    description: 'push refused: 500.001.1001 "Unable to lock subscriber"; no prompt',
    ...SUCCESS,
    push: 'subscriber_locked',
    delivery: 'never',
  },
  sandbox_test_number: {
    name: 'sandbox_test_number',
    description: 'REFERENCE §8: 254708374149 never completes; 1037 "No response from user."',
    resultCode: 1037,
    resultDesc: 'No response from user.',
    push: 'accept',
    delivery: 'once',
  },
  expired: {
    name: 'expired',
    description: 'prompt expired (1019); override only',
    resultCode: 1019,
    resultDesc: 'Transaction has expired.',
    push: 'accept',
    delivery: 'once',
  },
  hold: {
    name: 'hold',
    description: 'stays pending until POST /sim/transactions/:id/complete; override only',
    ...SUCCESS,
    push: 'accept',
    delivery: 'once',
    hold: true,
  },
} satisfies Record<string, ScenarioSpec>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_BY_SUFFIX: Readonly<Record<string, ScenarioName>> = {
  '1032': 'cancelled',
  '0001': 'insufficient_funds',
  '2001': 'wrong_pin',
  '1037': 'no_response',
  '9999': 'no_callback',
  '9998': 'duplicate_callbacks',
  '9997': 'late_callback',
  '9996': 'push_http_500',
  '9995': 'subscriber_locked',
};

export const SANDBOX_TEST_MSISDN = '254708374149';

export function isScenarioName(name: unknown): name is ScenarioName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SCENARIOS, name);
}

/** Scenario for a phone: explicit override, the sandbox number, its last four digits, else success. */
export function scenarioForPhone(
  phone: string,
  overrides: ReadonlyMap<string, ScenarioSpec>,
): ScenarioSpec {
  const override = overrides.get(phone);
  if (override) return override;
  if (phone === SANDBOX_TEST_MSISDN) return SCENARIOS.sandbox_test_number;
  const bySuffix = SCENARIO_BY_SUFFIX[phone.slice(-4)];
  return bySuffix ? SCENARIOS[bySuffix] : SCENARIOS.success;
}
