"""Words about the files sent with a message, which ask for nothing by themselves.

"new task: submit tax return, with this pdf attached", "remind me to sign the lease (attached)",
"see attached", "here's the file": such a clause only says that the files go with what the rest
of the message asks for. `without_file_mentions` cuts these clauses out before the message is
read, so one never becomes a task of its own; the reading then says files were meant, and the
planner hands the files sent to the tasks the message adds.
"""

from __future__ import annotations

import re

from chatapp.agent.offline.pattern import nocase

# What a file is called; the same words name the files in "attach these receipts to task 3".
FILE_NOUN = (
    r"(?:file|photo|picture|pic|image|receipt|document|doc|pdf|scan|attachment|screenshot"
    r"|invoice)s?"
)
_DET = r"(?:the|this|these|that|those|a|an|my|our|his|her|their|its|both|all)"
# A word of a short noun phrase: not a verb that would make the clause a request of its own
# ("check if the trailer is attached" is a task).
_WORD = r"(?!(?:if|whether|to|is|are|be|not|and|or|make|check|ensure|confirm|see)\b)[\w'-]+"
# "the scan", "my lease contract", "copy of the quote", "both of them".
_PHRASE = (
    rf"(?:{_DET}\s+)?{_WORD}(?:\s+{_WORD}){{0,2}}(?:\s+of\s+(?:{_DET}\s+)?{_WORD}(?:\s+{_WORD})?)?"
)
_FILE_PHRASE = rf"(?:{_DET}\s+)?(?:{_WORD}\s+){{0,2}}?(?:attached\s+)?{FILE_NOUN}"
_MARKER = r"(?:attached|enclosed|included|uploaded)(?:\s+(?:here|below|above|too|as\s+well))?"
# "with the attached photo", "with attachment", "with these receipts"
_WITH_FILES = (
    rf"with\s+(?:(?:this|these|the\s+attached|the\s+enclosed)\s+(?:attached\s+)?{FILE_NOUN}"
    rf"|(?:the\s+)?(?:attached|enclosed|attachments?))"
)
# One clause that only points at the files (each alternative read as a whole clause).
_MENTION = (
    rf"(?:(?:and|also|plus|btw|ps)\s+)?(?:"
    # "attached", "see attached", "please find attached", "see the attached pdf", "attachment"
    rf"(?:(?:please\s+|pls\s+)?(?:see|find)\s+)?(?:the\s+)?(?:attached|enclosed|attachments?)"
    rf"(?:\s+{FILE_NOUN})?(?:\s+(?:here|below|above))?"
    # "pdf attached", "with this pdf attached", "the scan is attached", "it's attached"
    rf"|(?:with\s+)?(?:{_PHRASE}|it|they|it's|its|they're)\s+(?:(?:is|are)\s+)?{_MARKER}"
    # "I've attached the lease", "attaching the quote", "attached is the scan"
    rf"|(?:i\s+(?:have\s+)?|i've\s+|i'm\s+|i\s+am\s+)?(?:attached|enclosed|uploaded"
    rf"|attaching|enclosing|uploading)(?:\s+(?:is|are))?\s+{_PHRASE}"
    # "here's the file", "this is the receipt", "sending the scan", "see the pdf"
    rf"|(?:here\s+is|here's|heres|here\s+are|this\s+is|these\s+are|(?:i'm\s+|i\s+am\s+)?sending"
    rf"|see)\s+{_FILE_PHRASE}"
    rf"|{_WITH_FILES}"
    rf")(?:\s+(?:too|as\s+well))?"
)
_CLAUSE = nocase(_MENTION)
# A mention in brackets, wherever it stands: "pay this invoice (attached) by friday".
_BRACKETED = nocase(rf"\s*[(\[]\s*{_MENTION}\s*[)\]]")
# A mention that ends the message without a comma: "... with this pdf attached".
_TRAILING = nocase(
    rf"\s+(?:{_WITH_FILES}|with\s+{_PHRASE}\s+{_MARKER})(?:\s+(?:too|as\s+well))?[\s.!]*$"
)
# Where one clause ends: punctuation, or a dash between spaces.
_BREAK = re.compile(r"(\s*(?:[,;:!?\n]|\.(?!\d)|\s[-\u2013\u2014]+)\s*)")
_LEFTOVER = " ,;:.!?-\u2013\u2014\n"


def without_file_mentions(text: str) -> tuple[str, bool]:
    """`text` without its clauses about attached files, and whether it had any."""
    rest = _TRAILING.sub("", _BRACKETED.sub("", text))
    found = rest != text
    pieces = _BREAK.split(rest)
    kept: list[str] = []
    for index in range(0, len(pieces), 2):
        clause = pieces[index].strip()
        if clause and _CLAUSE.fullmatch(clause.rstrip(".!")):
            found = True
            continue
        # A clause keeps the break before it, unless what stood before it was cut out.
        kept += [pieces[index - 1], pieces[index]] if kept else [pieces[index]]
    return ("".join(kept).strip(_LEFTOVER), True) if found else (text, False)
