"""Sign-ups while the mail server is down, against a running `make serve`; then the mail arrives.

    EMAIL_HOST=127.0.0.1 EMAIL_PORT=2525 EMAIL_USE_TLS=0 make serve PORT=8000   # elsewhere
    .venv/bin/python scripts/mail_outage.py --site http://127.0.0.1:8000 --smtp-port 2525

Signs up --count new learners through the real sign-up form while nothing listens on the
SMTP port, counts the answers (every one must be a redirect, none a 5xx), then starts a
real SMTP server (aiosmtpd) on that port and waits until each learner's verification mail
has arrived, exactly once. The worker retries after MAIL_RETRY_DELAYS (60 s first), so
expect to wait a minute or so. Talks only to loopback.
"""

import argparse
import http.cookiejar
import re
import secrets
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_up(site, email):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{site}/accounts/signup/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "email": email,
        "password1": "a long enough passphrase 42", "password2": "a long enough passphrase 42",
    }).encode()
    request = urllib.request.Request(f"{site}/accounts/signup/", data=body,  # noqa: S310
                                     headers={"Referer": f"{site}/accounts/signup/"})
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="http://127.0.0.1:8000")
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for mail")
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.site).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("--site must be on loopback")

    run = secrets.token_hex(3)
    emails = [f"outage-{run}-{n}@example.org" for n in range(args.count)]
    answers = Counter(sign_up(args.site, email) for email in emails)
    print(f"{args.count} sign-ups with no mail server: "
          + ", ".join(f"{n} x {code}" for code, n in sorted(answers.items())))

    from aiosmtpd.controller import Controller

    received = Counter()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            for rcpt in envelope.rcpt_tos:
                received[rcpt] += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    started = time.monotonic()
    try:
        while time.monotonic() - started < args.wait:
            if all(received[email] for email in emails):
                break
            time.sleep(1)
        time.sleep(3)  # anything sent twice would arrive now
    finally:
        controller.stop()
    arrived = sum(1 for email in emails if received[email])
    twice = sum(1 for email in emails if received[email] > 1)
    print(f"SMTP server started: {arrived} of {len(emails)} verification mails arrived "
          f"within {time.monotonic() - started:.0f} s, {twice} more than once.")
    server_errors = sum(n for code, n in answers.items() if code >= 500)
    sys.exit(0 if server_errors == 0 and arrived == len(emails) and not twice else 1)


if __name__ == "__main__":
    main()
