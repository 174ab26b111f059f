import { IsString, MaxLength, MinLength } from 'class-validator';

/**
 * A session as the company's auth backend writes it to Redis (SPEC §2). A value that does not
 * parse into this shape makes its key invalid (401), never a server error. The bounds keep what
 * is stamped on every entry of the session small, whatever the auth backend wrote.
 */
export class SessionDto {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  user: string;

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  timestamp: string;

  @IsString()
  @MaxLength(64)
  ipaddress: string;
}
