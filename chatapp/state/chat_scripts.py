"""The JavaScript the native chat asks the browser to run (through `rx.call_script`)."""

from __future__ import annotations

import json

CHATKIT_DETECT_SECONDS = 3
TIMEZONE_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"
# Once the browser has painted the loaded thread, show its end.
SCROLL_TO_END = (
    "setTimeout(() => { const el = document.getElementById('chat-scroll');"
    " if (el) el.scrollTop = el.scrollHeight; }, 50)"
)


def thread_url_script(thread_id: str) -> str:
    """Show the open thread in the address bar (so a reload returns to it), no navigation."""
    query = json.dumps(f"?thread={thread_id}" if thread_id else "")
    return f"window.history.replaceState(window.history.state, '', location.pathname + {query})"


def detect_chatkit_script(script_url: str) -> str:
    """Load ChatKit's script and resolve 'chatkit' once <openai-chatkit> is defined, or
    'native' when the script fails or nothing is defined within CHATKIT_DETECT_SECONDS."""
    url = json.dumps(script_url)
    return f"""new Promise((resolve) => {{
  if (customElements.get('openai-chatkit')) {{ resolve('chatkit'); return; }}
  const late = setTimeout(() => resolve('native'), {CHATKIT_DETECT_SECONDS * 1000});
  customElements.whenDefined('openai-chatkit').then(() => {{ clearTimeout(late); resolve('chatkit'); }});
  if (![...document.scripts].some((s) => s.src === {url})) {{
    const s = document.createElement('script');
    s.src = {url};
    s.async = true;
    s.onerror = () => {{ clearTimeout(late); resolve('native'); }};
    document.head.appendChild(s);
  }}
}})"""
