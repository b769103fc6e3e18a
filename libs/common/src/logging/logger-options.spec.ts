import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { loggerOptions, urlForLog } from './logger-options';
import { maskPhone, maskPhonesInText } from './mask';

function capture(): { logger: pino.Logger; output: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = pino(loggerOptions({ level: 'info', pretty: false, name: 'test' }), sink);
  return { logger, output: () => text };
}

describe('logger redaction', () => {
  const phone = '254712345678';
  const apiKey = 'mlp_live_3b1f0c9e5a7d4e2f8c6b';

  it('never writes a phone number or a key, in fields or in messages', () => {
    const { logger, output } = capture();
    logger.info(
      { phone, PartyA: phone, authorization: `Bearer ${apiKey}`, passkey: apiKey },
      'push',
    );
    logger.info({ body: { PhoneNumber: Number(phone), consumerSecret: apiKey } }, 'nested');
    logger.info(`cashier typed 0712 345 678 and +254712345678 for ${phone}`);
    logger.info({ req: { headers: { authorization: `Bearer ${apiKey}` } } }, 'request');
    logger.info({ res: { headers: { 'set-cookie': `malipo_session=${apiKey}` } } }, 'answer');
    const text = output();
    expect(text).not.toContain(phone);
    expect(text).not.toContain('712345678');
    expect(text).not.toContain('0712 345 678');
    expect(text).not.toContain(apiKey);
    expect(text).toContain('*********678');
  });

  it('masks phone numbers by value wherever they hide: URLs, errors, their parameters, numbers', () => {
    const { logger, output } = capture();
    logger.info({ req: { url: `/v1/payments?phone=%2B${phone}&x=0712345678` } }, 'request');
    const failed = Object.assign(new Error(`Failed query: insert ... params: ${phone},ORDER-1`), {
      detail: `Key (phone)=(${phone}) already exists.`,
      parameters: ['ORDER-1', phone],
    });
    logger.error({ err: failed, other: Number(phone), list: [Number(phone), 3] }, 'boom');
    const text = output();
    expect(text).not.toMatch(/712345678/);
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(text.trim().split('\n')[1]).other).toBe('*********678');
  });

  it('keeps only the last three digits of any Kenyan number in free text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('2547', '2541', '07', '01', '+2547'),
        fc.stringMatching(/^\d{8}$/),
        (p, rest) => {
          const masked = maskPhonesInText(`pay ${p}${rest} now`);
          expect(masked).not.toContain(rest);
          expect(masked).toContain(rest.slice(-3));
        },
      ),
    );
  });

  it('masks all but the last three digits', () => {
    expect(maskPhone('254712345678')).toBe('*********678');
    expect(maskPhone('12')).toBe('***');
  });
});

describe('urlForLog', () => {
  it('hides callback tokens and phone numbers in query strings', () => {
    expect(urlForLog('/v1/hooks/stk/t.a.hmac')).toBe('/v1/hooks/stk/[token]');
    const logged = urlForLog('/console/till?orderRef=A1&amount=10&phone=0712345678');
    expect(logged).not.toContain('712345678');
    expect(logged).toContain('678');
    expect(urlForLog('/v1/payments?phone=%2B254712345678')).not.toContain('712345678');
  });
});
