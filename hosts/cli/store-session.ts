import { defaultDataDir } from '../app-paths';
import { CliRefusal, openServices, type CliServices } from './cli-services';
import { signIn, type SignInOptions } from './cli-sign-in';

export interface StoreIo {
  json: boolean;
  dataDir: string | undefined;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

/**
 * Command actions that go through the services (docs/cli.md, "Sign-in"): `withServices` opens them,
 * runs the action and always stops them, a refusal being exit 1 in its words (2 for a bad argument);
 * `signedIn` signs in first with the options' secret or card (commander passes the options second
 * to last) and hands the action the card's PIN when it signed in with one.
 */
export function storeActions(io: () => StoreIo) {
  const withServices =
    <A extends unknown[]>(use: (o: StoreIo, services: CliServices, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const o = io();
      let services: CliServices | null = null;
      try {
        services = await openServices(o.dataDir ?? defaultDataDir(), (title, text) =>
          o.err(`${title}\n${text.trim()}\n`),
        );
        await use(o, services, ...args);
      } catch (error) {
        if (!(error instanceof CliRefusal)) throw error;
        if (o.json)
          o.out(
            JSON.stringify({
              ok: false,
              code: error.error.code,
              message: error.message,
              issues: error.error.issues ?? [],
            }),
          );
        o.err(`enclave: ${error.message}`);
        for (const issue of error.error.issues ?? []) o.err(`  ${issue.path}: ${issue.message}`);
        o.setExit(error.error.code === 'INVALID_ARGUMENT' ? 2 : 1);
      } finally {
        await services?.close();
      }
    };
  const signedIn = <A extends unknown[]>(
    use: (o: StoreIo, services: CliServices, pin: string | null, ...args: A) => Promise<void>,
  ) =>
    withServices(async (o: StoreIo, services: CliServices, ...args: A) => {
      const pin = await signIn(services, args.at(-2) as SignInOptions);
      await use(o, services, pin, ...args);
    });
  return { withServices, signedIn };
}
