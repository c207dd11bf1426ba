import { IdentifiersController } from './identifiers.controller';
import { IdentifiersService } from './identifiers.service';
import { Module } from '@nestjs/common';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { TraceAccessService } from './trace-access.service';
import { TraceReviewService } from './trace-review.service';
import { TracesController } from './traces.controller';
import { TracesService } from './traces.service';

@Module({
  controllers: [TracesController, CommentsController, AttachmentsController, IdentifiersController],
  providers: [TracesService, TraceReviewService, TraceAccessService, CommentsService, AttachmentsService, IdentifiersService],
  exports: [TraceAccessService, TracesService],
})
export class TracesModule {}
