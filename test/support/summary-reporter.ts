// Prints how many tests passed on each store, then one plain closing line,
// so CI's log says plainly that the suite ran on PGlite and on Postgres.
import type { Reporter, TestModule } from 'vitest/node';

export default class StoreSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byProject = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const module of modules) {
      const counts = byProject.get(module.project.name) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that failed outside its tests (an import or hook error) counts as a failure.
      if (module.state() === 'failed' && ![...module.children.allTests()].some((t) => t.result().state === 'failed')) counts.failed += 1;
      byProject.set(module.project.name, counts);
    }
    const total = { passed: 0, failed: 0, skipped: 0 };
    for (const [project, counts] of [...byProject].sort()) {
      console.log(`store ${project}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
    }
    console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  }
}
