// Entry point that VS Code's extension host calls (extensionTestsPath): runs every *.test.js beside it.
import { runHostSuite } from '../support/hostSuite';

export function run(): Promise<void> {
  return runHostSuite(__dirname, 'host');
}
