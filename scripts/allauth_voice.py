"""Write locale/en/LC_MESSAGES/django.po: allauth's wording in MathPath's voice.

    .venv/bin/python scripts/allauth_voice.py     (make voice; run again after upgrading allauth)

allauth writes in title case ("Password Reset Email", "Confirm Access") and about "sites"
and "user accounts". Django looks in LOCALE_PATHS before any app's own catalogue, so one
English catalogue here renames every allauth string at once: titles, buttons, form labels,
flash messages, email subjects and bodies. Every string is put in sentence case; the ones
in VOICE are rewritten by hand. The strings come from allauth's own source
(makemessages on a copy of the installed package), so none is missed or stale.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Rewritten by hand: the site's own words, never the host name or "register an account".
VOICE = {
    "Sign In": "Log in",
    "Sign in": "Log in",
    "Sign Out": "Log out",
    "Sign out": "Log out",
    "Sign Up": "Sign up",
    "Are you sure you want to sign out?": "Log out of MathPath in this browser?",
    "You have signed out.": "You are logged out.",
    "Successfully signed in as %(name)s.": "You are logged in as %(name)s.",
    "Confirmation email sent to %(email)s.": (
        "We sent a link to %(email)s: open it to confirm your address."
    ),
    "New Password": "New password",
    "New Password (again)": "New password again",
    "Current Password": "Current password",
    "Password (again)": "Password again",
    "Password Reset Email": "Password reset email",
    "Confirm Access": "Confirm it is you",
    "Email Addresses": "Email addresses",
    "User Sessions": "Your sessions",
    "Please Confirm Your Email Address": "Confirm your email address",
    "Hello from %(site_name)s!": "Hello from MathPath,",
    "Thank you for using %(site_name)s!\n%(site_domain)s": (
        "MathPath — the mathematics behind AI, in an order that makes sense."
    ),
    "You're receiving this email because user %(user_display)s has given your email "
    "address to register an account on %(site_domain)s.": (
        "Someone, we hope you, signed up for MathPath with this email address."
    ),
    "To confirm this is correct, go to %(activate_url)s": (
        "If it was you, confirm your address here: %(activate_url)s\n\n"
        "If it was not, ignore this email: nothing more will be sent."
    ),
    "You're receiving this email because you or someone else has requested a password "
    "reset for your user account.\nIt can be safely ignored if you did not request a "
    "password reset. Click the link below to reset your password.": (
        "Someone, we hope you, asked to reset the password of your MathPath account.\n"
        "If it was not you, ignore this email: your password stays as it is. To choose "
        "a new one, open this link:"
    ),
    "You are receiving this mail because the following change was made to your "
    "account:": "This change was just made to your MathPath account:",
    "If you do not recognize this change then please take proper security precautions "
    "immediately. The change to your account originates from:\n\n- IP address: %(ip)s\n"
    "- Browser: %(user_agent)s\n- Date: %(timestamp)s": (
        "If it was not you, reset your password now. The change came from:\n\n"
        "- IP address: %(ip)s\n- Browser: %(user_agent)s\n- Date: %(timestamp)s"
    ),
}

# Words that keep their capitals inside a sentence.
KEEP = re.compile(r"^(I|MathPath|[A-Z0-9]{2,}s?|\w*[a-z][A-Z]\w*|%\(\w+\)s)$")


def sentence_case(text: str) -> str:
    """'Password Reset Email' -> 'Password reset email'; sentences are left as they are."""
    words = text.split(" ")
    out = []
    starts_sentence = True
    for word in words:
        bare = word.strip("\"'“”()[]:;,.!?")
        parts = bare.split("-")
        for n, part in enumerate(parts):
            if (n or not starts_sentence) and part[:1].isupper() and not KEEP.match(part):
                parts[n] = part[0].lower() + part[1:]
        word = word.replace(bare, "-".join(parts), 1)
        out.append(word)
        starts_sentence = word.endswith((".", "!", "?", ":")) or word == ""
    return " ".join(out)


def allauth_catalogue(workdir: Path) -> str:
    import allauth

    source = workdir / "allauth"
    shutil.copytree(Path(allauth.__file__).parent, source)
    shutil.rmtree(source / "locale", ignore_errors=True)
    (source / "locale").mkdir()
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(
        [django_admin, "makemessages", "-l", "en", "--no-wrap", "--no-location"],
        cwd=source, check=True, capture_output=True,
    )
    return (source / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()


def po_unquote(lines: list[str]) -> str:
    text = "".join(re.match(r'^(?:msg\w+(?:\[\d\])? )?"(.*)"$', line).group(1) for line in lines)
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def po_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def entries(po: str):
    """(context, msgid, plural) for each entry of a .po file, the header left out."""
    for block in po.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        fields: dict[str, list[str]] = {}
        key = None
        for line in lines:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) ", line)
            if match:
                key = match.group(1)
                fields[key] = [line]
            elif key:
                fields[key].append(line)
        if "msgid" not in fields:
            continue
        msgid = po_unquote(fields["msgid"])
        if not msgid:
            continue
        context = po_unquote(fields["msgctxt"]) if "msgctxt" in fields else None
        plural = po_unquote(fields["msgid_plural"]) if "msgid_plural" in fields else None
        yield context, msgid, plural


def render(po: str) -> str:
    out = [
        "# allauth's strings in MathPath's voice. Written by scripts/allauth_voice.py.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    for context, msgid, plural in entries(po):
        if context:
            out.append(f"msgctxt {po_quote(context)}")
        out.append(f"msgid {po_quote(msgid)}")
        if plural:
            out.append(f"msgid_plural {po_quote(plural)}")
            out.append(f"msgstr[0] {po_quote(VOICE.get(msgid, sentence_case(msgid)))}")
            out.append(f"msgstr[1] {po_quote(VOICE.get(plural, sentence_case(plural)))}")
        else:
            out.append(f"msgstr {po_quote(VOICE.get(msgid, sentence_case(msgid)))}")
        out.append("")
    return "\n".join(out)


def main():
    with tempfile.TemporaryDirectory() as workdir:
        po = allauth_catalogue(Path(workdir))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(po))
    subprocess.run(["msgfmt", "--check-format", "-o", OUT.with_suffix(".mo"), OUT], check=True)
    print(f"wrote {OUT.relative_to(BASE_DIR)} and its .mo")


if __name__ == "__main__":
    main()
