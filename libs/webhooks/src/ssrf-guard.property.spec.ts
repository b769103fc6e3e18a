import fc from 'fast-check';
import { classifyAddress } from './ip-ranges';
import { SsrfGuard, webhookTargetPolicy } from './ssrf-guard';

const octet = fc.integer({ min: 0, max: 255 });
const quad = (a: fc.Arbitrary<number>, b: fc.Arbitrary<number>) =>
  fc.tuple(a, b, octet, octet).map((o) => o.join('.'));
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));

const refusedV4: [string, fc.Arbitrary<string>][] = [
  ['loopback 127/8', quad(fc.constant(127), octet)],
  ['private 10/8', quad(fc.constant(10), octet)],
  ['private 172.16/12', quad(fc.constant(172), fc.integer({ min: 16, max: 31 }))],
  ['private 192.168/16', quad(fc.constant(192), fc.constant(168))],
  ['link-local 169.254/16', quad(fc.constant(169), fc.constant(254))],
  ['CGNAT 100.64/10', quad(fc.constant(100), fc.integer({ min: 64, max: 127 }))],
  ['unspecified 0/8', quad(fc.constant(0), octet)],
  ['multicast and reserved 224/3', quad(fc.integer({ min: 224, max: 255 }), octet)],
];

const refusedV6: [string, fc.Arbitrary<string>][] = [
  [
    'unique-local fc00::/7',
    fc
      .tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), hextet, hextet)
      .map(([a, b, c]) => `${a.toString(16)}:${b}::${c}`),
  ],
  [
    'link-local fe80::/10',
    fc
      .tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), hextet)
      .map(([a, b]) => `${a.toString(16)}::${b}`),
  ],
  [
    'multicast ff00::/8',
    fc
      .tuple(fc.integer({ min: 0xff00, max: 0xffff }), hextet)
      .map(([a, b]) => `${a.toString(16)}::${b}`),
  ],
  ['IPv4-mapped private', quad(fc.constant(10), octet).map((v4) => `::ffff:${v4}`)],
  ['IPv4-mapped loopback', quad(fc.constant(127), octet).map((v4) => `::ffff:${v4}`)],
  ['NAT64 of link-local', quad(fc.constant(169), fc.constant(254)).map((v4) => `64:ff9b::${v4}`)],
];

/** Public IPv4: first octet 1–223 minus the special blocks. */
const publicV4 = quad(fc.integer({ min: 1, max: 223 }), octet).filter((ip) => {
  const [a, b] = ip.split('.').map(Number);
  return !(
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && (b === 168 || b === 0 || b === 88)) ||
    (a === 198 && (b === 18 || b === 19 || b === 51)) ||
    (a === 203 && b === 0)
  );
});

describe(SsrfGuard.name, () => {
  const strict = new SsrfGuard({ allowLoopback: false, requireHttps: true });
  const relaxed = new SsrfGuard({ allowLoopback: true, requireHttps: false });

  it.each([...refusedV4, ...refusedV6])('refuses %s outside test/simulator mode', (_, arb) => {
    fc.assert(
      fc.property(arb, (ip) => {
        expect(strict.isAllowedAddress(ip)).toBe(false);
      }),
    );
  });

  it('refuses every non-loopback special range even in test/simulator mode', () => {
    const notLoopback = [...refusedV4, ...refusedV6].filter(([n]) => !/loopback/.test(n));
    for (const [, arb] of notLoopback) {
      fc.assert(fc.property(arb, (ip) => expect(relaxed.isAllowedAddress(ip)).toBe(false)));
    }
  });

  it('allows loopback only in test/simulator mode', () => {
    fc.assert(
      fc.property(quad(fc.constant(127), octet), (ip) => {
        expect(relaxed.isAllowedAddress(ip)).toBe(true);
        expect(strict.isAllowedAddress(ip)).toBe(false);
      }),
    );
    expect(relaxed.isAllowedAddress('::1')).toBe(true);
    expect(strict.isAllowedAddress('::1')).toBe(false);
  });

  it('allows public addresses', () => {
    fc.assert(fc.property(publicV4, (ip) => expect(strict.isAllowedAddress(ip)).toBe(true)));
    for (const ip of ['2a00:1450:4001:80b::200e', '2606:4700::6810:84e5', '::ffff:8.8.8.8']) {
      expect(strict.isAllowedAddress(ip)).toBe(true);
    }
  });

  it('names the cloud metadata addresses', () => {
    expect(classifyAddress('169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd00:ec2::254')).toBe('metadata');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('metadata');
  });

  it('refuses literal and resolved internal targets when saving a URL', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd12:3456::1]/hook',
      'https://localhost/hook',
      'https://metadata.google.internal/computeMetadata/v1',
    ]) {
      await expect(strict.assertAllowed(url)).rejects.toMatchObject({
        code: 'WEBHOOK.TARGET_REFUSED',
      });
    }
  });

  it('requires https outside test/simulator mode and no credentials in the URL', async () => {
    await expect(strict.assertAllowed('http://93.184.216.34/hook')).rejects.toThrow(/https/);
    await expect(strict.assertAllowed('https://93.184.216.34/hook')).resolves.toBeInstanceOf(URL);
    await expect(relaxed.assertAllowed('http://127.0.0.1:9/hook')).resolves.toBeInstanceOf(URL);
    await expect(relaxed.assertAllowed('ftp://127.0.0.1/hook')).rejects.toThrow();
    await expect(strict.assertAllowed('https://u:p@93.184.216.34/')).rejects.toThrow(/credentials/);
  });

  it('is strict unless NODE_ENV=test or DARAJA_MODE=simulator', () => {
    expect(webhookTargetPolicy({ NODE_ENV: 'production', DARAJA_MODE: 'production' })).toEqual({
      allowLoopback: false,
      requireHttps: true,
    });
    expect(
      webhookTargetPolicy({ NODE_ENV: 'development', DARAJA_MODE: 'sandbox' }).allowLoopback,
    ).toBe(false);
    expect(webhookTargetPolicy({ NODE_ENV: 'test', DARAJA_MODE: 'production' }).allowLoopback).toBe(
      true,
    );
    expect(
      webhookTargetPolicy({ NODE_ENV: 'production', DARAJA_MODE: 'simulator' }).requireHttps,
    ).toBe(false);
  });

  it('refuses hosts that resolve to a refused address at connect time', async () => {
    const lookup = (host: string) =>
      new Promise<unknown>((resolve) => strict.lookup(host, { all: true }, (err) => resolve(err)));
    expect(await lookup('localhost')).toMatchObject({ code: 'WEBHOOK.TARGET_REFUSED' });
  });
});
