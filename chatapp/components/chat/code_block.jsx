// A fenced code block of the native chat, highlighted on demand: highlight.js (core plus the one
// language asked for) is imported only when a block is on screen, so a chat with no code never
// downloads it. Until it arrives (or if it fails), the code shows as plain monospace text.
import { useEffect, useState } from "react";

const LANGUAGES = {
  python: () => import("highlight.js/lib/languages/python"),
  javascript: () => import("highlight.js/lib/languages/javascript"),
  typescript: () => import("highlight.js/lib/languages/typescript"),
  json: () => import("highlight.js/lib/languages/json"),
  bash: () => import("highlight.js/lib/languages/bash"),
  sql: () => import("highlight.js/lib/languages/sql"),
  xml: () => import("highlight.js/lib/languages/xml"),
  css: () => import("highlight.js/lib/languages/css"),
  yaml: () => import("highlight.js/lib/languages/yaml"),
};
const ALIASES = { py: "python", js: "javascript", jsx: "javascript", ts: "typescript",
  tsx: "typescript", sh: "bash", shell: "bash", zsh: "bash", html: "xml", yml: "yaml" };
// Without a language tag the block is guessed among these.
const GUESSES = ["python", "javascript", "json", "bash", "sql"];

let core = null;
const loaded = {};

function load(names) {
  core = core || import("highlight.js/lib/core").then((m) => m.default);
  return core.then((hljs) =>
    Promise.all(names.map((name) => {
      loaded[name] = loaded[name] || LANGUAGES[name]().then((m) => hljs.registerLanguage(name, m.default));
      return loaded[name];
    })).then(() => hljs));
}

export function ChatCodeBlock({ code = "", language = "" }) {
  const [html, setHtml] = useState(null);
  const lang = ALIASES[language] || language;
  useEffect(() => {
    let live = true;
    const known = Object.prototype.hasOwnProperty.call(LANGUAGES, lang);
    if (lang && !known) return undefined; // a language we do not ship: plain text
    load(known ? [lang] : GUESSES)
      .then((hljs) => {
        const out = known
          ? hljs.highlight(code, { language: lang, ignoreIllegals: true })
          : hljs.highlightAuto(code, GUESSES);
        if (live) setHtml(out.value); // highlight.js escapes the code it returns
      })
      .catch(() => {});
    return () => { live = false; };
  }, [code, lang]);
  const className = "chat-md-code" + (html === null ? "" : " hljs");
  return html === null ? (
    <pre className={className} data-highlighted="false"><code>{code}</code></pre>
  ) : (
    <pre className={className} data-highlighted="true" data-language={lang || "auto"}>
      <code dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
