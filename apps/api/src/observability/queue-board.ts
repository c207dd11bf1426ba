import { createBullBoard } from '@bull-board/api';
import { Logger } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@carnet/domain';
import { JOB_PRODUCER, JobProducer, QueueName } from '@carnet/queue';
import { AuditService } from '../audit/audit.service';
import { originOf } from '../auth/auth-context';
import { credentialsOf, SAFE_METHODS } from '../auth/session.guard';
import { problem, replyProblem, sendProblem, UNEXPECTED_ERROR } from '../common/problem.filter';
import { SessionsService } from '../auth/sessions.service';

/** The queue dashboard (bull-board), for the DUMG's administrators. */
export const QUEUE_BOARD_PATH = '/api/admin/queue-board';


/**
 * Mounts bull-board on every queue, behind an administrator's session (bearer token or the
 * session cookie, so the page opens from the browser). bull-board's own page cannot send the
 * app's CSRF token, so its actions (retry, clean, pause) by cookie must come from this origin
 * (the Origin header browsers send on every such request); each action is audited.
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const producer = app.get<JobProducer>(JOB_PRODUCER);
  const sessions = app.get(SessionsService);
  const audit = app.get(AuditService);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(producer.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Carnet — files' } },
  });

  const logger = new Logger('QueueBoard');
  const check = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token, bearer } = credentialsOf(request);
    const resolved = token ? await sessions.resolve(token) : null;
    if (!resolved) return sendProblem(reply, new DomainError(ErrorCode.Unauthenticated, 'Connectez-vous pour continuer.'));
    if (!resolved.user.roles.includes('admin')) return sendProblem(reply, new DomainError(ErrorCode.Forbidden, 'Votre rôle ne permet pas cette action.'));
    if (SAFE_METHODS.has(request.method)) return;
    if (!bearer && request.headers.origin !== `${request.protocol}://${request.headers.host}`) {
      return sendProblem(reply, new DomainError(ErrorCode.Forbidden, 'Action refusée : elle ne vient pas de Carnet.'));
    }
    const from = originOf(request);
    await audit.record(
      { userId: resolved.user.id, ip: from.ip, requestId: from.requestId },
      { action: 'queue.board_action', details: { method: request.method, path: request.url.slice(QUEUE_BOARD_PATH.length) } },
    );
  };
  // bull-board's own error handler would answer a failure of the check with its message: it is
  // logged and answered as the problem filter answers any unexpected error.
  const adminOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await check(request, reply);
    } catch (error) {
      logger.error({ err: error, path: request.url }, 'Queue board check failed');
      return replyProblem(reply, problem(500, UNEXPECTED_ERROR));
    }
  };
  // In a scope of its own: the check runs before every route of the board, and only of the board.
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', adminOnly);
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
