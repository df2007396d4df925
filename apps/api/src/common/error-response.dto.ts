import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error shape every endpoint answers with. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request', description: 'The HTTP reason phrase' })
  error: string;

  @ApiProperty({ example: 'password must be between 8 and 72 bytes long', description: 'What went wrong, for people' })
  message: string;

  @ApiPropertyOptional({ type: [String], description: 'Every validation problem, when there were several' })
  details?: string[];
}
