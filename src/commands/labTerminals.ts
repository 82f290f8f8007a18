/** The lab steps that open a terminal fed by the Engine API: an interactive shell, and a container's logs. */
import * as vscode from 'vscode';
import { settings } from '../services/settings';
import { labCliLines } from '../core/labCli';
import type { LabAction } from '../core/labs';
import { labImage } from '../learn/labProgress';
import { createShellContainer, labContainer } from '../flows/labActions';
import { dockerErrorMessage, isDockerError } from '../messages';
import { labInputs } from './labInputs';
import { flowDeps, type CommandContext } from './registry';

/** `docker run -it <image> /bin/sh` in a VS Code terminal: a tty container attached through the Engine API. */
export async function shellStep(
  ctx: CommandContext,
  module: string,
  action: Extract<LabAction, { kind: 'shell' }>,
): Promise<vscode.Terminal> {
  const networkMode = settings.runNetworkMode();
  const created = await createShellContainer(flowDeps(ctx), module, {
    name: action.name,
    image: action.image ?? labImage(),
    ...(networkMode ? { networkMode } : {}),
  });
  return attachedTerminal(ctx, created.cli, created.id);
}

/** A terminal attached to a created tty container: started once the terminal opens, resized with it. */
function attachedTerminal(ctx: CommandContext, cli: string, container: string): vscode.Terminal {
  let stream: NodeJS.ReadWriteStream | undefined;
  const resize = (rows: number, columns: number) =>
    ctx.daemon.use((client) => client.resizeTty(container, rows, columns)).catch(() => undefined);
  return apiTerminal(
    ctx,
    cli,
    async (io, dimensions) => {
      stream = await ctx.daemon.use((client) => client.attach(container, io.signal));
      stream.on('data', (chunk: Buffer) => io.write(chunk.toString('utf8')));
      stream.on('end', () => io.close());
      await ctx.daemon.use((client) => client.startContainer(container));
      if (dimensions) await resize(dimensions.rows, dimensions.columns);
      await ctx.model.refresh();
    },
    {
      handleInput: (data) => {
        stream?.write(data);
      },
      setDimensions: (d) => {
        void resize(d.rows, d.columns);
      },
      close: () => {
        stream?.end();
      },
    },
  );
}

interface TerminalIo {
  write(text: string): void;
  close(): void;
  /** Aborted when the user closes the terminal. */
  signal: AbortSignal;
}

/**
 * A terminal fed by the Engine API (no docker CLI): shows the equivalent command line first, runs `start`
 * when it opens, reports a failure in the user's language, and stops the stream when it is closed.
 */
function apiTerminal(
  ctx: CommandContext,
  cli: string,
  start: (io: TerminalIo, dimensions: vscode.TerminalDimensions | undefined) => Promise<void>,
  extra: Partial<Pick<vscode.Pseudoterminal, 'handleInput' | 'setDimensions' | 'close'>> = {},
): vscode.Terminal {
  const write = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  const controller = new AbortController();
  const pty: vscode.Pseudoterminal = {
    ...extra,
    onDidWrite: write.event,
    onDidClose: closed.event,
    open: (dimensions) => {
      write.fire(`\x1b[2m$ ${cli}\x1b[0m\r\n`);
      start(
        { write: (text) => write.fire(text), close: () => closed.fire(), signal: controller.signal },
        dimensions,
      ).catch((err: unknown) => {
        const message = isDockerError(err)
          ? dockerErrorMessage(err, ctx.daemon.endpoint)
          : String(err instanceof Error ? err.message : err);
        write.fire(`\r\n${message}\r\n`);
      });
    },
    close: () => {
      controller.abort();
      extra.close?.();
      write.dispose();
      closed.dispose();
    },
  };
  const terminal = vscode.window.createTerminal({ name: cli, pty });
  terminal.show();
  return terminal;
}

/** `docker logs -f <container>` in a terminal, streamed from the Engine API. */
export async function showLogs(
  ctx: CommandContext,
  action: Extract<LabAction, { kind: 'logs' }>,
  onLine?: () => void,
): Promise<vscode.Terminal> {
  const { container } = action;
  const target = await labContainer(flowDeps(ctx), container, { running: false, operation: 'logs' });
  const [cli = ''] = labCliLines(action, labInputs(ctx));
  ctx.log.cli(cli);
  return apiTerminal(ctx, cli, async (io) => {
    const stream = await ctx.daemon.use((client) => client.containerLogs(target.id, { follow: true }, io.signal));
    let seen = false;
    stream.on('data', (chunk: Buffer) => {
      io.write(chunk.toString('utf8').replace(/\r?\n/g, '\r\n'));
      if (!seen && chunk.length) {
        seen = true;
        onLine?.();
      }
    });
    stream.on('end', () => io.write(`\r\n\x1b[2m${vscode.l10n.t('(the container stopped)')}\x1b[0m\r\n`));
  });
}
