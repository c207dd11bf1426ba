import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export class RequestExportBody {
  @ApiProperty({ enum: ['pdf', 'zip'] })
  @IsIn(['pdf', 'zip'], { message: 'format pdf ou zip' })
  format!: 'pdf' | 'zip';

  @ApiProperty({ enum: ['validated', 'all'] })
  @IsIn(['validated', 'all'], { message: 'portée validated ou all' })
  scope!: 'validated' | 'all';
}

export type { ExportView } from '@carnet/contracts';
