// A TCP "black hole" on loopback: a port where SYNs are silently dropped, as with a firewalled MX, so connect
// attempts hang until their deadline instead of being refused. Linux drops SYNs when a listener's accept
// queue is full, so a tiny perl helper (perl is always there: swaks needs it) listens with backlog 1,
// never accepts, and fills the queue itself. Node can't do this: its servers always accept.
import { spawn, type ChildProcess } from 'node:child_process';

const PERL = `
use IO::Socket::INET;
my $l = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => $ARGV[1], Listen => 1, ReuseAddr => 1) or die "listen: $!\\n";
my @fill;
for (1..4) {
  push @fill, IO::Socket::INET->new(PeerAddr => $l->sockhost, PeerPort => $l->sockport, Blocking => 0);
  select(undef, undef, undef, 0.03);
}
$| = 1; print $l->sockport, "\\n";
while (<STDIN>) {}
`;

export interface BlackHole {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function startBlackHole(host = '127.0.0.1', port = 0): Promise<BlackHole> {
  const child: ChildProcess = spawn('perl', ['-e', PERL, host, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const got = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`black hole helper exited (${code}): ${err.trim()}`)));
  });
  return {
    host,
    port: got,
    async stop() {
      child.stdin?.end();
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}
