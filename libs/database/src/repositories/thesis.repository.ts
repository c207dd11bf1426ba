import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { Thesis, ThesisComment, ThesisDirectorLink, ThesisDocument, ThesisStep, ThesisStepTemplate } from '../entities';
import { Database, Tx } from './database';

/** What a thesis is declared or amended with. */
export type ThesisValues = Pick<Thesis, 'subject' | 'directorId' | 'directorName' | 'directorEmail'>;

/** What a step's update may change. */
export type ThesisStepChanges = Partial<Pick<ThesisStep, 'plannedOn' | 'doneOn' | 'note'>>;

/**
 * The interns' theses: subject and director, steps with their documents, the director's comments
 * and one-time links, and the faculty's template of steps. The rules are the service's and the domain's.
 */
@Injectable()
export class ThesisRepository {
  constructor(private readonly db: Database) {}

  byId(id: string, tx?: Tx): Promise<Thesis | null> {
    return this.db.manager(tx).getRepository(Thesis).findOneBy({ id });
  }

  ofIntern(internId: string): Promise<Thesis | null> {
    return this.db.manager().getRepository(Thesis).findOneBy({ internId });
  }

  /** The intern's thesis, locked for the rest of `tx` (null: none declared). */
  lockOfIntern(internId: string, tx: Tx): Promise<Thesis | null> {
    return this.db.manager(tx).getRepository(Thesis).findOne({ where: { internId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The theses `directorId` directs, last updated first. */
  directedBy(directorId: string): Promise<Thesis[]> {
    return this.db.manager().getRepository(Thesis).find({ where: { directorId }, order: { updatedAt: 'DESC' } });
  }

  /** Declares the thesis (its steps apart: `insertSteps`). */
  insert(internId: string, values: ThesisValues, now: Date, tx?: Tx): Promise<Thesis> {
    const theses = this.db.manager(tx).getRepository(Thesis);
    return theses.save(theses.create({ internId, ...values, createdAt: now, updatedAt: now }));
  }

  /** Saves the thesis as amended. */
  save(thesis: Thesis, tx?: Tx): Promise<Thesis> {
    return this.db.manager(tx).getRepository(Thesis).save(thesis);
  }

  /** Marks the thesis updated at `now`. */
  async touch(id: string, now: Date, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(Thesis).update({ id }, { updatedAt: now });
  }

  /** The steps of the theses, in their order. */
  async stepsOf(thesisIds: string[], tx?: Tx): Promise<ThesisStep[]> {
    if (!thesisIds.length) return [];
    return this.db.manager(tx).getRepository(ThesisStep).find({ where: { thesisId: In(thesisIds) }, order: { position: 'ASC' } });
  }

  step(id: string): Promise<ThesisStep | null> {
    return this.db.manager().getRepository(ThesisStep).findOneBy({ id });
  }

  /** The thesis's steps, one per label, in their order. */
  async insertSteps(thesisId: string, labels: readonly string[], now: Date, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(ThesisStep).insert(labels.map((label, position) => ({ thesisId, position, label, note: '', updatedAt: now })));
  }

  async updateStep(id: string, changes: ThesisStepChanges, now: Date, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(ThesisStep).update({ id }, { ...changes, updatedAt: now });
  }

  /** The steps' documents, oldest first. */
  async documentsOf(stepIds: string[], tx?: Tx): Promise<ThesisDocument[]> {
    if (!stepIds.length) return [];
    return this.db.manager(tx).getRepository(ThesisDocument).find({ where: { stepId: In(stepIds) }, order: { createdAt: 'ASC' } });
  }

  document(id: string): Promise<ThesisDocument | null> {
    return this.db.manager().getRepository(ThesisDocument).findOneBy({ id });
  }

  async insertDocument(document: ThesisDocument, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(ThesisDocument).insert(document);
  }

  /** The director's comments, oldest first. */
  commentsOf(thesisId: string, tx?: Tx): Promise<ThesisComment[]> {
    return this.db.manager(tx).getRepository(ThesisComment).find({ where: { thesisId }, order: { createdAt: 'ASC' } });
  }

  /** A comment by the director's account. */
  insertComment(comment: Pick<ThesisComment, 'thesisId' | 'authorId' | 'authorName' | 'linkId' | 'body' | 'createdAt'>, tx?: Tx): Promise<ThesisComment> {
    const comments = this.db.manager(tx).getRepository(ThesisComment);
    return comments.save(comments.create(comment));
  }

  /** A comment through a director's link, in the link's faculty; its id. */
  async insertLinkComment(linkId: string, authorName: string, body: string, now: Date, tx?: Tx): Promise<string> {
    // The faculty is the link's: a public request has none of its own.
    const [{ id }] = await this.db.query<{ id: string }>(
      `INSERT INTO thesis_comment (faculty_id, thesis_id, author_name, link_id, body, created_at)
         SELECT faculty_id, thesis_id, $2, id, $3, $4 FROM thesis_director_link WHERE id = $1 RETURNING id`,
      [linkId, authorName, body, now],
      tx,
    );
    return id;
  }

  /** The director link last issued for the thesis. */
  latestLink(thesisId: string, tx?: Tx): Promise<ThesisDirectorLink | null> {
    return this.db.manager(tx).getRepository(ThesisDirectorLink).findOne({ where: { thesisId }, order: { createdAt: 'DESC' } });
  }

  /** The link a token's hash names; `forUpdate` locks it, in `tx`. */
  linkByTokenHash(tokenHash: Buffer, options: { forUpdate?: boolean } = {}, tx?: Tx): Promise<ThesisDirectorLink | null> {
    const links = this.db.manager(tx).getRepository(ThesisDirectorLink);
    return options.forUpdate ? links.findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } }) : links.findOneBy({ tokenHash });
  }

  insertLink(link: Pick<ThesisDirectorLink, 'thesisId' | 'email' | 'tokenHash' | 'createdBy' | 'createdAt' | 'expiresAt' | 'usedAt' | 'revokedAt'>, tx?: Tx): Promise<ThesisDirectorLink> {
    const links = this.db.manager(tx).getRepository(ThesisDirectorLink);
    return links.save(links.create(link));
  }

  async markLinkUsed(id: string, now: Date, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(ThesisDirectorLink).update({ id }, { usedAt: now });
  }

  /** Revokes the thesis's live links (unused, unrevoked); how many. */
  async revokeLiveLinks(thesisId: string, now: Date, tx?: Tx): Promise<number> {
    const result = await this.db.manager(tx).getRepository(ThesisDirectorLink).update({ thesisId, usedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: now });
    return result.affected ?? 0;
  }

  /** The faculty's template of steps, in order (none: the default steps apply). */
  stepTemplate(tx?: Tx): Promise<ThesisStepTemplate[]> {
    return this.db.manager(tx).getRepository(ThesisStepTemplate).find({ order: { position: 'ASC' } });
  }

  /** Replaces the faculty's template of steps with `labels`, in order. */
  async replaceStepTemplate(labels: string[], tx?: Tx): Promise<void> {
    // The faculty's own rows only, whether or not the request runs under row-level security.
    await this.db.query(`DELETE FROM thesis_step_template WHERE faculty_id = carnet_current_faculty()`, [], tx);
    await this.db.manager(tx).getRepository(ThesisStepTemplate).insert(labels.map((label, position) => ({ position, label })));
  }
}
