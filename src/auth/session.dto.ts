import { IsString, MinLength } from 'class-validator';

/**
 * A session as the company's auth backend writes it to Redis (SPEC §2). A value that does not
 * parse into this shape makes its key invalid (401), never a server error.
 */
export class SessionDto {
  @IsString()
  @MinLength(1)
  user: string;

  @IsString()
  @MinLength(1)
  timestamp: string;

  @IsString()
  ipaddress: string;
}
