import type { CdxLicence } from './sbom.mjs';

export declare function declaredLicences(packageJson: Record<string, unknown>): CdxLicence[] | null;
export declare function concludedLicence(name: string, version: string): { licenses: CdxLicence[]; evidence: string } | null;
export declare function licenceLabel(licenses: CdxLicence[] | undefined): string;
