// Entry point of the suite run in a window with no folder open (see scripts/run-host-tests.mjs): what the pickers
// ask and refuse when there is no workspace folder to write into or to take a relative path from.
import { runHostSuite } from '../support/hostSuite';

export function run(): Promise<void> {
  return runHostSuite(__dirname, 'nofolder');
}
