#!/usr/bin/python3
"""A real SMTP server for the email delivery tests (aiosmtpd, Debian's
python3-aiosmtpd), on 127.0.0.1.

Every message it accepts is parsed back with Python's email package, an
implementation independent of tocsin's, and saved to MAILDIR as
message-N.json (written whole, then renamed): the envelope, the EHLO name,
whether TLS was on, how the client authenticated, the raw message and its
parsed headers and parts with decoded bodies. MAILDIR/ready appears once the
server accepts connections. SIGTERM stops it.

Run it with /usr/bin/python3: aiosmtpd is Debian's, not pyenv's.
"""

import argparse
import base64
import email
import email.policy
import hmac
import json
import logging
import os
import secrets
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, AuthResult

MECHANISMS = ("CRAM-MD5", "LOGIN", "PLAIN")


def parse_message(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = {
        "headers": [[name, str(value)] for name, value in message.items()],
        "content_type": message.get_content_type(),
        "boundary": message.get_boundary(),
        "parts": [],
        "defects": [repr(d) for d in message.defects],
    }
    if message.is_multipart():
        for part in message.iter_parts():
            parsed["parts"].append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "body": part.get_content(),
            })
            parsed["defects"] += [repr(d) for d in part.defects]
    return parsed


class RecordingHandler:
    def __init__(self, maildir, user, password, secret, offer_auth):
        self.maildir = maildir
        self.offer_auth = offer_auth
        self.user = user.encode() if user else None
        self.password = password.encode() if password else None
        self.secret = secret.encode() if secret else None
        self.count = 0
        self.lock = threading.Lock()
        self.last_sni = None

    def _result(self, mechanism, login, password_ok, identity=b""):
        if login != self.user or not password_ok:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data={
            "mechanism": mechanism,
            "login": login.decode(errors="replace"),
            "identity": identity.decode(errors="replace"),
        })

    async def _response(self, server, args, challenge):
        if len(args) > 1:
            return base64.b64decode(args[1])
        return await server.challenge_auth(challenge)

    async def auth_PLAIN(self, server, args):
        blob = await self._response(server, args, "")
        if blob is MISSING or blob.count(b"\0") != 2:
            return AuthResult(success=False, handled=False)
        identity, login, password = blob.split(b"\0")
        ok = self.password is not None and hmac.compare_digest(password, self.password)
        return self._result("PLAIN", login, ok, identity)

    async def auth_LOGIN(self, server, args):
        login = await self._response(server, args, "Username:")
        if login is MISSING:
            return AuthResult(success=False, handled=False)
        password = await server.challenge_auth("Password:")
        if password is MISSING:
            return AuthResult(success=False, handled=False)
        ok = self.password is not None and hmac.compare_digest(password, self.password)
        return self._result("LOGIN", login, ok)

    async def auth_CRAM__MD5(self, server, args):
        challenge = f"<{secrets.token_hex(8)}@tocsin.test>".encode()
        answer = await server.challenge_auth(challenge)
        if answer is MISSING or b" " not in answer:
            return AuthResult(success=False, handled=False)
        login, digest = answer.rsplit(b" ", 1)
        expected = b""
        if self.secret is not None:
            expected = hmac.new(self.secret, challenge, "md5").hexdigest().encode()
        ok = bool(expected) and hmac.compare_digest(digest, expected)
        return self._result("CRAM-MD5", login, ok)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.offer_auth:
            return responses
        return [r for r in responses if not r.startswith("250-AUTH")]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject@"):
            return "550 5.1.1 <%s>: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "helo": session.host_name,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "sni": self.last_sni,
            "auth": session.auth_data if session.authenticated else None,
            # Alertmanager's messages are 7-bit: anything else shows escaped.
            "raw": raw.decode("ascii", errors="backslashreplace"),
            "parsed": parse_message(raw),
        }
        with self.lock:
            self.count += 1
            name = os.path.join(self.maildir, "message-%d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def tls_context(cert, key, handler):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def remember_sni(_sslobj, server_name, _context):
        handler.last_sni = server_name

    context.sni_callback = remember_sni
    return context


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--cram-secret")
    parser.add_argument("--mechanisms", default="",
                        help="comma-separated AUTH mechanisms to offer; none: no AUTH")
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    offered = [m for m in args.mechanisms.split(",") if m]
    handler = RecordingHandler(args.maildir, args.user, args.password, args.cram_secret,
                               offer_auth=bool(offered))
    kwargs = {
        "hostname": "127.0.0.1",
        "port": args.port,
        "server_hostname": "smtp.tocsin.test",
        # AUTH is offered over plain connections too: tests of the client's
        # choices need it, and nothing here is secret.
        "auth_require_tls": False,
        "auth_exclude_mechanism": [m for m in MECHANISMS if m not in offered],
    }
    if args.tls == "starttls":
        kwargs["tls_context"] = tls_context(args.cert, args.key, handler)
    elif args.tls == "implicit":
        kwargs["ssl_context"] = tls_context(args.cert, args.key, handler)
    controller = Controller(handler, **kwargs)
    controller.start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with open(os.path.join(args.maildir, "ready"), "w", encoding="utf-8") as out:
        out.write(str(args.port))
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
