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

export interface ExportView {
  id: string;
  internId: string;
  format: string;
  scope: string;
  status: string;
  progress: number;
  size?: number;
  sha256?: string;
  pages?: number;
  error?: string;
  downloadUrl?: string;
  createdAt: string;
  completedAt?: string;
}
