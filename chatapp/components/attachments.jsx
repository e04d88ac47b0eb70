// The native chat's attachments: a paperclip that picks files, drag-and-drop onto the composer,
// pasted images, each uploaded with progress to chatapp's one-shot upload route, and <img>/<a>
// views of uploaded files. Reflex imports this file through rx.asset (see attachments.py); props
// arrive camelCased; the on* props are Reflex event triggers.
import { useCallback, useEffect, useRef } from "react";
import env from "$/env.json";
import { getBackendURL } from "$/utils/state";

const PROGRESS_STEP = 5; // percent: report progress to the app in steps, not on every chunk

function backendOrigin() {
  try {
    return getBackendURL(env.PING).origin;
  } catch {
    return window.location.origin;
  }
}

// Relative URLs ("/api/attachments") point at the Reflex backend, which serves chatapp's API.
function resolveUrl(url) {
  return new URL(url, backendOrigin() + "/").toString();
}

function newKey() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}

function megabytes(bytes) {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function failureMessage(xhr) {
  try {
    const detail = JSON.parse(xhr.responseText)?.detail;
    if (typeof detail === "string" && detail) return detail;
  } catch {
    /* not JSON: fall through */
  }
  return xhr.status ? `Upload failed (HTTP ${xhr.status}).` : "Upload failed: the server could not be reached.";
}

function hasFiles(event) {
  return [...(event.dataTransfer?.types ?? [])].includes("Files");
}

export function AttachmentPicker({
  apiUrl = "/api/attachments",
  authToken = "",
  dropTargetId = "",
  pasteTargetId = "",
  maxBytes = 0,
  accept = "",
  disabled = false,
  inputId = "chat-attach-input",
  onStart,
  onProgress,
  onDone,
  onFailed,
}) {
  const input = useRef(null);
  const props = useRef({});
  props.current = { apiUrl, authToken, maxBytes, disabled, onStart, onProgress, onDone, onFailed };

  const upload = useCallback((file) => {
    const { apiUrl, authToken, maxBytes, onStart, onProgress, onDone, onFailed } = props.current;
    const key = newKey();
    const name = file.name || "pasted-image";
    onStart?.({ key, name, size: file.size, image: (file.type || "").startsWith("image/") });
    if (maxBytes && file.size > maxBytes) {
      onFailed?.({ key, name, message: `The file is too large (limit ${megabytes(maxBytes)}).` });
      return;
    }
    const url = new URL(resolveUrl(apiUrl));
    url.searchParams.set("filename", name);
    const xhr = new XMLHttpRequest();
    let reported = 0;
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.floor((event.loaded / event.total) * 100);
      if (percent - reported >= PROGRESS_STEP && percent < 100) {
        reported = percent;
        onProgress?.({ key, percent });
      }
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        let attachment = null;
        try {
          attachment = JSON.parse(xhr.responseText);
        } catch {
          onFailed?.({ key, name, message: "Upload failed: the answer was not understood." });
          return;
        }
        onDone?.({ key, attachment });
      } else {
        onFailed?.({ key, name, message: failureMessage(xhr) });
      }
    };
    xhr.onerror = () => onFailed?.({ key, name, message: failureMessage(xhr) });
    xhr.open("POST", url.toString());
    if (authToken) xhr.setRequestHeader("Authorization", `Bearer ${authToken}`);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.send(file);
  }, []);

  const uploadAll = useCallback(
    (files) => {
      if (props.current.disabled) return;
      for (const file of files) upload(file);
    },
    [upload],
  );

  // Drop files anywhere on the composer; paste images (or files) into the message box, pasted
  // text is left alone. Listened for on the document and matched by id, so the listeners do
  // not depend on which of the picker and its targets React mounts (or re-mounts) first.
  useEffect(() => {
    const within = (event, id) => (id && event.target?.closest?.(`#${id}`)) || null;
    const over = (event) => {
      const target = within(event, dropTargetId);
      if (!target || !hasFiles(event)) return;
      event.preventDefault();
      target.classList.add("chat-drop-active");
    };
    const leave = (event) => within(event, dropTargetId)?.classList.remove("chat-drop-active");
    const drop = (event) => {
      const target = within(event, dropTargetId);
      if (!target || !hasFiles(event)) return;
      event.preventDefault();
      target.classList.remove("chat-drop-active");
      uploadAll([...event.dataTransfer.files]);
    };
    const paste = (event) => {
      if (!within(event, pasteTargetId)) return;
      const files = [...(event.clipboardData?.files ?? [])];
      if (!files.length) return;
      event.preventDefault();
      uploadAll(files);
    };
    document.addEventListener("dragover", over);
    document.addEventListener("dragleave", leave);
    document.addEventListener("drop", drop);
    document.addEventListener("paste", paste);
    return () => {
      document.removeEventListener("dragover", over);
      document.removeEventListener("dragleave", leave);
      document.removeEventListener("drop", drop);
      document.removeEventListener("paste", paste);
    };
  }, [dropTargetId, pasteTargetId, uploadAll]);

  return (
    <input
      ref={input}
      id={inputId}
      type="file"
      multiple
      accept={accept || undefined}
      tabIndex={-1}
      aria-hidden="true"
      style={{ display: "none" }}
      onChange={(event) => {
        uploadAll([...event.target.files]);
        event.target.value = ""; // the same file can be picked again
      }}
    />
  );
}

// An uploaded file as a link (and, for an image, its optimised copy as a thumbnail). The
// session token rides in the query string: an <img> or a link cannot send a header.
export function AttachmentLink({ attachmentId, authToken = "", name = "", image = false, className, children }) {
  const token = encodeURIComponent(authToken || "");
  const base = resolveUrl(`/api/attachments/${encodeURIComponent(attachmentId || "")}`);
  const href = `${base}?token=${token}`;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={className} title={name} data-attachment-id={attachmentId}>
      {image ? <img src={`${base}/preview?token=${token}`} alt={name} loading="lazy" /> : null}
      {children}
    </a>
  );
}
