import type { CdxBom } from './sbom.mjs';

export declare function licenceFiles(packageDir: string): string[];
export declare function writeThirdPartyLicenses(options: { root: string; sbom: CdxBom | string; outFile: string }): Promise<void>;
