import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PortfolioTransferView } from '@carnet/contracts';
import { FacultyRepository, Page, pageOf, PortfolioTransferRepository, PortfolioTransferRow, PortfolioTransferViewRow, Tenancy, Transactions, Tx } from '@carnet/database';
import { DomainError, ErrorCode, notFound } from '@carnet/domain';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditRecord, AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { isUniqueViolation } from '@carnet/database';
import type { AcceptPortfolioBody, ListPortfolioTransfersQuery, ReleasePortfolioBody } from './portfolio-transfers.dto';

/**
 * A portfolio that follows its intern to another faculty of the deployment (ADR 0007).
 *
 * A transfer concerns two faculties, and accepting it moves rows that no request's scope may
 * both see and write: every step runs as the system (`Tenancy.asSystem`), like the operator's
 * counts, with its scope checks written here against the caller's faculty. Nothing here returns
 * a portfolio's content: the admins see names, addresses and counts.
 */
@Injectable()
export class PortfolioTransfersService {
  private readonly logger = new Logger(PortfolioTransfersService.name);

  constructor(
    private readonly transfers: PortfolioTransferRepository,
    private readonly faculties: FacultyRepository,
    private readonly transactions: Transactions,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly audit: AuditService,
  ) {}

  /** The caller's faculty releases its intern's portfolio to the faculty `toFacultyCode`: a pending transfer. */
  async release(auth: AuthContext, body: ReleasePortfolioBody): Promise<PortfolioTransferView> {
    const from = this.facultyOf(auth);
    const id = await Tenancy.asSystem(() =>
      this.transactions.run(async (tx) => {
        const intern = await this.transfers.lockInternToRelease(body.internId, from, tx);
        if (!intern) throw notFound('Interne');
        const to = await this.faculties.findByCode(body.toFacultyCode, tx);
        const refuse = (message: string) => new DomainError(ErrorCode.InvalidInput, message, [{ path: 'toFacultyCode', message }]);
        if (!to) throw refuse(`Aucune faculté n’a le code « ${body.toFacultyCode} ».`);
        if (to.id === from) throw refuse('Le portfolio est déjà dans votre faculté.');
        if (!to.active) throw refuse(`La faculté « ${to.name} » est fermée : elle ne peut pas recevoir de portfolio.`);
        let created: string;
        try {
          created = await this.transfers.createPending({ fromFaculty: from, toFaculty: to.id, fromIntern: intern.id, internEmail: intern.email, internName: intern.name, releasedBy: auth.userId }, tx);
        } catch (error) {
          if (isUniqueViolation(error, 'portfolio_transfer_one_pending')) throw new DomainError(ErrorCode.Conflict, 'Ce portfolio est déjà proposé à une faculté : annulez ce transfert d’abord.');
          throw error;
        }
        const record = { action: 'portfolio.transfer.released', subjectType: 'portfolio_transfer', subjectId: created, details: { internEmail: intern.email, fromFacultyId: from, toFacultyId: to.id } };
        await this.recordIn(tx, from, auth, record);
        await this.recordIn(tx, to.id, auth, record);
        return created;
      }),
    );
    return this.one(auth, id);
  }

  /** The releasing faculty withdraws a transfer still pending. */
  async cancel(auth: AuthContext, id: string): Promise<PortfolioTransferView> {
    await this.decide(auth, id, 'from', 'cancelled', null);
    return this.one(auth, id);
  }

  /** The receiving faculty declines: the portfolio stays where it is. */
  async refuse(auth: AuthContext, id: string, reason: string | null): Promise<PortfolioTransferView> {
    await this.decide(auth, id, 'to', 'refused', reason);
    return this.one(auth, id);
  }

  /**
   * The receiving faculty takes the portfolio onto its row of the same person, in one
   * transaction that first takes the transfer's row lock: of two accepts, or an accept and a
   * cancel, sent together, the second finds it decided (409) and nothing moves twice.
   */
  async accept(auth: AuthContext, id: string, body: AcceptPortfolioBody): Promise<PortfolioTransferView> {
    const mine = this.facultyOf(auth);
    const storageKeys = await Tenancy.asSystem(() =>
      this.transactions.run(async (tx) => {
        const transfer = await this.lockVisible(tx, mine, id);
        if (transfer.to_faculty_id !== mine) throw new DomainError(ErrorCode.Forbidden, 'Seule la faculté qui reçoit le portfolio peut l’accepter.');
        if (transfer.status !== 'pending') throw this.alreadyDecided(transfer);
        const from = await this.transfers.lockReleasedIntern(transfer.from_intern_id, tx);
        // The person B was offered (the address shown with the offer), and only while A's row still is that intern:
        // an address changed since the release must not pour the portfolio onto whoever holds it in B.
        if (from.email !== transfer.intern_email || !from.intern) {
          throw new DomainError(ErrorCode.Conflict, 'Le compte de l’interne a changé dans la faculté d’origine depuis la proposition : elle doit annuler ce transfert et le proposer à nouveau.');
        }
        const target = await this.receivingIntern(tx, mine, transfer.intern_email, body.internId);
        const running = await this.transfers.runningExportsOf(from.id, tx);
        if (running) throw new DomainError(ErrorCode.Conflict, 'Un export de ce portfolio est en cours dans la faculté d’origine : réessayez quand il sera terminé.');
        const theses = await this.transfers.thesesOf(from.id, target.id, tx);
        if (theses > 1) throw new DomainError(ErrorCode.Conflict, 'L’interne a déjà une thèse déclarée dans votre faculté : les deux ne peuvent pas être fusionnées.');

        const { counts, storageKeys } = await this.transfers.movePortfolio({ fromIntern: from.id, toIntern: target.id, fromFaculty: transfer.from_faculty_id, toFaculty: mine }, tx);
        await this.transfers.markAccepted(id, target.id, auth.userId, counts, tx);
        const record = { action: 'portfolio.transfer.accepted', subjectType: 'portfolio_transfer', subjectId: id, details: { internEmail: from.email, fromFacultyId: transfer.from_faculty_id, toFacultyId: mine, moved: counts } };
        await this.recordIn(tx, transfer.from_faculty_id, auth, record);
        await this.recordIn(tx, mine, auth, record);
        return storageKeys;
      }),
    );
    // The old faculty's exports of the portfolio went with the move: their files too, once committed.
    await Promise.all(storageKeys.map((key) => this.storage.delete(key).catch((error) => this.logger.warn(`Export file ${key} not deleted: ${String(error)}`))));
    return this.one(auth, id);
  }

  /** The open faculties a portfolio may go to (names and codes only, which the jury's « validé à » shows anyway). */
  async destinations(auth: AuthContext): Promise<{ code: string; name: string }[]> {
    const mine = this.facultyOf(auth);
    return Tenancy.asSystem(() => this.transfers.destinationsFor(mine));
  }

  /** The caller's faculty's transfers, both ways (or one), newest first. */
  async list(auth: AuthContext, query: ListPortfolioTransfersQuery): Promise<Page<PortfolioTransferView>> {
    const mine = this.facultyOf(auth);
    return Tenancy.asSystem(async () => {
      const { rows, total } = await this.transfers.listFor(mine, { direction: query.direction ?? null, status: query.status ?? null }, query);
      return pageOf(
        rows.map((row) => this.view(mine, row)),
        total,
        query,
      );
    });
  }

  private async one(auth: AuthContext, id: string): Promise<PortfolioTransferView> {
    const mine = this.facultyOf(auth);
    const row = await Tenancy.asSystem(() => this.transfers.findFor(mine, id));
    if (!row) throw notFound('Transfert');
    return this.view(mine, row);
  }

  /** A transfer as the caller's faculty `mine` sees it. */
  private view(mine: string, row: PortfolioTransferViewRow): PortfolioTransferView {
    const outgoing = row.from_faculty_id === mine;
    const view: PortfolioTransferView = {
      id: row.id,
      direction: outgoing ? 'outgoing' : 'incoming',
      status: row.status,
      fromFaculty: row.from_faculty,
      toFaculty: row.to_faculty,
      intern: { displayName: row.intern_name, email: row.intern_email, promotion: row.promotion },
      counts: row.counts,
      releasedAt: new Date(row.released_at).toISOString(),
      decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
      reason: row.reason,
    };
    // Each faculty learns its own rows' ids only.
    if (outgoing) view.fromInternId = row.from_intern_id;
    else view.toInternId = row.status === 'pending' ? row.candidate : row.to_intern_id;
    return view;
  }

  private async decide(auth: AuthContext, id: string, side: 'from' | 'to', status: 'cancelled' | 'refused', reason: string | null): Promise<void> {
    const mine = this.facultyOf(auth);
    await Tenancy.asSystem(() =>
      this.transactions.run(async (tx) => {
        const transfer = await this.lockVisible(tx, mine, id);
        const own = side === 'from' ? transfer.from_faculty_id : transfer.to_faculty_id;
        if (own !== mine) {
          throw new DomainError(ErrorCode.Forbidden, side === 'from' ? 'Seule la faculté d’origine peut annuler ce transfert.' : 'Seule la faculté qui reçoit le portfolio peut le refuser.');
        }
        if (transfer.status !== 'pending') throw this.alreadyDecided(transfer);
        await this.transfers.markDecided(id, status, auth.userId, reason?.trim() || null, tx);
        const record = { action: `portfolio.transfer.${status}`, subjectType: 'portfolio_transfer', subjectId: id, details: { internEmail: transfer.intern_email, fromFacultyId: transfer.from_faculty_id, toFacultyId: transfer.to_faculty_id } };
        await this.recordIn(tx, transfer.from_faculty_id, auth, record);
        await this.recordIn(tx, transfer.to_faculty_id, auth, record);
      }),
    );
  }

  /** The transfer, locked for its decision, when the caller's faculty is one of its two; else 404. */
  private async lockVisible(tx: Tx, mine: string, id: string): Promise<PortfolioTransferRow> {
    const transfer = await this.transfers.lockVisible(id, mine, tx);
    if (!transfer) throw notFound('Transfert');
    return transfer;
  }

  private alreadyDecided(transfer: PortfolioTransferRow): DomainError {
    const how = { accepted: 'accepté', refused: 'refusé', cancelled: 'annulé', pending: 'en attente' }[transfer.status];
    return new DomainError(ErrorCode.Conflict, `Ce transfert a déjà été ${how}.`);
  }

  /**
   * The receiving faculty's row of the same person: the one named (which must have the same
   * e-mail), or the one found by e-mail. An admin cannot pour a portfolio onto someone else.
   */
  private async receivingIntern(tx: Tx, faculty: string, email: string, named?: string): Promise<{ id: string }> {
    if (named) {
      const row = await this.transfers.lockUserOfFaculty(named, faculty, tx);
      if (!row) throw notFound('Interne');
      const refuse = (message: string) => new DomainError(ErrorCode.InvalidInput, message, [{ path: 'internId', message }]);
      if (row.email !== email) throw refuse('Cet interne n’est pas la personne dont le portfolio est transféré (adresses e-mail différentes).');
      if (!row.active || !row.roles.includes('intern')) throw refuse('Ce compte n’est pas un interne actif de votre faculté.');
      return row;
    }
    const row = await this.transfers.lockInternByEmail(faculty, email, tx);
    if (!row) throw new DomainError(ErrorCode.Conflict, `Aucun interne actif de votre faculté n’a l’adresse ${email} : créez-le ou importez-le, puis acceptez le transfert.`);
    return row;
  }

  /** An audit entry in `faculty`'s log, inside the system's transaction (whose scope names no faculty). */
  private async recordIn(tx: Tx, faculty: string, auth: AuthContext, record: AuditRecord): Promise<void> {
    await this.transfers.actAsFaculty(faculty, tx);
    await this.audit.record(auth, record, tx);
    await this.transfers.actAsFaculty(null, tx);
  }

  private facultyOf(auth: AuthContext): string {
    if (!auth.facultyId) throw notFound('Faculté');
    return auth.facultyId;
  }
}
