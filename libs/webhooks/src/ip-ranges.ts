import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

type V4Range = [base: number, bits: number, cls: AddressClass];

const v4 = (a: number, b: number, c: number, d: number) =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// Most specific first: the metadata address sits inside link-local.
const V4_RANGES: V4Range[] = [
  [v4(169, 254, 169, 254), 32, 'metadata'],
  [v4(100, 100, 100, 200), 32, 'metadata'], // Alibaba Cloud
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'private'], // carrier-grade NAT
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link_local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'],
  [v4(192, 0, 2, 0), 24, 'reserved'],
  [v4(192, 88, 99, 0), 24, 'reserved'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'reserved'],
  [v4(198, 51, 100, 0), 24, 'reserved'],
  [v4(203, 0, 113, 0), 24, 'reserved'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'], // includes 255.255.255.255
];

function parseV4(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  const [a, b, c, d] = ip.split('.').map(Number);
  return v4(a, b, c, d);
}

function classifyV4(n: number): AddressClass {
  for (const [base, bits, cls] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === base) return cls;
  }
  return 'public';
}

/** Eight 16-bit groups; an embedded dotted quad becomes the last two. */
export function parseV6(ip: string): number[] | undefined {
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  let text = bare.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const n = parseV4(quad[1]);
    if (n === undefined) return undefined;
    text = `${text.slice(0, -quad[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const all = [...h, ...new Array<number>(fill).fill(0), ...t];
  return all.length === 8 ? all : undefined;
}

function classifyV6(g: number[]): AddressClass {
  const embeddedV4 = () => ((g[6] << 16) | g[7]) >>> 0;
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return classifyV4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return classifyV4(embeddedV4());
  }
  if (g[0] === 0x2002) return classifyV4(((g[1] << 16) | g[2]) >>> 0); // 6to4
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) {
    return 'metadata'; // AWS IMDS over IPv6
  }
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique_local';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link_local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'reserved'; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo hides the real target
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard
  if (g.slice(0, 6).every((x) => x === 0)) return 'reserved'; // IPv4-compatible (deprecated)
  return 'public';
}

/** What kind of network an IP literal points into. */
export function classifyAddress(ip: string): AddressClass {
  const n = parseV4(ip);
  if (n !== undefined) return classifyV4(n);
  const g = parseV6(ip.startsWith('[') ? ip.slice(1, -1) : ip);
  return g ? classifyV6(g) : 'invalid';
}
