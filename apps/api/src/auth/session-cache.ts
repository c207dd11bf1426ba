import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CARNET_CONFIG } from '@carnet/config';
import { SessionChangesListener, SessionRepository, Tx, User } from '@carnet/database';
import type { ResolvedConfig } from '@carnet/infrastructure';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';

/** What a token stands for, as the session guard needs it. */
export interface KnownSession {
  sessionId: string;
  userId: string;
  roles: User['roles'];
  /** The faculty the session works in (its user row's); null for the national operator. */
  facultyId: string | null;
  csrfToken: string;
  expiresAt: Date;
}

/** A probe goes round the channel this often; one not back after as long means the channel is lost. */
const PROBE_INTERVAL_MS = 10_000;
/** Sessions remembered at most; the oldest go first (a national deployment has ~50,000 users). */
const MAX_ENTRIES = 50_000;

/**
 * The sessions this API process has looked up lately, so that a user's next requests skip the
 * lookup (one round trip to PostgreSQL of two on a list): SESSION_CACHE_SECONDS at most, and
 * never past the session's own expiry.
 *
 * Revocation stays immediate. Every change to a session or to its user's roles or activity
 * notifies every API process at commit (migration 15's triggers), and each drops what it holds
 * of them on receipt; this process's own changes are dropped when their transaction commits.
 * A lookup that a notification (or the cache's loss of trust) overtakes is not remembered: the
 * generation count. The cache is trusted only while notifications are seen arriving: a probe
 * goes round the channel every 10 s, and one not back 10 s later, or the listening connection
 * lost, empties the cache and turns it off until the channel works again.
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
  /** The listening connection, from the moment it is opened until it is lost. */
  private client: SessionChangesListener | null = null;
  private listening = false;
  private probe: { id: string; sentAt: number } | null = null;
  private heartbeat?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private retryMs = 1000;
  private stopped = false;
  /** The lookups counter's two series, resolved once (a request pays no label hashing). */
  private readonly found: Record<'memory' | 'database', ReturnType<CarnetMetrics['sessionLookups']['labels']>>;

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionRepository,
    @Inject(CARNET_METRICS) private readonly metrics: CarnetMetrics,
  ) {
    this.ttlMs = config.sessionCacheSeconds * 1000;
    metrics.sessionCacheOn.set(0);
    this.found = { memory: metrics.sessionLookups.labels('memory'), database: metrics.sessionLookups.labels('database') };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.ttlMs) return;
    this.heartbeat = setInterval(() => this.beat(), PROBE_INTERVAL_MS / 2).unref();
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    // A connection whose peer vanished may never answer its goodbye.
    if (client) await Promise.race([client.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
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
      this.found.memory.inc();
      return entry.value;
    }
    if (entry) this.drop(tokenHash);
    this.found.database.inc();
    return undefined;
  }

  remember(tokenHash: string, value: KnownSession, mark: number): void {
    if (!this.trusted || mark !== this.generation) return;
    Object.freeze(value.roles);
    this.drop(tokenHash);
    if (this.entries.size >= MAX_ENTRIES) this.drop(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { value: Object.freeze(value), until: Date.now() + this.ttlMs });
    this.bySession.set(value.sessionId, tokenHash);
    const tokens = this.byUser.get(value.userId) ?? new Set<string>();
    this.byUser.set(value.userId, tokens.add(tokenHash));
  }

  /** Drops a session: when `tx`'s transaction commits, or now outside one. */
  forgetSession(sessionId: string, tx?: Tx): void {
    this.atCommit(tx, () => {
      this.generation++;
      const tokenHash = this.bySession.get(sessionId);
      if (tokenHash) this.drop(tokenHash);
    });
  }

  /** Drops a user's sessions: when `tx`'s transaction commits, or now outside one. */
  forgetUser(userId: string, tx?: Tx): void {
    this.atCommit(tx, () => {
      this.generation++;
      for (const tokenHash of this.byUser.get(userId) ?? []) this.drop(tokenHash);
    });
  }

  /**
   * Before the commit, a request of the same user would still read the old state (and remember
   * it again); from the commit on, the change is what every lookup sees.
   */
  private atCommit(tx: Tx | undefined, evict: () => void): void {
    this.sessions.atCommit(tx, evict);
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
      if (payload !== `probe:${this.probe?.id}`) return; // another process's, or one given up on
      this.probe = null;
      if (this.trusted) return;
      // Lookups begun while untrusted may predate a change whose notification was never heard.
      this.generation++;
      this.trusted = true;
      this.metrics.sessionCacheOn.set(1);
      this.logger.log('session cache on: revocations reach this process');
      return;
    }
    if (payload.startsWith('s:')) this.forgetSession(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else this.forgetAll();
  }

  private async connect(): Promise<void> {
    const client: SessionChangesListener = this.sessions.listen(this.config.databaseUrl, {
      notification: (payload) => this.notified(payload),
      lost: (error) => this.lost(client, error),
    });
    this.client = client;
    try {
      await client.ready;
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return; // lost, or shut down, meanwhile
    this.listening = true;
    this.retryMs = 1000;
    this.sendProbe();
  }

  /** The channel is gone: nothing held can be trusted, and nothing is until it works again. */
  private lost(client: SessionChangesListener, error?: Error): void {
    if (this.client !== client) return; // a connection already given up on
    void client.close();
    if (this.trusted) this.logger.warn(`session cache off until PostgreSQL notifications are back${error ? `: ${error.message}` : ''}`);
    this.client = null;
    this.listening = false;
    this.trusted = false;
    this.metrics.sessionCacheOn.set(0);
    this.probe = null;
    this.forgetAll();
    if (this.stopped) return;
    this.retry = setTimeout(() => void this.connect(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }

  private beat(): void {
    if (!this.client || !this.listening) return;
    if (!this.probe) return this.sendProbe();
    if (Date.now() - this.probe.sentAt >= PROBE_INTERVAL_MS) this.lost(this.client, new Error('a probe did not come back within 10 s'));
  }

  private sendProbe(): void {
    this.probe = { id: randomUUID(), sentAt: Date.now() };
    this.sessions
      .notify(`probe:${this.probe.id}`)
      .catch((error: Error) => this.logger.debug(`session cache probe not sent: ${error.message}`));
  }
}
