import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import fs from 'node:fs';
import path from 'node:path';
import { AppModule } from './app.module';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation.pipe';
import { mountQueueBoard } from './observability/queue-board';
import { ResolvedConfig } from '@carnet/infrastructure';

/** Builds the HTTP application (used by main and by the tests, so both run the same app). */
export async function createApiApp(config: ResolvedConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  // API answers carry portfolios (narratives of real consultations): no browser or proxy keeps
  // them, downloads included (a shared computer in a hospital ward is common); the one place this
  // is said. With nothing stored, Express's own ETag over every body (a SHA-1 per response) is
  // useless; traces keep their version ETag.
  app.set('etag', false);
  app.use('/api', (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI needs inline styles; everything else is same-origin.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
        },
      },
    }),
  );
  app.use(cookieParser());
  app.useBodyParser('json', { limit: '3mb', type: ['application/json', 'application/*+json'] });
  app.useBodyParser('text', { limit: '5mb', type: ['text/csv', 'text/plain'] });
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Carnet API')
      .setDescription('Portfolio du DES de médecine générale: traces, relecture par le tuteur, exports pour les jurys.')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  mountQueueBoard(app);
  serveWebApp(app);
  return app;
}

/** The web app is built into apps/web/dist; before its build exists a placeholder page answers. */
function serveWebApp(app: NestExpressApplication): void {
  // From apps/api/src (jest) the repository is three levels up; from dist/apps/api/src, four.
  const roots = [path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../../../..')];
  const directory = roots
    .flatMap((root) => [path.join(root, 'apps/web/dist'), path.join(root, 'apps/web/public')])
    .find((candidate) => fs.existsSync(path.join(candidate, 'index.html')));
  if (!directory) return;
  // Built assets have content hashes in their names: cached for good. Served under /assets
  // only, so API requests never pay a file-system lookup.
  app.useStaticAssets(path.join(directory, 'assets'), { prefix: '/assets', index: false, immutable: true, maxAge: '365d' });
  const index = path.join(directory, 'index.html');
  // Client-side routes: any GET outside /api answers the app's page.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || request.path === '/api' || request.path.startsWith('/api/') || request.path === '/metrics') return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
