import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

/**
 * A list that also pages by position (keyset): `cursor` is the `nextCursor` of the page before;
 * with it the page starts right after that page's last row, however deep, and rows written in
 * the meantime neither shift nor repeat it. `page` is then ignored.
 */
export class KeysetPageQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page: the next page starts after its last row (page is then ignored)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

// What a page is made of, and its cursors, are the database library's (libs/database/src/sql/paging.ts).
