#!/usr/bin/python3
# A real third-party SMTP/LMTP server for MX Desk's tests: Debian's python3-aiosmtpd, started by
# test/support/aiosmtpd.ts as a child. It listens on 127.0.0.1 on a port the kernel picks (or on a UNIX
# socket), prints `READY <port>` (0 for a socket) once it accepts connections, and for each message writes two files into OUT_DIR before it
# replies to the final dot: N.eml (the DATA bytes exactly as received, dot-unstuffed, CRLF kept) and N.json
# (the envelope). Then it prints `MESSAGE N`. SIGTERM or a closed stdin stops it.
#
# Usage: aiosmtpd_server.py OUT_DIR CONFIG_FILE
#   CONFIG_FILE holds JSON: {"lmtp": bool, "smtputf8": bool, "hostname": str, "socketPath": str,
#                 "rcptReplies": {addr: "550 ..."}, "dataReplies": {addr: "452 ..."}, "dataSizeLimit": int,
#                 "tls": {"certFile": path, "keyFile": path} (STARTTLS, required before anything else),
#                 "auth": {"user": str, "password": str} (AUTH PLAIN/LOGIN required, only inside TLS)}
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, out_dir, config):
        self.out_dir = out_dir
        self.count = 0
        self.lmtp = bool(config.get('lmtp'))
        self.rcpt_replies = {k.lower(): v for k, v in (config.get('rcptReplies') or {}).items()}
        self.data_replies = {k.lower(): v for k, v in (config.get('dataReplies') or {}).items()}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        scripted = self.rcpt_replies.get(address.lower())
        if scripted:
            return scripted
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.append(list(rcpt_options))
        return '250 2.1.5 OK'

    def _write(self, name, data):
        tmp = os.path.join(self.out_dir, name + '.tmp')
        with open(tmp, 'wb') as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.out_dir, name))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        n = self.count
        self._write('%d.eml' % n, envelope.original_content)
        meta = {
            'mailFrom': envelope.mail_from,
            'rcptTos': envelope.rcpt_tos,
            'mailOptions': envelope.mail_options,
            'rcptOptions': envelope.rcpt_options,
            'smtpUtf8': envelope.smtp_utf8,
            'heloName': session.host_name,
            'tls': session.ssl is not None,
            'authLogin': session.auth_data.login.decode('utf-8', 'replace') if isinstance(session.auth_data, LoginPassword) else None,
        }
        self._write('%d.json' % n, json.dumps(meta, ensure_ascii=False).encode('utf-8'))
        print('MESSAGE %d' % n, flush=True)
        if not self.lmtp:
            return '250 2.0.0 OK queued as msg%d' % n
        # RFC 2033 §4.2: one reply per accepted recipient, in RCPT order. aiosmtpd sends the returned text
        # as is, so the replies are joined with CRLF.
        replies = []
        for rcpt in envelope.rcpt_tos:
            replies.append(self.data_replies.get(rcpt.lower()) or '250 2.0.0 <%s> delivered as msg%d' % (rcpt, n))
        return '\r\n'.join(replies)


async def main():
    out_dir = sys.argv[1]
    with open(sys.argv[2], encoding='utf-8') as f:
        config = json.load(f)
    handler = Recorder(out_dir, config)
    proto = LMTP if config.get('lmtp') else SMTP
    hostname = config.get('hostname') or 'aiosmtpd.example.test'

    extra = {}
    if config.get('tls'):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(config['tls']['certFile'], config['tls']['keyFile'])
        extra.update(tls_context=ctx, require_starttls=True)
    if config.get('auth'):
        want = LoginPassword(config['auth']['user'].encode('utf-8'), config['auth']['password'].encode('utf-8'))

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data == want
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        extra.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)

    def factory():
        return proto(
            handler,
            enable_SMTPUTF8=bool(config.get('smtputf8')),
            decode_data=False,
            hostname=hostname,
            data_size_limit=int(config.get('dataSizeLimit') or 33554432),
            timeout=30,
            **extra,
        )

    loop = asyncio.get_running_loop()
    if config.get('socketPath'):
        server = await loop.create_unix_server(factory, path=config['socketPath'])
        port = 0
    else:
        server = await loop.create_server(factory, host='127.0.0.1', port=0)
        port = server.sockets[0].getsockname()[1]
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    # A parent that dies without killing us closes our stdin: stop then too.
    loop.add_reader(sys.stdin.fileno(), lambda: stop.done() or (sys.stdin.buffer.read1(4096) or stop.set_result(None)))
    print('READY %d' % port, flush=True)
    await stop
    server.close()
    await server.wait_closed()


if __name__ == '__main__':
    asyncio.run(main())
