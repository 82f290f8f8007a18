import { stopLine } from '../core/cliActions';
import type { FlowDeps, RunningContainer } from './flowDeps';

/** Stops each container in turn, each with the `docker stop` line a user would type, so the log teaches the CLI. */
export async function stopContainers(deps: FlowDeps, containers: readonly RunningContainer[]): Promise<void> {
  for (const c of containers) {
    deps.log.cli(stopLine(c.name, deps.daemon.cliTarget));
    await deps.daemon.use((client) => client.stopContainer(c.id));
  }
}
