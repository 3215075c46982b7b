import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches, ValidateIf } from 'class-validator';
import { NotificationRecipient } from '@shop/contracts';
import { IsOneVisibleLine, ONE_VISIBLE_LINE_PATTERN } from './one-visible-line.validator';

/** The address an email goes to, when the caller already knows it (no User service lookup then). */
export class NotificationRecipientDto implements NotificationRecipient {
  @ApiProperty({ description: "The recipient's email address", example: 'ann@example.com', maxLength: 254, format: 'email' })
  @IsString()
  @Length(3, 254)
  // Loose on purpose: the User service already validated the address, and a stricter rule here
  // would refuse, for good, an email its caller cannot change. No spaces or angle brackets, so it
  // stays one address in the To header.
  @Matches(/^[^\s@<>]+@[^\s@<>]+$/, { message: 'recipient.email must be an email address' })
  email: string;

  @ApiPropertyOptional({
    description: 'The name shown beside the address',
    example: 'Ann Smith',
    maxLength: 200,
    pattern: ONE_VISIBLE_LINE_PATTERN,
  })
  @ValidateIf((_object, value) => value !== undefined)
  @IsString()
  @Length(1, 200)
  @IsOneVisibleLine({ message: 'recipient.name must be one line of visible text' })
  name?: string;
}
