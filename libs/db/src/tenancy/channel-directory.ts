import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig, type TenantId } from '@malipo/common';
import { ChannelsRepository } from './channels.repository';
import { TerminalsRepository } from './terminals.repository';
import type { ChannelRow, TerminalRow } from './tenancy.types';

/**
 * Channels and terminals as initiation reads them, on every payment: kept for CHANNEL_CACHE_MS
 * (0 turns it off) instead of three reads per request. Only rows that exist are kept, so a new
 * terminal or channel is found at once; this process forgets a shop's entries when it changes
 * them (`forget`), and other replicas see a change within CHANNEL_CACHE_MS.
 */
@Injectable()
export class ChannelDirectory {
  private readonly cache: LRUCache<string, ChannelRow | TerminalRow | ChannelRow[]> | undefined;

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly terminals: TerminalsRepository,
    config: AppConfig,
  ) {
    this.cache =
      config.CHANNEL_CACHE_MS > 0
        ? new LRUCache({ max: 10_000, ttl: config.CHANNEL_CACHE_MS })
        : undefined;
  }

  channel(tenantId: TenantId, channelId: string): Promise<ChannelRow | undefined> {
    return this.read(`${tenantId}:c:${channelId}`, () =>
      this.channels.findById(tenantId, channelId),
    );
  }

  terminal(tenantId: TenantId, terminalId: string): Promise<TerminalRow | undefined> {
    return this.read(`${tenantId}:t:${terminalId}`, () =>
      this.terminals.findById(tenantId, terminalId),
    );
  }

  async activeChannels(tenantId: TenantId): Promise<ChannelRow[]> {
    return (await this.read(`${tenantId}:active`, () => this.channels.listActive(tenantId))) ?? [];
  }

  /** After this process changed a channel or terminal of the shop. */
  forget(tenantId: TenantId): void {
    if (!this.cache) return;
    for (const key of this.cache.keys()) if (key.startsWith(`${tenantId}:`)) this.cache.delete(key);
  }

  private async read<T extends ChannelRow | TerminalRow | ChannelRow[]>(
    key: string,
    load: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const kept = this.cache?.get(key) as T | undefined;
    if (kept) return kept;
    const loaded = await load();
    if (loaded) this.cache?.set(key, loaded);
    return loaded;
  }
}
