import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';

export class NotificationIdParams {
  @ApiProperty({ description: 'The notification id', example: '6650b7f1c2a4e5d6f7a8b9c1', pattern: '^[0-9a-fA-F]{24}$' })
  @IsMongoId({ message: 'id must be a notification id (24 hexadecimal characters)' })
  id: string;
}
