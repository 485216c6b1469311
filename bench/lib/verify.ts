/**
 * The fault drills' verifier: given how many numbered records were sent (1..sent) and the sequence numbers that
 * arrived (in any order, repeats allowed), counts what was lost and what was duplicated.
 */

/** What arrived, against what was sent. */
export interface Verdict {
  sent: number
  /** Every record that arrived, repeats included. */
  received: number
  /** Distinct sent numbers that arrived. */
  unique: number
  /** Sent numbers that never arrived. */
  lost: number
  /** Extra copies: received minus unique, counting only sent numbers. */
  duplicated: number
  /** Numbers that arrived but were never sent (out of 1..sent): a corrupt pipeline. */
  unexpected: number
  /** The lost numbers as inclusive ranges, at most the first 20. */
  lostRanges: [number, number][]
}

/** Counts lost and duplicated records of a numbered load 1..sent. */
export function verifySequence(sent: number, arrived: Iterable<number>): Verdict {
  const copies = new Uint32Array(sent + 1)
  let received = 0
  let unexpected = 0
  for (const n of arrived) {
    received++
    if (Number.isInteger(n) && n >= 1 && n <= sent) copies[n] = (copies[n] ?? 0) + 1
    else unexpected++
  }
  let unique = 0
  const lostRanges: [number, number][] = []
  let openFrom = 0
  for (let n = 1; n <= sent + 1; n++) {
    const got = n <= sent && (copies[n] ?? 0) > 0
    if (got) unique++
    if (n <= sent && !got && openFrom === 0) openFrom = n
    if ((got || n > sent) && openFrom !== 0) {
      if (lostRanges.length < 20) lostRanges.push([openFrom, n - 1])
      openFrom = 0
    }
  }
  return {
    sent,
    received,
    unique,
    lost: sent - unique,
    duplicated: received - unexpected - unique,
    unexpected,
    lostRanges,
  }
}

/** Sequence numbers of lines like "seq-42" (anything else is reported as NaN, i.e. unexpected). */
export function sequenceNumbers(text: string, prefix = 'seq-'): number[] {
  const out: number[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    out.push(line.startsWith(prefix) ? Number(line.slice(prefix.length)) : Number.NaN)
  }
  return out
}
