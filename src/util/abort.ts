/**
 * AbortSignal helpers: awaiting a promise that cannot itself be cancelled (a request in flight) while still
 * returning as soon as the signal aborts, or, with `bounded`, when a deadline passes.
 */
import { ConnectError, TimeoutError } from '../errors.ts'

/** Whether an error is the rejection of an aborted wait. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError'
}

/** An AbortError with a reason. */
export function abortError(reason = 'aborted'): Error {
  const e = new Error(reason)
  e.name = 'AbortError'
  return e
}

/**
 * Resolves or rejects like `promise`, or rejects with an AbortError as soon as `signal` aborts. The promise keeps
 * running; its late outcome is swallowed, so it never becomes an unhandled rejection.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {})
    return Promise.reject(abortError())
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {})
      reject(abortError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

/** The error a bounded wait rejects with when its signal aborts: tsconnect's typed ABORTED error. */
export function abortedError(what: string, signal?: AbortSignal): ConnectError {
  return new ConnectError('ABORTED', `${what} was cancelled`, signal?.reason ? { cause: signal.reason } : undefined)
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
 * ConnectError when `signal` aborts. The promise keeps running; its late outcome is swallowed. The timer is unref'd:
 * a pending wait never keeps the process alive on its own.
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
      promise.catch(() => {})
      reject(abortedError(what, signal))
    }
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup()
        promise.catch(() => {})
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
