import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray } from 'class-validator';
import { CommaList, IsUuid } from '../../common/validation';

export const MAX_BATCH_IDS = 100;
/** A UUID as IsUUID('loose') takes it, for the document's pattern. */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export class BatchProductsQuery {
  @ApiProperty({
    type: String,
    description: `Comma-separated product ids, at most ${MAX_BATCH_IDS}`,
    example: '7f9c2ba4-e88f-4e1c-a1b2-3c4d5e6f7a8b,a1b2c3d4-e5f6-4a1b-8c9d-0e1f2a3b4c5d',
    pattern: `^${UUID}(,${UUID}){0,${MAX_BATCH_IDS - 1}}$`,
  })
  @CommaList()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BATCH_IDS)
  @IsUuid({ each: true })
  ids: string[];
}
