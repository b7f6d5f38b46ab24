import type { LoginService } from './login-service';

/** How often the readers are looked at while a window listens (no middleware here sends slot events). */
export const IDENTITY_WATCH_MS = 1000;

/**
 * Tells the window when the login's picture changed (a card inserted or pulled, its PIN state, the
 * session locked or unlocked), so the renderer never polls. Runs only while a window listens;
 * the host says when (ServiceHost.onEvent). Lock and unlock are also told at once by the vault.
 */
export class IdentityWatch {
  #timer: ReturnType<typeof setInterval> | null = null;
  #last = '';

  constructor(
    private readonly login: LoginService,
    private readonly changed: (unlocked: boolean) => void,
  ) {}

  set(on: boolean): void {
    if (on && !this.#timer) {
      this.#last = this.#picture();
      this.#timer = setInterval(() => this.#look(), IDENTITY_WATCH_MS);
      this.#timer.unref?.();
    } else if (!on && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /**
   * What the window would see; a failure (an invalid site configuration, a middleware error) is a
   * picture too, so the window reads identity.status and shows the service's message for it.
   */
  #picture(): string {
    try {
      const { card, setUp, unlocked, user, lastLock } = this.login.status();
      return JSON.stringify({ card, setUp, unlocked, user, lastLock });
    } catch (error) {
      return `failed: ${(error as Error).message}`;
    }
  }

  #look(): void {
    const picture = this.#picture();
    if (picture === this.#last) return;
    this.#last = picture;
    this.changed(this.login.user !== null);
  }
}
