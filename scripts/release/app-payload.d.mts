// Types for app-payload.mjs (the release's app payload), for the TypeScript tests.
export const RUNTIME_MODULES: Record<string, string[]>;
export function filesPattern(pattern: string): { negated: boolean; test: (path: string) => boolean };
export function listFiles(dir: string, base?: string): string[];
export function selectAppFiles(root: string): string[];
export function stageApp(options: { root: string; appDir: string }): string[];
export function writeAppAsar(appDir: string, asarFile: string): Promise<string[]>;
