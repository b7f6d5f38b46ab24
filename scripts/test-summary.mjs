// Prints one closing line for the whole run, "N passed, N failed", from the JSON reports that
// Vitest and Playwright wrote into test-results/.
import { readFileSync } from 'node:fs';

const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const vitest = read('test-results/vitest.json');
const playwright = read('test-results/playwright.json');

const passed = vitest.numPassedTests + playwright.stats.expected;
const failed = vitest.numFailedTests + playwright.stats.unexpected + playwright.stats.flaky;
const skipped = vitest.numPendingTests + vitest.numTodoTests + playwright.stats.skipped;
console.log(
  `unit+integration: ${vitest.numPassedTests}/${vitest.numTotalTests} passed; end-to-end: ${playwright.stats.expected} passed`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
