import { z } from 'zod';

// The CSP forbids eval, and zod probes for it (new Function) when it builds object schemas.
// Imported first by main.tsx so the setting is in place before any schema module loads.
z.config({ jitless: true });
