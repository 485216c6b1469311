/**
 * Automatic restart of failed connectors and tasks (tsconnect; Java Connect has none): the bookkeeping of one
 * worker's restart attempts. The herder owns one, on its loop: it reports each failure of work that runs here and
 * is told when (or whether) to restart it; it restarts only what still runs here and is still FAILED then.
 *
 * Rules:
 * - attempt n waits initial × 2^(n-1) ms, capped at the maximum backoff;
 * - after the maximum number of attempts the work stays FAILED: a permanent failure is never hidden;
 * - a failure that comes more than the maximum backoff after the last restart starts a new series (the work ran
 *   long enough to count as healthy), so a rare transient failure never uses up the attempts;
 * - work that stops running here (revoked, deleted, restarted by hand) is forgotten.
 */
import type { TaskId } from '../stores/config-store.ts'
import { exponentialBackoff } from '../util/backoff.ts'

/** The tsconnect.auto.restart.* worker keys. */
export interface AutoRestartSettings {
  /** tsconnect.auto.restart.enable */
  readonly enabled: boolean
  /** tsconnect.auto.restart.initial.backoff.ms */
  readonly initialBackoffMs: number
  /** tsconnect.auto.restart.max.backoff.ms */
  readonly maxBackoffMs: number
  /** tsconnect.auto.restart.max.attempts */
  readonly maxAttempts: number
}

/** What REST shows of a connector's or task's automatic restarts. */
export interface AutoRestartInfo {
  /** Restarts done or scheduled in the current series. */
  readonly attempts: number
  readonly maxAttempts: number
  /** When the next restart is due (Clock ms), or null when none is scheduled (given up, or restarted and running). */
  readonly nextAttemptAt: number | null
  /** The message of the last failure. */
  readonly lastError: string
}

/** A connector (by name) or a task. */
export type RestartTarget = string | TaskId

/** What the herder should do about a failure. */
export type RestartDecision = { readonly restartInMs: number; readonly token: number } | { readonly giveUp: true }

interface Entry {
  attempts: number
  lastRestartAt: number
  nextAttemptAt: number | null
  lastError: string
  token: number
}

function keyOf(target: RestartTarget): string {
  return typeof target === 'string' ? `connector\u0000${target}` : `task\u0000${target.connector}\u0000${target.task}`
}

/** One worker's automatic restarts; see the file comment. */
export class AutoRestarts {
  readonly settings: AutoRestartSettings
  readonly #entries = new Map<string, Entry>()
  #tokens = 0

  constructor(settings: AutoRestartSettings) {
    this.settings = settings
  }

  /** Records a failure at `now`; answers when to restart (with a token that must still be current) or to give up. */
  failed(target: RestartTarget, error: Error, now: number): RestartDecision {
    const s = this.settings
    if (!s.enabled || s.maxAttempts <= 0) return { giveUp: true }
    const key = keyOf(target)
    let entry = this.#entries.get(key)
    if (entry === undefined || now - entry.lastRestartAt > s.maxBackoffMs) {
      entry = { attempts: 0, lastRestartAt: now, nextAttemptAt: null, lastError: '', token: 0 }
      this.#entries.set(key, entry)
    }
    entry.lastError = error.message
    if (entry.attempts >= s.maxAttempts) {
      entry.nextAttemptAt = null
      return { giveUp: true }
    }
    entry.attempts++
    const delay = exponentialBackoff(entry.attempts, s.initialBackoffMs, s.maxBackoffMs)
    entry.nextAttemptAt = now + delay
    entry.token = ++this.#tokens
    return { restartInMs: delay, token: entry.token }
  }

  /** Whether a scheduled restart with this token is still wanted (nothing forgot or rescheduled it meanwhile). */
  isCurrent(target: RestartTarget, token: number): boolean {
    return this.#entries.get(keyOf(target))?.token === token
  }

  /** The scheduled restart is happening now. */
  restarting(target: RestartTarget, now: number): void {
    const entry = this.#entries.get(keyOf(target))
    if (entry === undefined) return
    entry.lastRestartAt = now
    entry.nextAttemptAt = null
  }

  /** Forgets the work's series (it stopped running here, or was restarted by hand). */
  forget(target: RestartTarget): void {
    this.#entries.delete(keyOf(target))
  }

  /** Forgets every series of a connector and its tasks. */
  forgetConnector(connector: string): void {
    for (const key of [...this.#entries.keys()]) {
      if (key === `connector\u0000${connector}` || key.startsWith(`task\u0000${connector}\u0000`))
        this.#entries.delete(key)
    }
  }

  /** What REST shows, or undefined when the work has no restarts in its current series. */
  info(target: RestartTarget): AutoRestartInfo | undefined {
    const entry = this.#entries.get(keyOf(target))
    if (entry === undefined) return undefined
    return {
      attempts: entry.attempts,
      maxAttempts: this.settings.maxAttempts,
      nextAttemptAt: entry.nextAttemptAt,
      lastError: entry.lastError,
    }
  }
}
