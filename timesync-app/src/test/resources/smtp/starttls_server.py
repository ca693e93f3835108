"""A real SMTP server for TimeSync's notification tests: aiosmtpd (Debian's python3-aiosmtpd) on
127.0.0.1, STARTTLS required before AUTH, AUTH before MAIL, one account. Each message is saved as N.eml in
the output directory, headed by what the server saw: whether the session was encrypted, who logged in.

usage: starttls_server.py PORT CERT KEY OUTDIR USER PASSWORD   (runs until stdin closes)
"""
import pathlib
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, outdir, user, password = sys.argv[1:7]
out = pathlib.Path(outdir)


class Saver:
    async def handle_DATA(self, server, session, envelope):
        n = len(list(out.glob("*.eml")))
        auth = getattr(session, "auth_data", None)
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        head = "X-Test-Tls: %s\r\nX-Test-Login: %s\r\nX-Test-Rcpt: %s\r\n" % (
            session.ssl is not None, login, ",".join(envelope.rcpt_tos))
        tmp = out / ("%d.tmp" % n)
        tmp.write_bytes(head.encode() + envelope.original_content)
        tmp.rename(out / ("%d.eml" % n))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
          and auth_data.password.decode() == password)
    return AuthResult(success=ok, auth_data=auth_data)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Saver(), hostname="127.0.0.1", port=int(port), tls_context=context, require_starttls=True,
                        authenticator=authenticate, auth_require_tls=True, auth_required=True)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
