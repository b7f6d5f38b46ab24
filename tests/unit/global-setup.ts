import { execFileSync } from 'node:child_process';

// Tests start the real service worker and CLI bundles: build them first (esbuild, well under a second).
export default function setup() {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
}
