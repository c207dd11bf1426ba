import { Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { ImportPortfolioQuery } from './portfolio-imports.dto';
import { PortfolioImportsService } from './portfolio-imports.service';

@ApiTags('portfolio imports')
@Controller()
export class PortfolioImportsController {
  constructor(private readonly imports: PortfolioImportsService) {}

  @Post('admin/portfolio-imports')
  @Roles('admin')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary', description: 'A portfolio ZIP exported by another Carnet (≤ 200 MB)' } } } })
  @ApiOkResponse({
    description:
      '`{ dryRun, id, origin: { deployment, faculty: { code, name }, dumg, exportedAt }, signature: { signed, fingerprint, pinnedFingerprint }, archiveSha256, intern, archiveIntern, traces: [{ originId, title, kind, validator, validatedAt, sha256, attachments, alreadyImported }], counts: { imported, alreadyImported, skipped } }`. ' +
      'Every file is checked against the manifest’s SHA-256, the manifest against its Ed25519 signature (manifest.sig), each validated trace’s stamp against its canonical content, its content against the editor schema, attachments by content; 422 naming the faulty file (`errors[0].path`), nothing written. ' +
      'Without `dryRun`, a signed archive needs `keyFingerprint` (the origin’s, confirmed), an unsigned one `acceptUnsigned=true`; 409 when the origin’s key differs from the one pinned at this faculty’s first import from it. Importing the same traces again adds nothing (`id` null, `counts.imported` 0). 404 for an intern outside your faculty, 413 over 200 MB or too many files.',
  })
  import(@Auth() auth: AuthContext, @Query() query: ImportPortfolioQuery, @Req() request: FastifyRequest) {
    return this.imports.import(auth, query, request);
  }

  @Get('deployment-key')
  @Public()
  @ApiOkResponse({ description: '`{ algorithm: "Ed25519", publicKey (SPKI DER, base64), fingerprint (SHA-256 hex) }`: the key this deployment signs its portfolio exports with; `publicKey` and `fingerprint` null when it has none (no CARNET_SECRET_KEY): its exports are then unsigned.' })
  deploymentKey() {
    return this.imports.deploymentKey();
  }
}
