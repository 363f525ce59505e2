/**
 * Long tasks that run off the main thread (integrity check, backup, search rebuild, big
 * imports) announce themselves with `app:progress`; this bar shows each one still running.
 */
import { useEffect, useState } from 'react';
import type { TaskProgress as Progress } from '../../shared/contract/app';
import { on } from '../lib/api';

/** Tasks shorter than this never flash a bar. */
const SHOW_AFTER_MS = 300;

export function TaskProgress() {
  const [tasks, setTasks] = useState<Record<string, Progress & { since: number }>>({});
  const [, tick] = useState(0);

  useEffect(() => {
    if (!window.parallax) return undefined;
    return on('app:progress', (progress) => {
      setTasks((current) => {
        const next = { ...current };
        if (progress.state === 'running') next[progress.taskId] = { ...progress, since: current[progress.taskId]?.since ?? Date.now() };
        else delete next[progress.taskId];
        return next;
      });
    });
  }, []);

  const pending = Object.values(tasks);
  useEffect(() => {
    if (pending.length === 0) return undefined;
    const timer = window.setTimeout(() => tick((n) => n + 1), SHOW_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [pending.length]);

  const visible = pending.filter((task) => Date.now() - task.since >= SHOW_AFTER_MS);
  if (visible.length === 0) return null;
  return (
    <div className="task-progress" role="status" aria-live="polite">
      {visible.map((task) => {
        const fraction = task.total ? Math.min(1, task.done / task.total) : null;
        return (
          <div key={task.taskId} className="task-progress__item">
            <span className="task-progress__label">
              {task.label}…{fraction !== null ? ` ${Math.round(fraction * 100)}%` : ''}
            </span>
            <progress aria-label={task.label} {...(fraction !== null ? { value: fraction, max: 1 } : {})} />
          </div>
        );
      })}
    </div>
  );
}
