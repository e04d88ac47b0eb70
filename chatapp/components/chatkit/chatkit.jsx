// The React side of chatapp's ChatKit component: useChatKit + <ChatKit> from @openai/chatkit-react,
// plus what a Reflex app needs around them (auth, client secrets, URL thread, client tools).
// Reflex imports this file through rx.asset (see component.py); props arrive camelCased.
import { Component, useCallback, useEffect, useMemo, useRef } from "react";
import { ChatKit, useChatKit } from "@openai/chatkit-react";
import env from "$/env.json";
import { getBackendURL } from "$/utils/state";

const ELEMENT = "openai-chatkit";
const REFRESH_MARGIN_MS = 60_000;

function backendOrigin() {
  try {
    return getBackendURL(env.PING).origin;
  } catch {
    return window.location.origin;
  }
}

// Relative URLs ("/chatkit") point at the Reflex backend, which serves chatapp's API.
function resolveUrl(url) {
  return new URL(url, backendOrigin() + "/").toString();
}

function errorMessage(error) {
  if (!error) return "Unknown ChatKit error.";
  if (typeof error === "string") return error;
  return error.message || String(error);
}

// The element's errors carry their kind in `name` (ChatKit's public error classes). These mean
// it cannot work on this page at all; the others (StreamError for a failed response,
// InitialThreadLoadError, HistoryViewError, WidgetItemError, FileAttachmentError, ...) concern
// one message or view, and the element carries on.
const DOMAIN_KEY_REJECTED = "domain key rejected";
const MENTIONS_DOMAIN_KEY = /domain[ _-]?(key|verification)/i;

// → why ChatKit cannot start here (shown as "ChatKit could not start here (…)"), or null.
export function fatalCause(error, ready) {
  const name = (error && typeof error === "object" && error.name) || "";
  if (name === "DomainVerificationRequestError") return DOMAIN_KEY_REJECTED;
  if (name === "FatalAppError") return "it failed to start";
  if (name === "IntegrationError") {
    if (MENTIONS_DOMAIN_KEY.test(errorMessage(error))) return DOMAIN_KEY_REJECTED;
    // After chatkit.ready it is one interaction's (e.g. a widget action without a handler).
    if (!ready) return "its setup was rejected";
  }
  return null;
}

// setOptions throws when the element rejects its options (after dispatching chatkit.error, which
// @openai/chatkit-react is not listening for yet on the first call): catch it here, not in the
// app's error boundary, and report it as a failure to start.
class StartFailure extends Component {
  constructor(props) {
    super(props);
    this.state = { failed: false };
  }

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error) {
    this.props.onFailure(
      fatalCause(error, false) ?? "it failed to start",
      errorMessage(error),
    );
  }

  render() {
    return this.state.failed ? null : this.props.children;
  }
}

// Event details cross into Reflex as JSON; drop what JSON cannot carry.
function plain(value) {
  try {
    return JSON.parse(JSON.stringify(value ?? {}));
  } catch {
    return {};
  }
}

function browserTimezone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

export function ChatKitElement({
  apiUrl,
  domainKey,
  authToken,
  clientSecretUrl,
  hosted = false,
  uploadStrategy,
  entitySearchUrl,
  scriptUrl,
  loadTimeoutMs = 8000,
  threadParam = "thread",
  initialThread,
  signInUrl = "/login",
  clientToolResults,
  clientToolTimeoutMs = 30000,
  theme,
  locale,
  frameTitle,
  startScreen,
  header,
  history,
  composer,
  disclaimer,
  threadItemActions,
  thread,
  onReady,
  onError,
  onResponseStart,
  onResponseEnd,
  onThreadChange,
  onThreadLoadStart,
  onThreadLoadEnd,
  onLog,
  onEffect,
  onHistoryOpen,
  onHistoryClose,
  onToolChange,
  onDeeplink,
  onClientTool,
  onUnauthorized,
  onUnavailable,
  onFatalError,
  ...elementProps
}) {
  const authTokenRef = useRef(authToken);
  authTokenRef.current = authToken;
  const secretRef = useRef({ value: null, expiresAt: 0, ttlMs: 0 });
  const pendingSecretRef = useRef(null);
  const signedOutRef = useRef(false);
  const pendingToolsRef = useRef(new Map());
  const readyRef = useRef(false);
  const failedRef = useRef(false);
  const propsRef = useRef({});
  propsRef.current = {
    onClientTool,
    onUnauthorized,
    onUnavailable,
    onFatalError,
    signInUrl,
    threadParam,
  };

  // Reported once per mount: the element cannot work on this page (see fatalCause).
  const fail = useCallback((cause, message) => {
    if (failedRef.current) return;
    failedRef.current = true;
    const handler = propsRef.current.onFatalError;
    if (typeof handler === "function") handler(cause, message);
  }, []);

  // Another sign-in means another user: never reuse the previous user's chat secret.
  useEffect(() => {
    secretRef.current = { value: null, expiresAt: 0, ttlMs: 0 };
    signedOutRef.current = false;
  }, [authToken]);

  const unauthorized = useCallback(() => {
    if (signedOutRef.current) return;
    signedOutRef.current = true;
    const { onUnauthorized: handler, signInUrl: url } = propsRef.current;
    if (typeof handler === "function") handler();
    else window.location.assign(url);
  }, []);

  // POST {clientSecretUrl}/start|refresh with the session token → {client_secret, expires_in}.
  const fetchSecret = useCallback(
    async (kind) => {
      const sessionToken = authTokenRef.current ?? "";
      const response = await fetch(resolveUrl(`${clientSecretUrl}/${kind}`), {
        method: "POST",
        headers: {
          Authorization: `Bearer ${sessionToken}`,
          "Content-Type": "application/json",
        },
        body: "{}",
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 401) {
        unauthorized();
        throw new Error(body.detail || "Your session has expired. Please sign in again.");
      }
      if (!response.ok || !body.client_secret) {
        const message = body.detail || `Could not start the chat (HTTP ${response.status}).`;
        // No chat secret yet: ChatKit cannot authenticate on this page at all.
        if (!secretRef.current.value) fail("no chat session", message);
        throw new Error(message);
      }
      const ttlMs = Math.max(0, Number(body.expires_in) || 0) * 1000;
      // Expiry from expires_in, not expires_at: immune to a skewed browser clock. A secret
      // bought with a session token that has since changed is used once, never kept.
      if (sessionToken === authTokenRef.current) {
        secretRef.current = { value: body.client_secret, expiresAt: Date.now() + ttlMs, ttlMs };
      }
      return body.client_secret;
    },
    [clientSecretUrl, unauthorized, fail],
  );

  // The chat-scoped secret, renewed (once, shared by concurrent callers) shortly before expiry.
  const currentSecret = useCallback(
    (force = false) => {
      if (!clientSecretUrl) return Promise.resolve(authTokenRef.current ?? "");
      const { value, expiresAt, ttlMs } = secretRef.current;
      const margin = Math.min(REFRESH_MARGIN_MS, ttlMs / 4);
      if (!force && value && Date.now() < expiresAt - margin) return Promise.resolve(value);
      if (!pendingSecretRef.current) {
        pendingSecretRef.current = fetchSecret(value ? "refresh" : "start").finally(() => {
          pendingSecretRef.current = null;
        });
      }
      return pendingSecretRef.current;
    },
    [clientSecretUrl, fetchSecret],
  );

  const resolvedApiUrl = useMemo(() => (apiUrl ? resolveUrl(apiUrl) : ""), [apiUrl]);

  // api.fetch: every request to our ChatKit endpoint carries the bearer secret.
  const chatkitFetch = useCallback(
    async (input, init = {}) => {
      const url = new URL(typeof input === "string" ? input : input.url, window.location.href);
      if (!resolvedApiUrl || url.origin !== new URL(resolvedApiUrl).origin) {
        return fetch(input, init); // never hand our token to another origin
      }
      const send = async (force) => {
        const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : {}));
        headers.set("Authorization", `Bearer ${await currentSecret(force)}`);
        const tz = browserTimezone();
        if (tz) headers.set("X-Chatapp-Timezone", tz);
        return fetch(input, { ...init, headers });
      };
      let response = await send(false);
      if (response.status === 401 && clientSecretUrl) response = await send(true);
      if (response.status === 401) unauthorized();
      return response;
    },
    [resolvedApiUrl, clientSecretUrl, currentSecret, unauthorized],
  );

  const api = useMemo(() => {
    if (hosted) {
      return { getClientSecret: (current) => fetchSecret(current ? "refresh" : "start") };
    }
    const custom = { url: resolvedApiUrl, domainKey, fetch: chatkitFetch };
    if (uploadStrategy) custom.uploadStrategy = uploadStrategy;
    return custom;
  }, [hosted, resolvedApiUrl, domainKey, chatkitFetch, fetchSecret, uploadStrategy]);

  // The open thread lives in the URL (?thread=…), so a reload comes back to it.
  const startThread = useMemo(() => {
    if (initialThread) return initialThread;
    if (!threadParam || typeof window === "undefined") return null;
    return new URLSearchParams(window.location.search).get(threadParam) || null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const keepThreadInUrl = useCallback((threadId) => {
    const param = propsRef.current.threadParam;
    if (!param) return;
    const url = new URL(window.location.href);
    if (threadId) url.searchParams.set(param, threadId);
    else url.searchParams.delete(param);
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url);
    }
  }, []);

  // onClientTool: hand the call to Reflex, resolve when its result shows up in clientToolResults.
  const runClientTool = useCallback((toolCall) => {
    const handler = propsRef.current.onClientTool;
    const name = toolCall?.name ?? "";
    if (typeof handler !== "function") return { error: `No handler for client tool '${name}'.` };
    const callId = `ctc_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingToolsRef.current.delete(callId);
        resolve({ error: `Client tool '${name}' got no result in time.` });
      }, clientToolTimeoutMs);
      pendingToolsRef.current.set(callId, { resolve, timer });
      handler({ call_id: callId, name, params: plain(toolCall?.params) });
    });
  }, [clientToolTimeoutMs]);

  useEffect(() => {
    for (const [callId, result] of Object.entries(clientToolResults ?? {})) {
      const pending = pendingToolsRef.current.get(callId);
      if (!pending) continue;
      clearTimeout(pending.timer);
      pendingToolsRef.current.delete(callId);
      pending.resolve(result ?? {});
    }
  }, [clientToolResults]);

  // The element itself comes from OpenAI's CDN script; add it once, report if it never defines.
  useEffect(() => {
    if (!scriptUrl || customElements.get(ELEMENT)) return undefined;
    const unavailable = (reason) => {
      const handler = propsRef.current.onUnavailable;
      if (typeof handler === "function") handler(reason);
    };
    let script = Array.from(document.scripts).find((s) => s.src === scriptUrl);
    if (!script) {
      script = document.createElement("script");
      script.src = scriptUrl;
      script.async = true;
      script.dataset.chatkitLoader = "";
      document.head.appendChild(script);
    }
    const onScriptError = () => unavailable(`The ChatKit script could not be loaded from ${scriptUrl}.`);
    script.addEventListener("error", onScriptError);
    const timer = setTimeout(() => {
      if (!customElements.get(ELEMENT)) {
        unavailable(`ChatKit did not load within ${Math.round(loadTimeoutMs / 1000)} s.`);
      }
    }, loadTimeoutMs);
    customElements.whenDefined(ELEMENT).then(() => clearTimeout(timer));
    return () => {
      clearTimeout(timer);
      script.removeEventListener("error", onScriptError);
    };
  }, [scriptUrl, loadTimeoutMs]);

  // ChatKit's entity tags: the composer asks as the user types "@…"; the server answers with
  // entities ({id, title, group, data}) through the same authenticated fetch as /chatkit.
  const searchEntities = useCallback(
    async (query) => {
      if (!entitySearchUrl) return [];
      const url = new URL(resolveUrl(entitySearchUrl));
      url.searchParams.set("q", query ?? "");
      try {
        const response = await chatkitFetch(url.toString(), { method: "GET" });
        return response.ok ? await response.json() : [];
      } catch {
        return [];
      }
    },
    [entitySearchUrl, chatkitFetch],
  );

  const options = { api, initialThread: startThread, onClientTool: runClientTool };
  if (entitySearchUrl) options.entities = { onTagSearch: searchEntities };
  const optional = { theme, locale, frameTitle, startScreen, header, history, composer, disclaimer, threadItemActions, thread };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== null) options[key] = value;
  }

  const { control } = useChatKit({
    ...options,
    onReady: () => {
      readyRef.current = true;
      onReady?.();
    },
    onError: (detail) => {
      const message = errorMessage(detail?.error);
      onError?.(message);
      const cause = fatalCause(detail?.error, readyRef.current);
      if (cause) fail(cause, message);
    },
    onResponseStart: () => onResponseStart?.(),
    onResponseEnd: () => onResponseEnd?.(),
    onThreadChange: (detail) => {
      const threadId = detail?.threadId ?? null;
      keepThreadInUrl(threadId);
      onThreadChange?.(threadId);
    },
    onThreadLoadStart: (detail) => onThreadLoadStart?.(detail?.threadId ?? null),
    onThreadLoadEnd: (detail) => onThreadLoadEnd?.(detail?.threadId ?? null),
    onLog: (detail) => onLog?.(detail?.name ?? "", plain(detail?.data)),
    onEffect: (detail) => onEffect?.(detail?.name ?? "", plain(detail?.data)),
    onHistoryOpen: () => onHistoryOpen?.(),
    onHistoryClose: () => onHistoryClose?.(),
    onToolChange: (detail) => onToolChange?.(detail?.toolId ?? null),
    onDeeplink: (detail) => onDeeplink?.(detail?.name ?? "", plain(detail?.data)),
  });

  return (
    <StartFailure onFailure={fail}>
      <ChatKit control={control} {...elementProps} />
    </StartFailure>
  );
}
