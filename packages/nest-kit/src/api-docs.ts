import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/*
 * The shapes every Nest service documents with @nestjs/swagger, so that the four documents
 * describe the envelope and the pagination alike (express-kit's openapi.schemas.ts holds the
 * same shapes for zod-to-openapi).
 */

export class ErrorDetailView {
  @ApiPropertyOptional({ example: 'body.price' })
  path?: string;

  @ApiProperty({ example: 'price must not have more than 2 decimal places' })
  message: string;
}

/** The error envelope (docs/architecture.md, "Contracts"), the same for every error of every service. */
export class ErrorEnvelope {
  @ApiProperty({ enum: [false] })
  success: false;

  @ApiProperty({ description: 'A sentence for humans', example: 'The request is invalid' })
  error: string;

  @ApiProperty({ description: 'A stable machine code to branch on', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ type: [ErrorDetailView] })
  details?: ErrorDetailView[];

  @ApiProperty({ description: 'The X-Request-Id of the request, for the logs', example: '2b0f9c3e-…' })
  requestId: string;
}

export class PaginationView {
  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  limit: number;

  @ApiProperty({ example: 42 })
  total: number;

  @ApiProperty({ example: 3 })
  totalPages: number;
}
