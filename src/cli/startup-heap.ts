/**
 * Keeps V8's young generation at its initial size while a worker command starts.
 *
 * Loading the worker's ~900 modules allocates mostly long-lived objects; V8 reads that high survival rate as a
 * reason to double the young generation after each scavenge, up to 2 x 16 MB. Those pages stay resident after
 * start, although an idle worker allocates little: about 25 MB of a worker's idle RSS. With growth held until the
 * worker has started, its idle RSS is that much lower; growth is then allowed again, so a busy data path gets the
 * young generation that suits its throughput, as without this.
 *
 * V8 reads its growth factor each time it would grow the young generation, so setting the flag at run time works.
 * A user who sizes the young generation (--max-semi-space-size, --semi-space-growth-factor, in NODE_OPTIONS or on
 * the command line) keeps their setting: nothing is changed then.
 */
import v8 from 'node:v8'

/** V8's default growth factor of the young generation. */
const DEFAULT_GROWTH_FACTOR = 2

let held = false

/** Whether a process with these node arguments and NODE_OPTIONS sizes its own young generation. */
export function youngGenerationConfigured(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /semi[-_]space/.test(arg))
}

/** Stops the young generation growing until releaseYoungGeneration; for the bin before it loads the worker. */
export function holdYoungGeneration(): void {
  if (held || youngGenerationConfigured(process.execArgv, process.env.NODE_OPTIONS)) return
  v8.setFlagsFromString('--semi-space-growth-factor=1')
  held = true
}

/** Lets the young generation grow again (V8's default); a no-op unless holdYoungGeneration held it. */
export function releaseYoungGeneration(): void {
  if (!held) return
  v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`)
  held = false
}
