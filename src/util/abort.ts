/**
 * Cancellation in one vocabulary: every abort reason and every rejection of a cancelled wait is a
 * ConnectError('ABORTED'), and `isAborted(err, signal)` is the one test of "this failed because it was cancelled".
 * Also: awaiting a promise that cannot itself be cancelled (a request in flight) while still returning as soon as
 * the signal aborts, or, with `bounded`, when a deadline passes.
 */
import { ConnectError, TimeoutError } from '../errors.ts'

/** The reason to abort a controller with: `controller.abort(abortReason('the member is shutting down'))`. */
export function abortReason(why: string): ConnectError {
  return new ConnectError('ABORTED', why)
}

/**
 * The error a wait on `signal` rejects with once it aborted: the signal's reason when it is already an ABORTED
 * ConnectError, else one that carries the reason as its cause (a signal aborted by code outside tsconnect).
 */
export function signalError(signal: AbortSignal): ConnectError {
  const reason: unknown = signal.reason
  if (reason instanceof ConnectError && reason.code === 'ABORTED') return reason
  return new ConnectError('ABORTED', 'aborted', reason === undefined ? undefined : { cause: reason })
}

/**
 * Whether `err` means "cancelled": an ABORTED ConnectError, the AbortError of a Node API given a signal, or any
 * error once `signal` has aborted (what fails after cancellation fails because of it).
 */
export function isAborted(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted === true) return true
  if (err instanceof ConnectError) return err.code === 'ABORTED'
  return err instanceof Error && err.name === 'AbortError'
}

/**
 * Resolves or rejects like `promise`, or rejects with the signal's ABORTED error as soon as `signal` aborts. The
 * promise keeps running; its late outcome is swallowed, so it never becomes an unhandled rejection.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {})
    return Promise.reject(signalError(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {})
      reject(signalError(signal))
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

/** The error a bounded wait rejects with when its signal aborts: an ABORTED ConnectError naming the wait. */
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
