export interface CdxLicence {
  license?: { id?: string; name?: string; acknowledgement?: string };
  expression?: string;
  acknowledgement?: string;
}
export interface CdxComponent {
  type: string;
  group?: string;
  name: string;
  version?: string;
  'bom-ref': string;
  purl: string;
  licenses?: CdxLicence[];
  properties?: { name: string; value: string }[];
  components?: CdxComponent[];
}
export interface CdxBom {
  $schema: string;
  bomFormat: 'CycloneDX';
  specVersion: string;
  serialNumber: string;
  version: number;
  metadata: { timestamp: string; component: CdxComponent };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}
export declare function sbomTimestamp(sourceDateEpoch: number | string): string;
export declare function npmLsProductionPackages(root: string): Set<string>;
export declare function writeSbom(options: {
  root: string;
  outFile: string;
  sourceDateEpoch: number | string;
  version: string;
}): Promise<CdxBom>;
