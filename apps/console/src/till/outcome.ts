import type { PaymentView } from '@malipo/terminal-client';

/** What the till says about a payment, in plain words, by status and M-Pesa result code. */
export function describe(p: PaymentView): {
  title: string;
  detail: string;
  tone: 'wait' | 'ok' | 'bad' | 'warn';
} {
  const code = p.failure?.code ?? '';
  switch (p.status) {
    case 'created':
    case 'awaiting_customer':
      return {
        title: 'Check your phone',
        detail: 'The customer should see the M-Pesa prompt and enter their PIN.',
        tone: 'wait',
      };
    case 'succeeded':
      return { title: 'Paid', detail: `M-Pesa receipt ${p.receipt ?? ''}`, tone: 'ok' };
    case 'paid_cash':
      return {
        title: 'Paid in cash',
        detail: 'Recorded as paid in cash. No M-Pesa prompt will be sent.',
        tone: 'ok',
      };
    case 'reversed':
      return {
        title: 'Reversed',
        detail: 'This payment was reversed and the money returned.',
        tone: 'warn',
      };
    case 'unknown':
      return {
        title: 'Outcome not known yet',
        detail:
          'The prompt may be on the customer’s phone. Do not send another prompt or take cash until this is settled.',
        tone: 'warn',
      };
    case 'cancelled':
      return code === 'CANCELLED_BY_CASHIER'
        ? { title: 'Cancelled', detail: 'You stopped waiting for this payment.', tone: 'bad' }
        : {
            title: 'Customer cancelled',
            detail: 'The customer cancelled the M-Pesa prompt on their phone.',
            tone: 'bad',
          };
    case 'expired':
      return {
        title: 'No answer from the phone',
        detail: 'The customer’s phone could not be reached or the prompt timed out.',
        tone: 'bad',
      };
    case 'failed':
      return failed(code, p.failure?.message ?? '');
  }
}

function failed(code: string, message: string) {
  const tone = 'bad' as const;
  if (code === '1') {
    return {
      title: 'Not enough money',
      detail: 'The customer does not have enough money in M-Pesa.',
      tone,
    };
  }
  if (code === '2001') {
    return { title: 'Wrong PIN', detail: 'The customer entered a wrong M-Pesa PIN.', tone };
  }
  if (code === '1037' || code === '1019') {
    return {
      title: 'No answer from the phone',
      detail: 'The customer’s phone could not be reached or the prompt timed out.',
      tone,
    };
  }
  return {
    title: 'The prompt could not be sent',
    detail: message || 'M-Pesa refused the request.',
    tone,
  };
}

/** A success that came after the cashier cancelled or took cash: the customer paid twice. */
export const isLateSuccess = (p: PaymentView, cashierGaveUp: boolean): boolean =>
  p.status === 'succeeded' && cashierGaveUp;
