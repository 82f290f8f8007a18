// A Docker socket in front of the real one that forwards every request, except those that match the
// current pattern: those it accepts (and reads) but never answers, as a hung daemon does.
import * as http from 'node:http';
import * as net from 'node:net';

export interface StallingProxy {
  readonly socketPath: string;
  /** Requests held so far, as "METHOD /path" without the API version prefix. */
  readonly stalled: string[];
  /** From now on, hold the requests whose "METHOD /path" matches (undefined: forward everything). */
  stall(pattern: RegExp | undefined): void;
  close(): Promise<void>;
}

/** "GET /v1.41/volumes/x" → "GET /volumes/x": patterns need not know the negotiated version. */
function requestLine(method: string | undefined, url: string | undefined): string {
  return `${method ?? ''} ${(url ?? '').replace(/^\/v\d+(\.\d+)?(?=\/)/, '')}`;
}

export async function startStallingProxy(targetSocket: string, socketPath: string): Promise<StallingProxy> {
  let pattern: RegExp | undefined;
  const stalled: string[] = [];
  const sockets = new Set<net.Socket>();
  const holds = (line: string) => {
    if (!pattern?.test(line)) return false;
    stalled.push(line);
    return true;
  };
  const server = http.createServer((req, res) => {
    if (holds(requestLine(req.method, req.url))) {
      req.resume(); // accept the body, answer nothing
      return;
    }
    const upstream = http.request(
      { socketPath: targetSocket, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // Hijacked requests (exec start, attach) switch protocols: forward the raw bytes both ways.
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    if (holds(requestLine(req.method, req.url))) return;
    const upstream = net.connect(targetSocket, () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    stalled,
    stall: (next) => {
      pattern = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
