"""What the test folders share, imported as `tests.support.<module>`: real users and tokens
(auth), the test databases (database), processes and servers (servers), and one kit per kind of
test (agent, chat, tools, models, fake_openai, client_tools, reliability, deploy).

Fixtures stay in the conftest.py of the folder that uses them; this package holds plain code."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
