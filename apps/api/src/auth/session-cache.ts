import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CARNET_CONFIG } from '@carnet/config';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { SESSION_CHANNEL, User } from '@carnet/database';
import type { ResolvedConfig } from '@carnet/infrastructure';

/** What a token stands for, as the session guard needs it. */
export interface KnownSession {
  sessionId: string;
  userId: string;
  roles: User['roles'];
  csrfToken: string;
  expiresAt: Date;
}

/** How often a probe goes round the channel; one not back by the next means the channel is lost. */
export const PROBE_INTERVAL_MS = 10_000;
/** Sessions remembered at most; the oldest go first (a national deployment has ~50,000 users). */
const MAX_ENTRIES = 50_000;

/**
 * The sessions this API process has looked up lately, so that a user's next requests skip the
 * lookup (one round trip to PostgreSQL of two on a list): SESSION_CACHE_SECONDS at most, and
 * never past the session's own expiry.
 *
 * Revocation stays immediate. Every change to a session or to its user's roles or activity
 * notifies every API process at commit (migration 15's triggers); this one drops what it holds
 * of them on receipt, and its own changes at once. The cache is trusted only while notifications
 * are seen arriving: a probe goes round the channel every 10 s; one that does not come back, or
 * the listening connection lost, empties the cache and turns it off until the channel works again.
 * Where notifications never cross connections (the embedded PGlite), it stays off for good.
 * A lookup that a notification overtakes is not remembered (the generation count).
 */
@Injectable()
export class SessionCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionCache.name);
  private readonly ttlMs: number;
  private readonly entries = new Map<string, { value: KnownSession; until: number }>();
  private readonly bySession = new Map<string, string>();
  private readonly byUser = new Map<string, Set<string>>();
  private generation = 0;
  private trusted = false;
  private everTrusted = false;
  private client: Client | null = null;
  private probe: string | null = null;
  private heartbeat?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private retryMs = 1000;
  /** Shut down, or turned off for good (notifications do not reach this process). */
  private stopped = false;

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_METRICS) private readonly metrics: CarnetMetrics,
  ) {
    this.ttlMs = config.sessionCacheSeconds * 1000;
    metrics.sessionCacheOn.set(0);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.ttlMs) return;
    this.heartbeat = setInterval(() => this.beat(), PROBE_INTERVAL_MS).unref();
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Whether sessions are being remembered: notifications are seen arriving. */
  get on(): boolean {
    return this.trusted;
  }

  /** Taken before a lookup, handed back to `remember`: a notification in between voids it. */
  get mark(): number {
    return this.generation;
  }

  get(tokenHash: string): KnownSession | undefined {
    const entry = this.trusted ? this.entries.get(tokenHash) : undefined;
    const now = Date.now();
    if (entry && entry.until > now && entry.value.expiresAt.getTime() > now) {
      this.metrics.sessionLookups.inc({ source: 'memory' });
      return entry.value;
    }
    if (entry) this.drop(tokenHash);
    this.metrics.sessionLookups.inc({ source: 'database' });
    return undefined;
  }

  remember(tokenHash: string, value: KnownSession, mark: number): void {
    if (!this.trusted || mark !== this.generation) return;
    this.drop(tokenHash);
    if (this.entries.size >= MAX_ENTRIES) this.drop(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { value, until: Date.now() + this.ttlMs });
    this.bySession.set(value.sessionId, tokenHash);
    const tokens = this.byUser.get(value.userId) ?? new Set<string>();
    this.byUser.set(value.userId, tokens.add(tokenHash));
  }

  forgetSession(sessionId: string): void {
    this.generation++;
    const tokenHash = this.bySession.get(sessionId);
    if (tokenHash) this.drop(tokenHash);
  }

  forgetUser(userId: string): void {
    this.generation++;
    for (const tokenHash of this.byUser.get(userId) ?? []) this.drop(tokenHash);
  }

  private forgetAll(): void {
    this.generation++;
    this.entries.clear();
    this.bySession.clear();
    this.byUser.clear();
  }

  private drop(tokenHash: string): void {
    const entry = this.entries.get(tokenHash);
    if (!entry) return;
    this.entries.delete(tokenHash);
    this.bySession.delete(entry.value.sessionId);
    const tokens = this.byUser.get(entry.value.userId);
    tokens?.delete(tokenHash);
    if (tokens?.size === 0) this.byUser.delete(entry.value.userId);
  }

  private notified(payload: string): void {
    if (payload.startsWith('probe:')) {
      if (payload !== `probe:${this.probe}`) return; // another process's
      this.probe = null;
      if (!this.trusted) this.logger.log('session cache on: revocations reach this process');
      this.trusted = this.everTrusted = true;
      this.metrics.sessionCacheOn.set(1);
      return;
    }
    if (payload.startsWith('s:')) this.forgetSession(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else this.forgetAll();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: 'carnet-session-cache' });
    client.on('notification', (message) => message.channel === SESSION_CHANNEL && this.notified(message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) return void client.end().catch(() => undefined);
    this.client = client;
    this.retryMs = 1000;
    this.sendProbe();
  }

  /** The channel is gone: nothing held can be trusted, and nothing is until it works again. */
  private lost(client: Client, error?: Error): void {
    if (this.client !== null && this.client !== client) return; // an earlier connection's last words
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.client === client) this.logger.warn(`session cache off until PostgreSQL notifications are back${error ? `: ${error.message}` : ''}`);
    this.client = null;
    this.trusted = false;
    this.metrics.sessionCacheOn.set(0);
    this.probe = null;
    this.forgetAll();
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }

  private beat(): void {
    if (!this.client) return;
    if (this.probe !== null) {
      if (!this.everTrusted) {
        // Notifications sent on another connection never came: PGlite (one session shared by
        // every connection). Stop listening there, for its other users' sake.
        this.logger.log('session cache off: notifications do not cross connections on this database');
        const client = this.client;
        this.client = null;
        this.stopped = true;
        clearInterval(this.heartbeat);
        void client.query(`UNLISTEN ${SESSION_CHANNEL}`).finally(() => client.end()).catch(() => undefined);
        return;
      }
      this.lost(this.client, new Error('a probe did not come back'));
      return;
    }
    this.sendProbe();
  }

  private sendProbe(): void {
    this.probe = randomUUID();
    this.dataSource.query(`SELECT pg_notify($1, $2)`, [SESSION_CHANNEL, `probe:${this.probe}`]).catch(() => undefined);
  }
}
