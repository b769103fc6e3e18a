import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { type AppConfig, ValidationError } from '@malipo/common';
import { classifyAddress } from './ip-ranges';

export interface WebhookTargetPolicy {
  /** Loopback receivers are fine in simulator mode and tests (a local receiver), never in production. */
  allowLoopback: boolean;
  /** Plain http:// only where loopback is allowed too. */
  requireHttps: boolean;
}

export function webhookTargetPolicy(
  config: Pick<AppConfig, 'NODE_ENV' | 'DARAJA_MODE'>,
): WebhookTargetPolicy {
  const relaxed = config.NODE_ENV === 'test' || config.DARAJA_MODE === 'simulator';
  return { allowLoopback: relaxed, requireHttps: !relaxed };
}

const BLOCKED_HOSTNAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog']);

export class WebhookTargetRefusedError extends ValidationError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details, 'WEBHOOK.TARGET_REFUSED');
  }
}

/**
 * Server-side request forgery guard: webhook URLs are chosen by tenants, so every address a host
 * resolves to must be public. It runs when an endpoint is saved and again on every delivery,
 * inside the socket's DNS lookup, so a host that later re-points to 10.0.0.1 is refused too.
 */
export class SsrfGuard {
  constructor(readonly policy: WebhookTargetPolicy) {}

  isAllowedAddress(ip: string): boolean {
    const cls = classifyAddress(ip);
    return cls === 'public' || (cls === 'loopback' && this.policy.allowLoopback);
  }

  /** Syntax and scheme only (no DNS). */
  parseUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookTargetRefusedError('Webhook URL is not a valid absolute URL');
    }
    const schemes = this.policy.requireHttps ? ['https:'] : ['https:', 'http:'];
    if (!schemes.includes(url.protocol)) {
      throw new WebhookTargetRefusedError(`Webhook URL must use ${schemes.join(' or ')}`);
    }
    if (url.username || url.password) {
      throw new WebhookTargetRefusedError('Webhook URL must not carry credentials');
    }
    if (BLOCKED_HOSTNAMES.has(url.hostname.toLowerCase())) {
      throw new WebhookTargetRefusedError('Webhook URL points at a metadata service');
    }
    return url;
  }

  /** Parses, resolves the host and checks every address it resolves to. */
  async assertAllowed(raw: string): Promise<URL> {
    const url = this.parseUrl(raw);
    const host = hostOf(url);
    const addresses = isIP(host) ? [host] : await this.resolve(host);
    const refused = addresses.filter((a) => !this.isAllowedAddress(a));
    if (refused.length) {
      throw new WebhookTargetRefusedError(
        'Webhook URL resolves to a private, loopback, link-local or reserved address',
        { addresses: refused, class: refused.map((a) => classifyAddress(a)) },
      );
    }
    return url;
  }

  /** A `lookup` for http(s).request that refuses hosts resolving to any disallowed address. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const refused = addresses.find((a) => !this.isAllowedAddress(a.address));
      if (refused || !addresses.length) {
        const e = new WebhookTargetRefusedError(`${hostname} resolves to a refused address`);
        return callback(e as unknown as NodeJS.ErrnoException, '', 4);
      }
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      }
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

  private async resolve(host: string): Promise<string[]> {
    const found = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (e, a) => (e ? reject(e) : resolve(a))),
    ).catch(() => {
      throw new WebhookTargetRefusedError(`Webhook host ${host} does not resolve`);
    });
    if (!found.length) throw new WebhookTargetRefusedError(`Webhook host ${host} does not resolve`);
    return found.map((a) => a.address);
  }
}

/** URL.hostname keeps IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
