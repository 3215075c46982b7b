import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray } from 'class-validator';
import { CommaList, IsUuid } from '../../common/validation';

export const MAX_BATCH_IDS = 100;

export class BatchProductsQuery {
  @ApiProperty({ type: String, description: `Comma-separated product ids, at most ${MAX_BATCH_IDS}`, example: '7f9c…,a1b2…' })
  @CommaList()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BATCH_IDS)
  @IsUuid({ each: true })
  ids: string[];
}
