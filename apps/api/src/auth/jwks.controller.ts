import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from './auth.decorators';
import { DEV_SIGNING_KEY } from './auth.module-tokens';
import { DevSigningKey } from './dev-signing-key';

/** Development mode only: the public half of the local signing key. */
@ApiExcludeController()
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(DEV_SIGNING_KEY) private readonly key: DevSigningKey) {}

  @Get('jwks.json')
  @Public()
  getJwks(): { keys: object[] } {
    return this.key.jwks();
  }
}
