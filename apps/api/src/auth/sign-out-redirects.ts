import { Injectable } from '@nestjs/common';

/**
 * Where the browser goes once Carnet's session is revoked, to end the session that opened it
 * elsewhere (a university's logout page), or null. Given the revoked session's id; never throws
 * for a provider that does not answer (the sign-out is done by then, whatever it says).
 */
export type SignOutRedirect = (sessionId: string) => Promise<string | null>;

/**
 * The sign-out's continuations, registered by the modules that open sessions elsewhere (the
 * university sign-in), so that signing out needs no knowledge of them.
 */
@Injectable()
export class SignOutRedirects {
  private readonly sources: SignOutRedirect[] = [];

  register(source: SignOutRedirect): void {
    this.sources.push(source);
  }

  async after(sessionId: string): Promise<string | null> {
    for (const source of this.sources) {
      const url = await source(sessionId);
      if (url) return url;
    }
    return null;
  }
}
