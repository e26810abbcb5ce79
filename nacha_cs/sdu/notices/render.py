"""Markdown and printable HTML from a :class:`~.model.Letter`: the same parts in the same order,
so a draft edited as Markdown and a printed copy say the same thing. HTML escapes every value."""

from __future__ import annotations

import datetime as dt
from html import escape

from nacha_cs.sdu.notices.model import Letter


def _date(day: dt.date) -> str:
    return day.strftime("%B %-d, %Y")


def _md(text: str) -> str:
    """Text safe inside Markdown: characters that would start formatting are escaped."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>#|":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def to_markdown(letter: Letter) -> str:
    to = letter.addressee
    lines = [f"**{_md(letter.sender.name)}**  ", f"{_md(letter.sender.office)}  ", "",
             _date(letter.date), ""]
    lines.append(f"{_md(to.name)}  ")
    if to.attention:
        lines.append(f"Attn: {_md(to.attention)}  ")
    lines.extend(f"{_md(a)}  " for a in to.address)
    lines.append("")
    lines.append(f"**Re: {_md(letter.subject)}**  ")
    lines.extend(f"{_md(label)}: {_md(value)}  " for label, value in letter.references)
    lines.append("")
    lines.append(f"Dear {_md(to.salutation)}:")
    lines.append("")
    lines.append(" ".join(_md(s) for s in letter.acknowledgment))
    lines.append("")
    for number, concern in enumerate(letter.concerns, 1):
        lines.append(f"### {number}. {_md(concern.statement)}")
        lines.append("")
        lines.extend(f"- {_md(d)}" for d in concern.details)
        if concern.details:
            lines.append("")
        lines.append(f"**Our response:** {_md(concern.response)}")
        lines.append("")
    lines.append(" ".join(_md(s) for s in letter.thanks))
    lines.append("")
    lines.append("Sincerely,")
    lines.append("")
    lines.append(f"{_md(letter.sender.office)}  ")
    lines.append(f"{_md(letter.sender.name)}  ")
    if letter.sender.contact:
        lines.append(f"{_md(letter.sender.contact)}  ")
    return "\n".join(lines).rstrip() + "\n"


_STYLE = """\
@page { size: letter; margin: 1in; }
body { font-family: Georgia, 'Times New Roman', serif; font-size: 11.5pt; line-height: 1.45;
       max-width: 6.5in; margin: 0 auto; color: #000; }
header, .addressee, .references { margin-bottom: 1.2em; }
.sender { font-weight: bold; }
h2 { font-size: 11.5pt; margin: 1.4em 0 0.4em; }
section.concern { break-inside: avoid; }
.response strong { font-weight: bold; }
footer { margin-top: 2em; }
@media print { a { color: #000; text-decoration: none; } }
"""


def to_html(letter: Letter) -> str:
    """A complete HTML document that prints on letter paper (one letter, one page or more)."""
    e = escape
    to = letter.addressee
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(letter.subject)}</title>", f"<style>\n{_STYLE}</style>", "</head>",
           f'<body class="letter letter-{e(letter.kind)}">',
           "<header>", f'<div class="sender">{e(letter.sender.name)}</div>',
           f"<div>{e(letter.sender.office)}</div>",
           f'<p class="date">{e(_date(letter.date))}</p>', "</header>",
           '<address class="addressee">', e(to.name)]
    if to.attention:
        out.append(f"<br>Attn: {e(to.attention)}")
    out.extend(f"<br>{e(a)}" for a in to.address)
    out.append("</address>")
    out.append('<div class="references">')
    out.append(f"<strong>Re: {e(letter.subject)}</strong>")
    out.extend(f"<br>{e(label)}: {e(value)}" for label, value in letter.references)
    out.append("</div>")
    out.append(f'<p class="salutation">Dear {e(to.salutation)}:</p>')
    out.append('<section class="acknowledgment">')
    out.append(f"<p>{' '.join(e(s) for s in letter.acknowledgment)}</p>")
    out.append("</section>")
    for number, concern in enumerate(letter.concerns, 1):
        out.append('<section class="concern">')
        out.append(f'<h2 class="statement">{number}. {e(concern.statement)}</h2>')
        if concern.details:
            out.append("<ul>")
            out.extend(f"<li>{e(d)}</li>" for d in concern.details)
            out.append("</ul>")
        out.append(f'<p class="response"><strong>Our response:</strong> {e(concern.response)}</p>')
        out.append("</section>")
    out.append('<section class="thanks">')
    out.append(f"<p>{' '.join(e(s) for s in letter.thanks)}</p>")
    out.append("</section>")
    out.append("<footer><p>Sincerely,</p>")
    out.append(f"<p>{e(letter.sender.office)}<br>{e(letter.sender.name)}")
    if letter.sender.contact:
        out.append(f"<br>{e(letter.sender.contact)}")
    out.append("</p></footer>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
