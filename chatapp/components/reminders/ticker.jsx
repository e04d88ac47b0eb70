// The reminder clock of chatapp's pages: calls onTick(timeZone) when mounted and then every
// intervalMs while the tab is open, so reminders are asked for only by tabs someone has open.
// Also onPermission(state) with the browser's Notification permission: on mount, and after
// the user asks to turn notifications on (askPermission counts those clicks).
import { useEffect, useRef } from "react";

function permission() {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

export function ReminderTicker({ intervalMs = 10000, onTick, onPermission, askPermission = 0 }) {
  const tick = useRef(onTick);
  tick.current = onTick;
  useEffect(() => {
    const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
    const run = () => tick.current && tick.current(zone());
    run();
    const id = setInterval(run, intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  useEffect(() => {
    if (!onPermission) return;
    if (askPermission > 0 && permission() === "default") {
      Notification.requestPermission().then(() => onPermission(permission()));
    } else {
      onPermission(permission());
    }
  }, [askPermission]);
  return null;
}
