/**
 * AbortSignal helpers: awaiting a promise that cannot itself be cancelled (a request in flight) while still
 * returning as soon as the signal aborts.
 */

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
