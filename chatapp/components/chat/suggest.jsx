// Auto-complete for the chat composer: "#" + letters suggests the user's tags; a task verb
// ("done", "delete", "move", "rename", ...) + title words suggests matching tasks. Arrow keys
// move, Enter or Tab accept, Escape closes; the list is a listbox whose active option the
// textarea names in aria-activedescendant. The textarea stays uncontrolled: this only edits its
// value and listens to it, so sending is untouched when nothing is suggested.
import { useEffect, useRef, useState } from "react";

const VERBS = ["done", "complete", "finish", "check", "uncheck", "reopen", "delete", "remove",
  "move", "reschedule", "rename", "update", "edit", "change", "mark", "open", "tag"];
const VERB_QUERY = new RegExp(`(?:^|\\s)(?:${VERBS.join("|")})\\s+((?:[^\\s#]+ ?){1,6})$`, "i");
const TAG_QUERY = /(?:^|\s)#([\p{L}\p{N}_-]*)$/u;
const MAX_SHOWN = 6;
const NEED_EVERY_MS = 10000;

export function suggestionsFor(before, tags, tasks) {
  const tag = TAG_QUERY.exec(before);
  if (tag) {
    const q = tag[1].toLowerCase();
    const items = tags
      .filter((t) => t.toLowerCase().startsWith(q) && t.toLowerCase() !== q)
      .slice(0, MAX_SHOWN)
      .map((t) => ({ label: `#${t}`, insert: `#${t} ` }));
    return { start: before.length - tag[1].length - 1, items };
  }
  const verb = VERB_QUERY.exec(before);
  if (verb) {
    const typed = verb[1].trim().toLowerCase();
    const words = typed.split(/\s+/).filter(Boolean);
    if (typed.length < 2) return null;
    const items = tasks
      .filter((t) => t.title.toLowerCase() !== typed)
      .filter((t) => words.every((w) => t.title.toLowerCase().includes(w)))
      .sort((a, b) => Number(a.completed) - Number(b.completed))
      .slice(0, MAX_SHOWN)
      .map((t) => ({ label: t.title, detail: t.completed ? "done" : `task ${t.id}`, insert: t.title }));
    return { start: before.length - verb[1].length, items };
  }
  return null;
}

export function ComposerSuggest({ target, tags = [], tasks = [], onNeed }) {
  const [found, setFound] = useState(null);
  const [active, setActive] = useState(0);
  const state = useRef({});
  state.current = { found, active, tags, tasks, onNeed };
  const listId = `${target}-suggest`;

  useEffect(() => {
    const box = document.getElementById(target);
    if (!box) return undefined;
    let askedAt = 0;
    const update = () => {
      need();
      const { tags: t, tasks: k } = state.current;
      const next = suggestionsFor(box.value.slice(0, box.selectionStart), t, k);
      setFound(next && next.items.length ? next : null);
      setActive(0);
    };
    const accept = (index) => {
      const { found: f } = state.current;
      if (!f) return;
      const caret = box.selectionStart;
      const insert = f.items[index].insert;
      box.value = box.value.slice(0, f.start) + insert + box.value.slice(caret);
      const at = f.start + insert.length;
      box.setSelectionRange(at, at);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      setFound(null);
    };
    state.current.accept = accept;
    const keydown = (event) => {
      const { found: f, active: a } = state.current;
      if (!f) return;
      const n = f.items.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        setActive((a + (event.key === "ArrowDown" ? 1 : n - 1)) % n);
      } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        accept(a);
      } else if (event.key === "Escape") {
        setFound(null);
      } else {
        return;
      }
      // Handled here: the composer's own Enter (send) must not see it.
      event.preventDefault();
      event.stopPropagation();
    };
    // Fresh tags and tasks once typing starts (not at page load), at most every NEED_EVERY_MS.
    const need = () => {
      if (Date.now() - askedAt > NEED_EVERY_MS && state.current.onNeed) {
        askedAt = Date.now();
        state.current.onNeed();
      }
    };
    const blur = () => setTimeout(() => setFound(null), 150);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", listId);
    box.addEventListener("input", update);
    box.addEventListener("keydown", keydown);
    box.addEventListener("blur", blur);
    return () => {
      box.removeEventListener("input", update);
      box.removeEventListener("keydown", keydown);
      box.removeEventListener("blur", blur);
    };
  }, [target, listId]);

  useEffect(() => {
    const box = document.getElementById(target);
    if (!box) return;
    if (found) box.setAttribute("aria-activedescendant", `${listId}-${active}`);
    else box.removeAttribute("aria-activedescendant");
  }, [found, active, target, listId]);

  if (!found) return null;
  return (
    <ul role="listbox" id={listId} className="chat-suggest" aria-label="Suggestions">
      {found.items.map((item, index) => (
        <li
          key={item.label + index}
          id={`${listId}-${index}`}
          role="option"
          aria-selected={index === active}
          className="chat-suggest-option"
          onMouseDown={(event) => { event.preventDefault(); state.current.accept(index); }}
          onMouseEnter={() => setActive(index)}
        >
          <span>{item.label}</span>
          {item.detail ? <span className="chat-suggest-detail">{item.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}
