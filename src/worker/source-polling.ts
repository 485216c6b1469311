/**
 * The poll skeleton both source loops share (source-loop.ts, exactly-once-source-loop.ts), as Java's
 * AbstractWorkerSourceTask holds it for WorkerSourceTask and ExactlyOnceWorkerSourceTask: give the event loop back
 * now and then, hold while paused (committing once on the way in), and poll the task with its retriable failures
 * and the stop told apart. The loops differ only in how they commit.
 */
import type { SourceRecord } from '../api/records.ts'
import type { SourceTask } from '../api/task.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { isRetriable } from './error-handling.ts'
import type { TaskControl } from './task-control.ts'

/** How often a busy loop gives the event loop back. */
const YIELD_EVERY_MS = 10

/**
 * A task whose poll() and sends resolve without I/O would keep the event loop to itself (no timers, no heartbeats,
 * no REST): the returned function gives it back every few milliseconds.
 */
export function yieldEvery(clock: Clock, everyMs = YIELD_EVERY_MS): () => Promise<void> {
  let last = clock.now()
  return async () => {
    if (clock.now() - last < everyMs) return
    await new Promise<void>((resolve) => setImmediate(resolve))
    last = clock.now()
  }
}

/**
 * The paused state of a source loop: the returned function answers whether the task is paused, and then waits up to
 * `waitMs` for a change; `onPause` runs once each time the task becomes paused (the loops commit there).
 */
export function pauseGate(control: TaskControl, waitMs: number, onPause: () => Promise<void>): () => Promise<boolean> {
  let wasPaused = false
  return async () => {
    if (!control.paused) {
      wasPaused = false
      return false
    }
    if (!wasPaused) {
      wasPaused = true
      await onPause()
    }
    await control.waitForChange(waitMs)
    return true
  }
}

/**
 * One poll() of a source task: its records ([] when it has none), or null when there is nothing to do this turn:
 * the stop made the poll fail (stop() may close what poll() reads: that is the stop, not a failure), or it failed
 * with a retriable error (logged; the loop polls again). Any other failure is thrown: it fails the task.
 */
export async function pollSource(task: SourceTask, control: TaskControl, log: Logger): Promise<SourceRecord[] | null> {
  try {
    return (await task.poll()) ?? []
  } catch (error) {
    if (control.stopping) return null
    if (isRetriable(error)) {
      log.warn({ err: error }, 'poll() threw a retriable error; polling again')
      return null
    }
    throw error
  }
}
