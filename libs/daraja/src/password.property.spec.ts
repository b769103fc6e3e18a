import fc from 'fast-check';
import { buildPassword, darajaTimestamp } from './password';

const SANDBOX_PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';

describe('Password and Timestamp', () => {
  it('reproduces the official sample Password (REFERENCE §2)', () => {
    expect(buildPassword('174379', SANDBOX_PASSKEY, '20210628092408')).toBe(
      'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjEwNjI4MDkyNDA4',
    );
  });

  it('Password decodes to shortcode + passkey + timestamp, nothing between', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{5,7}$/),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (shortcode, passkey, date) => {
          const ts = darajaTimestamp(date);
          const decoded = Buffer.from(buildPassword(shortcode, passkey, ts), 'base64').toString();
          expect(decoded).toBe(`${shortcode}${passkey}${ts}`);
        },
      ),
    );
  });

  it('Timestamp is 14 digits of East Africa Time (UTC+3), 24-hour clock', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (date) => {
          const ts = darajaTimestamp(date);
          expect(ts).toMatch(/^\d{14}$/);
          const eat = new Date(date.getTime() + 3 * 3600_000);
          const iso = eat.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
          expect(ts).toBe(iso.slice(0, 19).replace(/[-T:]/g, ''));
          const back = Date.UTC(
            Number(ts.slice(0, 4)),
            Number(ts.slice(4, 6)) - 1,
            Number(ts.slice(6, 8)),
            Number(ts.slice(8, 10)) - 3,
            Number(ts.slice(10, 12)),
            Number(ts.slice(12, 14)),
          );
          expect(Math.floor(date.getTime() / 1000) * 1000).toBe(back);
        },
      ),
    );
  });

  it('rolls over to the next Nairobi day at 21:00 UTC', () => {
    expect(darajaTimestamp(new Date('2024-12-31T21:00:00Z'))).toBe('20250101000000');
    expect(darajaTimestamp(new Date('2024-06-01T09:05:07Z'))).toBe('20240601120507');
  });
});
