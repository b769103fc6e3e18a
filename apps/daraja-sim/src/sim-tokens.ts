import { envelope, type SimAnswer } from './sim-answer';
import { accessToken } from './sim-ids';

/** Consumer key/secret pairs and the access tokens minted for them. */
export class SimTokens {
  private readonly credentials = new Map<string, string>();
  private readonly tokens = new Map<string, { consumerKey: string; expiresAt: number }>();
  private readonly latest = new Map<string, string>();

  reset(consumerKey: string, consumerSecret: string): void {
    this.credentials.clear();
    this.tokens.clear();
    this.latest.clear();
    this.credentials.set(consumerKey, consumerSecret);
  }

  addCredentials(consumerKey: string, consumerSecret: string): void {
    this.credentials.set(consumerKey, consumerSecret);
  }

  /** The consumer key of a valid `Basic base64(key:secret)` header, else undefined. */
  consumerKeyOf(authorization: string | undefined): { key?: string; valid: boolean } {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const key = colon > 0 ? decoded.slice(0, colon) : undefined;
    const valid = key !== undefined && this.credentials.get(key) === decoded.slice(colon + 1);
    return { key, valid };
  }

  /** The FAQ says a new token voids the previous one for the same app (REFERENCE §1.2). */
  issue(consumerKey: string, ttlSeconds: number): string {
    const previous = this.latest.get(consumerKey);
    if (previous) this.tokens.delete(previous);
    const token = accessToken();
    this.tokens.set(token, { consumerKey, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.latest.set(consumerKey, token);
    return token;
  }

  /** undefined when the Bearer token is good; otherwise Daraja's refusal. */
  refusal(authorization: string | undefined, forceInvalid: boolean): SimAnswer | undefined {
    const bearer = /^Bearer\s+(\S+)$/.exec(authorization ?? '');
    if (!bearer) return envelope(404, '404.001.04', 'Invalid Authentication Header');
    const token = this.tokens.get(bearer[1]);
    if (!token || token.expiresAt <= Date.now() || forceInvalid) {
      return envelope(404, '404.001.03', 'Invalid Access Token');
    }
    return undefined;
  }

  expireAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    this.latest.clear();
    return count;
  }
}
