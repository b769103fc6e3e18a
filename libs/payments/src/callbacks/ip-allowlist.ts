import { BlockList, isIP } from 'node:net';

/** Callback source addresses we expect (REFERENCE §4.4: community lists, defence in depth only). */
export class IpAllowlist {
  private readonly list = new BlockList();
  readonly enabled: boolean;

  constructor(spec: string) {
    const entries = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const [address, bits] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (!isIP(address)) throw new Error(`CALLBACK_IP_ALLOWLIST: "${entry}" is not an IP or CIDR`);
      if (bits === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(bits), family);
    }
    this.enabled = entries.length > 0;
  }

  allows(ip: string | undefined): boolean {
    if (!this.enabled) return true;
    if (!ip) return false;
    const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    return isIP(plain) !== 0 && this.list.check(plain, family);
  }
}
