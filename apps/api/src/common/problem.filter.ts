import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, FieldError } from '@carnet/domain';

const STATUS_OF: { readonly [C in ErrorCode]: number } = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.InvalidInput]: 422,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.DuplicateUpp]: 409,
  [ErrorCode.DuplicateEmail]: 409,
  [ErrorCode.TutorAlreadyHasPromotionTutee]: 409,
  [ErrorCode.InternAlreadyHasTutor]: 409,
  [ErrorCode.TutorshipEnded]: 409,
  [ErrorCode.RoleMismatch]: 422,
  [ErrorCode.InvalidToken]: 400,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.TraceLocked]: 409,
  [ErrorCode.TraceStateConflict]: 409,
  [ErrorCode.StaleVersion]: 412,
  [ErrorCode.VersionRequired]: 428,
  [ErrorCode.QueueUnavailable]: 503,
  [ErrorCode.StorageUnavailable]: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const UNEXPECTED_ERROR = 'Une erreur inattendue est survenue. Elle a été enregistrée.';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
}

/** Carries a ready problem from anywhere in the HTTP layer (validation, guards, headers). */
export class ProblemException extends HttpException {
  constructor(status: number, detail: string, errors?: FieldError[], code?: string) {
    super({ detail, errors, code }, status);
  }
}

/**
 * Every error leaves as application/problem+json (RFC 9457). Domain errors map by code; Nest's
 * HTTP exceptions keep their status; anything else is logged and answered as a bare 500, so no
 * stack trace or SQL ever reaches a client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception, request);
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    replyProblem(reply, problem);
  }

  private toProblem(exception: unknown, request: FastifyRequest): Problem {
    if (exception instanceof DomainError) {
      const status = STATUS_OF[exception.code];
      if (status >= 500) this.logger.error({ err: exception.cause ?? exception, path: request.url }, exception.message);
      return problem(status, exception.message, exception.errors, exception.code);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'detail' in body) {
        const { detail, errors, code } = body as { detail: string; errors?: FieldError[]; code?: string };
        return problem(status, detail, errors, code);
      }
      // Fastify's own refusals of a request (its body, before any route runs), which Nest hands
      // over as HTTP exceptions caused by them: a FastifyError (coded FST_…), or the JSON parser's SyntaxError.
      const cause = exception.cause;
      if (cause instanceof SyntaxError || (cause instanceof Error && cause.name === 'FastifyError')) {
        return problem(status, refusalDetail(status, (cause as { code?: string }).code ?? '', request));
      }
      return problem(status, frenchDetail(status, request));
    }
    this.logger.error({ err: exception, path: request.url }, 'Unhandled error');
    return problem(500, UNEXPECTED_ERROR);
  }
}

/** Answers a domain error as the filter would, from a Fastify hook (outside Nest's filters). */
export function sendProblem(reply: FastifyReply, error: DomainError): FastifyReply {
  return replyProblem(reply, problem(STATUS_OF[error.code], error.message, error.errors, error.code));
}

/** Sends a ready problem. */
export function replyProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** What Fastify refused, in French: a body it could not read, too large, or of a type no route takes. */
function refusalDetail(status: number, code: string, request: FastifyRequest): string {
  if (status === 413) return 'Le corps de la requête est trop volumineux.';
  if (status === 415) return `Type de contenu non pris en charge : ${request.headers['content-type']?.slice(0, 100) ?? 'aucun'}.`;
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return 'La taille du corps de la requête ne correspond pas à son en-tête Content-Length.';
  if (status === 400 && (code === '' || code === 'FST_ERR_CTP_INVALID_JSON_BODY')) return 'Le corps de la requête n’est pas du JSON valide.';
  return frenchDetail(status, request);
}

export function problem(status: number, detail: string, errors?: FieldError[], code?: string): Problem {
  const result: Problem = {
    type: code ? `https://carnet.dev/problems/${code}` : 'about:blank',
    title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
    status,
    detail,
  };
  if (code) result.code = code;
  if (errors?.length) result.errors = errors;
  return result;
}

function frenchDetail(status: number, request: FastifyRequest): string {
  switch (status) {
    case 404:
      return `Aucune ressource ici : ${request.method} ${request.originalUrl.split("?")[0]}.`;
    case 401:
      return 'Authentification requise.';
    case 403:
      return 'Action non autorisée.';
    case 429:
      return 'Trop de requêtes : réessayez dans un moment.';
    default:
      return TITLES[status] ?? 'Erreur';
  }
}
