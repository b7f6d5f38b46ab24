// Runs @doyensec/electronegativity over the Electron shell and renderer sources and fails on any
// finding not listed, with its reason, in electronegativity-accepted.json.
require('./offline-guard.cjs');
const { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative, resolve, sep } = require('node:path');
const run = require('@doyensec/electronegativity');

const repo = join(__dirname, '..');
// Optional argument: another source root to scan (tests plant violations in one).
const root = process.argv[2] ? resolve(process.argv[2]) : repo;
const accepted = JSON.parse(readFileSync(join(repo, 'electronegativity-accepted.json'), 'utf8')).accepted;
const unexplained = accepted.filter((entry) => typeof entry.reason !== 'string' || entry.reason.trim().length < 20);
if (unexplained.length > 0) {
  console.error(
    `electronegativity-accepted.json: every accepted finding needs a reason (${unexplained.map((e) => e.id).join(', ')})`,
  );
  process.exit(1);
}

async function main() {
  // Scan a copy of what ships from source: the package manifest, the shell, common and the renderer.
  const stage = mkdtempSync(join(tmpdir(), 'enclave-electronegativity-'));
  try {
    for (const path of ['package.json', 'electron', 'common', 'renderer']) {
      if (existsSync(join(root, path))) cpSync(join(root, path), join(stage, path), { recursive: true });
    }
    const result = await run(
      { input: stage, isRelative: false, severitySet: 'informational', confidenceSet: 'tentative' },
      false,
    );
    const findings = result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file === 'N/A' ? 'N/A' : relative(stage, issue.file).split(sep).join('/'),
      line: issue.location.line,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      sample: String(issue.sample ?? '').slice(0, 120),
      description: String(issue.description ?? ''),
    }));
    const isAccepted = (finding) =>
      accepted.some((a) => a.id === finding.id && (a.file === undefined || a.file === finding.file));
    const open = findings.filter((finding) => !isAccepted(finding));
    const hardErrors = result.errors.filter((error) => !error.tolerable);
    console.log(
      `electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${findings.length} findings, ${findings.length - open.length} accepted with a reason, ${open.length} open`,
    );
    for (const finding of findings.filter(isAccepted))
      console.log(`  accepted ${finding.id} ${finding.file}:${finding.line}`);
    for (const finding of open)
      console.log(
        `  OPEN     ${finding.id} ${finding.file}:${finding.line} [${finding.severity}/${finding.confidence}] ${finding.description}`,
      );
    for (const error of hardErrors) console.log(`  PARSE ERROR ${relative(stage, error.file)}: ${error.message}`);
    process.exitCode = open.length > 0 || hardErrors.length > 0 ? 1 : 0;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`electronegativity failed to run: ${error.message}`);
  process.exitCode = 1;
});
