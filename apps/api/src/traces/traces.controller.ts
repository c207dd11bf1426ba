import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@carnet/domain';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateTraceBody, ListTracesQuery, ReviewCommentBody, UpdateTraceBody, ValidateBody } from './dto/traces.dto';
import { TraceReviewService } from './trace-review.service';
import { TracesService, TraceView } from './traces.service';

/** `If-Match: "3"` (or W/"3", or 3) → 3. */
export function parseIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new DomainError(ErrorCode.VersionRequired, 'En-tête If-Match requis : indiquez la version que vous modifiez (ETag reçu en lecture).');
  }
  const match = header.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  if (!match) throw new DomainError(ErrorCode.StaleVersion, `If-Match invalide : ${header.slice(0, 40)}.`);
  return Number(match[1]);
}

/**
 * Whether a `Prefer` header (RFC 7240) asks for `return=minimal`: preferences are separated by
 * commas, each may carry parameters after `;`, its token is case-insensitive, its value may be quoted.
 */
export function prefersMinimal(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.some((value) => value.split(',').some((preference) => /^\s*return\s*=\s*"?minimal"?\s*$/i.test(preference.split(';')[0])));
}

const withEtag = (reply: FastifyReply, trace: TraceView) => {
  reply.header('ETag', `"${trace.version}"`);
  return trace;
};

@ApiTags('traces')
@Controller('traces')
export class TracesController {
  constructor(
    private readonly traces: TracesService,
    private readonly review: TraceReviewService,
  ) {}

  @Post()
  @Roles('intern')
  @ApiCreatedResponse({ description: 'The draft trace, with `ETag: "1"` and `Location`.' })
  async create(@Auth() auth: AuthContext, @Body() body: CreateTraceBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const trace = await this.traces.create(auth, body);
    reply.header('Location', `/api/traces/${trace.id}`);
    return withEtag(reply, trace);
  }

  @Get()
  @AnyUser()
  @ApiOkResponse({ description: 'The traces visible to the caller, filtered; `q` searches title and content in French.' })
  list(@Auth() auth: AuthContext, @Query() query: ListTracesQuery) {
    return this.traces.list(auth, query);
  }

  @Get('referential')
  @AnyUser()
  @ApiOkResponse({ description: 'Competences, familles (with the twelfth where the department uses it) and kinds, with their French labels.' })
  referential() {
    return this.traces.referential();
  }

  @Get(':id')
  @AnyUser()
  async get(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.traces.get(auth, id));
  }

  @Patch(':id')
  @Roles('intern')
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version being edited, e.g. "3"' })
  @ApiHeader({ name: 'Prefer', required: false, description: '`return=minimal`: the saved trace without its content (the caller holds it), answered with `Preference-Applied: return=minimal`' })
  @ApiOkResponse({ description: 'The saved trace with `ETag`; without `content` when `Prefer: return=minimal` was applied.' })
  @ApiPreconditionFailedResponse({ description: 'Someone saved a newer version first; nothing changed.' })
  @ApiConflictResponse({ description: 'The trace is submitted or validated.' })
  async update(
    @Auth() auth: AuthContext,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateTraceBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // An autosave's answer, when asked so: the new version and the metadata, not the document just sent.
    const minimal = prefersMinimal(prefer);
    const saved = withEtag(reply, await this.traces.update(auth, id, parseIfMatch(ifMatch), body, { content: !minimal }));
    if (minimal) reply.header('Preference-Applied', 'return=minimal');
    return saved;
  }

  @Delete(':id')
  @Roles('intern')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; only a draft never submitted can be.' })
  remove(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.traces.remove(auth, id);
  }

  @Post(':id/check')
  @Roles('intern')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Likely patient identifiers in the trace, to fix before submitting.' })
  check(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.review.check(auth, id);
  }

  @Post(':id/submit')
  @Roles('intern')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ trace, warnings }`: warnings are the likely patient identifiers found.' })
  async submit(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.review.submit(auth, id);
    reply.header('ETag', `"${result.trace.version}"`);
    return result;
  }

  @Post(':id/request-changes')
  @Roles('tutor')
  @HttpCode(200)
  async requestChanges(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: ReviewCommentBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.review.requestChanges(auth, id, body.comment));
  }

  @Post(':id/validate')
  @Roles('tutor')
  @HttpCode(200)
  async validate(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: ValidateBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.review.validate(auth, id, body.comment));
  }

  @Get(':id/revisions')
  @AnyUser()
  revisions(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.review.revisions(auth, id);
  }

  @Get(':id/revisions/:number')
  @AnyUser()
  revision(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Param('number', ParseIntPipe) number: number) {
    return this.review.revision(auth, id, number);
  }
}
