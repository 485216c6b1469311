/**
 * The source's acknowledgements held back until Kafka has the records (at-least-once): a QoS 1 message's PUBACK or
 * a QoS 2 message's PUBREC leaves only once the record made from it is committed (SourceTask.commitRecord). The
 * broker keeps every unacknowledged message in the client's session and sends it again after a reconnect, so a
 * task killed before its acknowledgements went out loses nothing.
 *
 * Acknowledgements leave in the order the messages arrived, as MQTT asks of a receiver (MQTT 3.1.1 §4.6, MQTT 5
 * §4.6): a committed message waits for the ones before it. When the connection closes, everything held becomes
 * stale and is never sent: the broker resends those messages on the next connection (possibly with the same packet
 * ids), and an old acknowledgement could otherwise acknowledge a new message that is not yet in Kafka.
 */

/** One message whose acknowledgement is held. */
export interface HeldAck {
  readonly messageId: number
  /** Its record is in Kafka (or was dropped by a transform): the acknowledgement may leave. */
  committed: boolean
  /** Sends the acknowledgement, once the client asked to send it. */
  send: (() => void) | null
  /** From a connection that has closed: never sent. */
  stale: boolean
}

/** The held acknowledgements of one client, oldest first. */
export class HeldAcks {
  #queue: HeldAck[] = []
  #byId = new Map<number, HeldAck>()
  #drained: (() => void)[] = []

  /** How many are held. */
  get size(): number {
    return this.#queue.length
  }

  /** Holds the acknowledgement of a message that just arrived. */
  hold(messageId: number): HeldAck {
    const held: HeldAck = { messageId, committed: false, send: null, stale: false }
    this.#queue.push(held)
    this.#byId.set(messageId, held)
    return held
  }

  /**
   * The client is about to send the acknowledgement of `messageId`: answers true when it is held here (and is sent
   * later through `send`), false when it is not ours and should go at once.
   */
  offer(messageId: number, send: () => void): boolean {
    const held = this.#byId.get(messageId)
    if (held === undefined || held.send !== null) return false
    held.send = send
    this.#release()
    return true
  }

  /** The message's record is committed; its acknowledgement leaves once those before it have. */
  commit(held: HeldAck): void {
    if (held.stale) return
    held.committed = true
    this.#release()
  }

  /** The connection closed: nothing held will be sent. Answers how many were dropped. */
  reset(): number {
    const dropped = this.#queue.length
    for (const held of this.#queue) held.stale = true
    this.#queue = []
    this.#byId.clear()
    this.#notifyDrained()
    return dropped
  }

  /** Resolves once nothing is held (at once when nothing is). */
  drained(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.#drained.push(resolve))
  }

  #release(): void {
    let head = this.#queue[0]
    while (head?.committed && head.send !== null) {
      this.#queue.shift()
      if (this.#byId.get(head.messageId) === head) this.#byId.delete(head.messageId)
      head.send()
      head = this.#queue[0]
    }
    if (this.#queue.length === 0) this.#notifyDrained()
  }

  #notifyDrained(): void {
    const waiting = this.#drained
    this.#drained = []
    for (const resolve of waiting) resolve()
  }
}
