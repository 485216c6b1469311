/**
 * Waiting that can be cut short: sleeps and deadlines that honour an AbortSignal.
 *
 * Every wait in tsconnect is bounded (a timeout) and cancellable (shutdown aborts its signal), so no caller hangs
 * on a broker that went away. Timers are unref'd: a pending wait never keeps the process alive on its own.
 */
import { ConnectError, TimeoutError } from '../errors.ts'

/** The error a wait rejects with when its signal aborts. */
export function abortedError(what: string, signal?: AbortSignal): ConnectError {
  return new ConnectError('ABORTED', `${what} was cancelled`, signal?.reason ? { cause: signal.reason } : undefined)
}

/** Resolves after `ms`, or rejects with an ABORTED ConnectError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError('sleep', signal))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortedError('sleep', signal))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    timer.unref?.()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Options of a bounded wait. */
export interface WaitOptions {
  /** Give up after this many milliseconds (no limit when absent). */
  timeoutMs?: number
  /** Give up when this signal aborts. */
  signal?: AbortSignal
}

/**
 * Waits for `promise`, but rejects with a TimeoutError naming `what` after `timeoutMs`, or with an ABORTED
 * ConnectError when `signal` aborts. The promise itself keeps running: the caller decides what cancelling means.
 */
export function bounded<T>(promise: Promise<T>, what: string, opts: WaitOptions = {}): Promise<T> {
  const { timeoutMs, signal } = opts
  if (timeoutMs === undefined && !signal) return promise
  if (signal?.aborted) {
    promise.catch(() => {})
    return Promise.reject(abortedError(what, signal))
  }
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const cleanup = () => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = () => {
      cleanup()
      reject(abortedError(what, signal))
    }
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup()
        reject(new TimeoutError(`${what} did not finish within ${timeoutMs} ms`))
      }, timeoutMs)
      timer.unref?.()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        cleanup()
        resolve(value)
      },
      (error: unknown) => {
        cleanup()
        reject(error)
      },
    )
  })
}
