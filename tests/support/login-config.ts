import { IdentitySettingsSchema, SessionSettingsSchema } from '../../common/site/site-config';
import type { LoginServiceOptions } from '../../electron/services/identity/login-service';

/** A LoginService's `config`: a site with these PKCS#11 modules and the default identity and session settings. */
export function defaultLoginConfig(pkcs11Modules: readonly string[]): LoginServiceOptions['config'] {
  return () => ({
    pkcs11Modules: [...pkcs11Modules],
    identity: IdentitySettingsSchema.parse({}),
    session: SessionSettingsSchema.parse({}),
  });
}
