import { existsSync } from 'node:fs';

/** Debian's Chromium, or ENCLAVE_CHROMIUM. */
export function findChromium(): string | null {
  const candidates = [process.env.ENCLAVE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (path): path is string => Boolean(path),
  );
  return candidates.find((path) => existsSync(path)) ?? null;
}

/**
 * Switches that keep Chromium from reaching the network on its own (updates, safe browsing,
 * metrics, DNS prefetch) and resolve every host but loopback to nothing.
 */
export const OFFLINE_SWITCHES = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-breakpad',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-pings',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** WebGPU on Linux needs these; with no GPU device, use SwiftShader (a correct, slow CPU adapter). */
export function webGpuSwitches(): string[] {
  const switches = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];
  if (process.env.ENCLAVE_WEBGPU_ADAPTER === 'swiftshader' || !existsSync('/dev/dri'))
    switches.push('--use-webgpu-adapter=swiftshader');
  return switches;
}
