import { Controller, Get, Inject, Logger, OnModuleInit, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CARNET_CONFIG } from '@carnet/config';
import { ResolvedConfig } from '@carnet/infrastructure';
import { Public } from '../auth/access.decorator';
import { ProblemException } from '../common/problem.filter';

export const PRODUCT_TITLE = 'Carnet — DES de médecine générale';

/** A logo is shown small: a bigger file is a mistake in CARNET_DEPARTMENT_LOGO. */
const MAX_LOGO_BYTES = 1024 * 1024;

const LOGO_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

export interface BrandingView {
  /** The product, always shown. */
  title: string;
  /** The department (DUMG_NAME), as on the exported portfolios. */
  department: string;
  /** Where the logo is served, or null without CARNET_DEPARTMENT_LOGO. */
  logoUrl: string | null;
}

/** Who the sign-in page belongs to: read before anyone signs in. */
@ApiTags('structure')
@Controller('branding')
export class BrandingController implements OnModuleInit {
  private readonly logger = new Logger(BrandingController.name);
  private logo: { bytes: Buffer; type: string } | null = null;

  constructor(@Inject(CARNET_CONFIG) private readonly config: ResolvedConfig) {}

  /** Read once at start: a missing or oversized file is said in the log, and the page goes without a logo. */
  async onModuleInit(): Promise<void> {
    const file = this.config.departmentLogo;
    if (!file) return;
    try {
      const bytes = await fs.readFile(file);
      if (bytes.length > MAX_LOGO_BYTES) throw new Error(`larger than ${MAX_LOGO_BYTES} bytes`);
      this.logo = { bytes, type: LOGO_TYPES[path.extname(file).toLowerCase()] };
    } catch (error) {
      this.logger.warn(`CARNET_DEPARTMENT_LOGO ${file} not shown: ${(error as Error).message}`);
    }
  }

  @Get()
  @Public()
  @ApiOkResponse({ description: '`{ title, department, logoUrl }`: the product, the department (DUMG_NAME) and its logo (CARNET_DEPARTMENT_LOGO) or null.' })
  branding(): BrandingView {
    return { title: PRODUCT_TITLE, department: this.config.dumgName, logoUrl: this.logo ? '/api/branding/logo' : null };
  }

  @Get('logo')
  @Public()
  @ApiOkResponse({ description: 'The department’s logo file; 404 without one.' })
  logoFile(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    if (!this.logo) throw new ProblemException(404, 'Aucun logo configuré.');
    reply.header('Content-Type', this.logo.type);
    reply.header('Cache-Control', 'public, max-age=3600');
    // An SVG opened on its own runs no script and loads nothing.
    reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    return this.logo.bytes;
  }
}
