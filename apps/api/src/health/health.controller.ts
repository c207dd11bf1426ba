import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Public()
  @ApiOkResponse({ description: 'The process answers (liveness probe): no dependency is checked.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOkResponse({ description: 'Ready to serve (readiness probe): database, queue and storage reachable.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down: take this replica out of the load balancer.' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.check(reply);
  }

  @Get()
  @Public()
  @ApiOkResponse({ description: 'Database, queue and storage are reachable.' })
  @ApiServiceUnavailableResponse({ description: 'At least one dependency is down.' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
